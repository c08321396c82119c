import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { LogVerification } from "../../hooks/api/log-integrity"
import { localeTag } from "../../lib/locale"

const when = (iso: string, language: string | undefined) =>
  new Date(iso).toLocaleString(localeTag(language), { dateStyle: "medium", timeStyle: "medium" })

/**
 * A verification's warning that the log's safeguards were changed in the
 * database between two seals, even if put back since: each time, between
 * which seals (or since the newest). Nothing when they never were.
 */
export const GuardsRewritten = ({ rewritten }: { rewritten: LogVerification["guards_rewritten"] | undefined }) => {
  const { t, i18n } = useTranslation()
  if (!rewritten?.length) {
    return null
  }
  return (
    <div data-testid="lac-log-integrity-guards-rewritten">
      <Text size="small" className="text-ui-fg-error">
        {t("loginAsCustomer.logIntegrity.guardsRewritten")}
      </Text>
      <ul className="mt-1 flex flex-col gap-y-1">
        {rewritten.map((r) => (
          <li key={`${r.checkpoint ?? "since"}-${r.after ?? ""}`}>
            <Text size="small" className="text-ui-fg-subtle">
              {r.checkpoint == null
                ? t("loginAsCustomer.logIntegrity.guardsRewrittenSince", { after: r.after ? when(r.after, i18n.language) : "—" })
                : t("loginAsCustomer.logIntegrity.guardsRewrittenBetween", {
                    after: r.after ? when(r.after, i18n.language) : "—",
                    before: r.before ? when(r.before, i18n.language) : "—",
                    checkpoint: r.checkpoint,
                  })}
            </Text>
          </li>
        ))}
      </ul>
    </div>
  )
}
