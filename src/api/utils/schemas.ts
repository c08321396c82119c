import { z } from "@medusajs/framework/zod"
import { parseIsoDate } from "./iso-date"

// Dates PostgreSQL and JavaScript both hold, and both write with four-digit years.
const EARLIEST_DATE = Date.parse("0001-01-01T00:00:00Z")
const LATEST_DATE = Date.parse("9999-12-31T23:59:59.999Z")

/** A Medusa id: a prefix of one or more words (`order_`, `pay_col_`), then a ULID. */
export const MEDUSA_ID = /^[a-z]+(?:_[a-z]+)*_[0-9A-Z]{20,}$/

/** Whether a date lies in years 1 to 9999 (UTC), where PostgreSQL and JavaScript agree. */
export function isStorableDate(time: number): boolean {
  return time >= EARLIEST_DATE && time <= LATEST_DATE
}

/**
 * An ISO 8601 date in years 1 to 9999 (UTC): the rule for every date the
 * plugin's routes take. Impossible dates and times (`2026-02-30`, `25:00`)
 * are refused with what is wrong, not rolled over as `Date.parse` does.
 */
export const isoDate = z
  .string()
  .max(64)
  .superRefine((value, ctx) => {
    const parsed = parseIsoDate(value)
    if (parsed.error !== undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${parsed.error} (got "${value}")` })
    } else if (!isStorableDate(parsed.time)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be between 0001-01-01 and 9999-12-31 (UTC)" })
    }
  })

const futureDate = isoDate.refine((value) => Date.parse(value) > Date.now(), "must be in the future")

/** A consent change, by the customer or by an admin. */
export const UpdateRemoteAssistance = z
  .object({
    allowed: z.boolean(),
    expires_at: futureDate.nullish(),
  })
  .strict()
  .refine((body) => body.allowed || !body.expires_at, {
    message: "expires_at can only be set when allowed is true",
    path: ["expires_at"],
  })

export type UpdateRemoteAssistanceType = z.infer<typeof UpdateRemoteAssistance>
