// An ISO 8601 date (`2026-02-28`, `2026-02`, `2026`) or date and time
// (`2026-02-28T10:15`, `…:30`, `…:30.123`, then `Z` or an offset `+02:00` /
// `+0200`, or nothing: the server's local time), the forms JavaScript's
// date-time format defines; years may be written `+002026`. A space may stand
// for the `T`. Letters in either case.
const ISO_DATE =
  /^([+-]\d{6}|\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-](\d{2}):?(\d{2}))?)?$/

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

/** Days in a month of the proleptic Gregorian calendar (what JavaScript and PostgreSQL count in). */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
}

export type ParsedIsoDate = { time: number; error?: undefined } | { time?: undefined; error: string }

/**
 * Reads an ISO 8601 date or date and time strictly: impossible calendar dates
 * (`2026-02-30`, `2026-04-31`) and times (`25:00`, `10:60`, an offset of
 * `+24:00`), which `Date.parse` rolls over to another day or takes in other
 * forms, are errors that say what is wrong. A valid one gives the same time
 * `Date.parse` gives (a date alone is UTC midnight; a time without an offset
 * is the server's local time; `24:00` is the end of the day).
 */
export function parseIsoDate(value: string): ParsedIsoDate {
  const match = ISO_DATE.exec(value)
  if (!match) {
    return { error: "must be an ISO 8601 date (2026-02-28) or date and time (2026-02-28T10:15:00Z)" }
  }
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, , offsetHour, offsetMinute] = match
  const year = Number(yearText)
  if (yearText === "-000000") {
    return { error: "must not write year 0 as -000000" }
  }
  if (monthText !== undefined) {
    const month = Number(monthText)
    if (month < 1 || month > 12) {
      return { error: `has no month ${monthText}: months are 01 to 12` }
    }
    if (dayText !== undefined) {
      const days = daysInMonth(year, month)
      const day = Number(dayText)
      if (day < 1 || day > days) {
        return { error: `is not a calendar date: ${MONTHS[month - 1]} ${yearText} has days 01 to ${days}` }
      }
    } else if (hourText !== undefined) {
      return { error: "must give the day before a time (2026-02-28T10:15)" }
    }
  } else if (hourText !== undefined) {
    return { error: "must give the month and day before a time (2026-02-28T10:15)" }
  }
  if (hourText !== undefined) {
    const [hour, minute, second] = [Number(hourText), Number(minuteText), Number(secondText ?? 0)]
    const endOfDay = hour === 24 && minute === 0 && second === 0 && !/[1-9]/.test(fraction ?? "")
    if ((hour > 23 && !endOfDay) || minute > 59 || second > 59) {
      return { error: "is not a time of day: hours are 00 to 23 (or 24:00), minutes and seconds 00 to 59" }
    }
    if (offsetHour !== undefined && (Number(offsetHour) > 23 || Number(offsetMinute) > 59)) {
      return { error: "has an impossible time zone offset: hours 00 to 23, minutes 00 to 59" }
    }
  }
  const time = Date.parse(value)
  if (Number.isNaN(time)) {
    return { error: "must be an ISO 8601 date (2026-02-28) or date and time (2026-02-28T10:15:00Z)" }
  }
  return { time }
}

const floorDiv = (a: bigint, b: bigint) => (a % b < 0n ? a / b - 1n : a / b)
const ceilDiv = (a: bigint, b: bigint) => -floorDiv(-a, b)
const two = (n: number) => String(n).padStart(2, "0")

/** A time in microseconds since 1970 (UTC) as ISO 8601 with six decimals, what PostgreSQL stores of a `timestamptz`. */
function microsIso(micros: bigint): string {
  const ms = floorDiv(micros, 1000n)
  const d = new Date(Number(ms))
  const fraction = String(Number(micros - floorDiv(micros, 1_000_000n) * 1_000_000n)).padStart(6, "0")
  return `${String(d.getUTCFullYear()).padStart(4, "0")}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${fraction}Z`
}

/**
 * The first and the last microsecond a valid ISO 8601 date or date and time
 * (parseIsoDate) names, as PostgreSQL reads them: the whole of its last
 * field, so `2026-03-01` is the whole day, `…T10:15` the whole minute and
 * `…:09.570Z` the whole millisecond (a line stored at `.570498` is in it,
 * as the log list shows its time to the millisecond); `24:00` is the instant
 * the day ends.
 */
export function isoDateSpan(value: string): { first: string; last: string } {
  const [, , monthText, dayText, hourText, , secondText, fraction = ""] = ISO_DATE.exec(value)!
  const start = Date.parse(value)
  // Date.parse keeps milliseconds: the digits after them are nanoseconds here.
  const startNs = BigInt(start) * 1_000_000n + BigInt((fraction.slice(3) || "0").padEnd(6, "0"))
  let endNs: bigint
  if (hourText === undefined) {
    const end = new Date(start)
    if (dayText !== undefined) end.setUTCDate(end.getUTCDate() + 1)
    else if (monthText !== undefined) end.setUTCMonth(end.getUTCMonth() + 1)
    else end.setUTCFullYear(end.getUTCFullYear() + 1)
    endNs = BigInt(end.getTime()) * 1_000_000n
  } else if (hourText === "24") {
    endNs = startNs + 1000n // The end of the day: that instant.
  } else {
    endNs = startNs + (fraction ? 10n ** BigInt(9 - fraction.length) : secondText !== undefined ? 1_000_000_000n : 60_000_000_000n)
  }
  return { first: microsIso(ceilDiv(startNs, 1000n)), last: microsIso(ceilDiv(endNs, 1000n) - 1n) }
}
