/**
 * A date from the database or a step result (Date or string) as ISO 8601, or
 * null: also for a time JavaScript can't hold (`infinity`, or a year past
 * 275760, which only a row written by SQL has), which would otherwise throw.
 */
export function toIso(value: Date | string | number | null | undefined): string | null {
  const time = value == null || value === "" ? NaN : new Date(value).getTime()
  return Number.isNaN(time) ? null : new Date(time).toISOString()
}
