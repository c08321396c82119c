/**
 * The BCP 47 tag for one of the dashboard's language codes ("ptBR" → "pt-BR",
 * "zhTW" → "zh-TW", "enGB" → "en-GB"), for Intl and toLocaleString.
 */
export function localeTag(language: string | undefined): string {
  const code = language || "en"
  return code.replace(/^([a-z]{2,3})([A-Z]{2})$/, "$1-$2")
}

/** "60 seconds", "60 segundos", "٦٠ ثانية": a duration in the admin's language. */
export function formatSeconds(seconds: number, language: string | undefined): string {
  try {
    return new Intl.NumberFormat(localeTag(language), {
      style: "unit",
      unit: "second",
      unitDisplay: "long",
    }).format(seconds)
  } catch {
    return `${seconds} s`
  }
}

/**
 * A date and time in the admin's language ("Dec 1, 2026, 4:08 PM"): the one
 * format of the plugin's admin, the log's table and drawer and the widgets alike.
 */
export function formatDate(iso: string | Date | null | undefined, language: string | undefined): string {
  if (!iso) return ""
  const options = { dateStyle: "medium", timeStyle: "short" } as const
  try {
    return new Date(iso).toLocaleString(localeTag(language), options)
  } catch {
    return new Date(iso).toLocaleString(undefined, options)
  }
}
