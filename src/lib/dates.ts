/** A date from the database or a step result (Date or string) as ISO 8601, or null. */
export const toIso = (value: Date | string | null | undefined): string | null =>
  value ? new Date(value).toISOString() : null
