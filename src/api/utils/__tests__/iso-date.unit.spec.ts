import { isoDateSpan, parseIsoDate } from "../iso-date"
import { isoDate } from "../schemas"

const accepted = (value: string) => isoDate.safeParse(value).success
const message = (value: string) => {
  const parsed = isoDate.safeParse(value)
  return parsed.success ? null : parsed.error.issues.map((issue) => issue.message).join("; ")
}

describe("the date rule of the plugin's routes (isoDate)", () => {
  it.each([
    ["2026-02-30", /February 2026 has days 01 to 28/],
    ["2026-02-30T10:00:00Z", /February 2026 has days 01 to 28/],
    ["2026-04-31T00:00:00+02:00", /April 2026 has days 01 to 30/],
    ["2025-02-29", /February 2025 has days 01 to 28/],
    ["1900-02-29", /February 1900 has days 01 to 28/],
    ["2026-06-00", /June 2026 has days 01 to 30/],
    ["2026-13-01", /no month 13/],
    ["2026-00-10", /no month 00/],
    ["2026-01-01T25:00:00Z", /not a time of day/],
    ["2026-01-01T23:60:00Z", /not a time of day/],
    ["2026-01-01T23:59:60Z", /not a time of day/],
    ["2026-01-01T24:00:01Z", /not a time of day/],
    ["2026-01-01T10:00:00+24:00", /time zone offset/],
    ["2026-01-01T10:00:00+02:60", /time zone offset/],
    ["Feb 30 2026", /ISO 8601/],
    ["2026/02/01", /ISO 8601/],
    ["yesterday", /ISO 8601/],
    ["2026-01-01T10", /ISO 8601/],
  ])("refuses %s, saying why", (value, why) => {
    expect(accepted(value)).toBe(false)
    expect(message(value)).toMatch(why)
  })

  it.each([
    "2026-02-28",
    "2024-02-29",
    "2000-02-29",
    "2026-12-31",
    "2026-01-31T23:59:59.999Z",
    "2026-01-01T10:00:00Z",
    "2026-01-01T10:00:00.123456Z",
    "2026-01-01T10:00Z",
    "2026-01-01T10:00:00+02:00",
    "2026-01-01T10:00:00-05:30",
    "2026-01-01T10:00:00+0200",
    "2026-01-01T10:00:00",
    "2026-01-01T24:00:00Z",
    "2026-01-01 10:00",
    "2026-01-01t10:00:00z",
    "2026-01",
    "2026",
    "+002026-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
  ])("takes %s as Date.parse reads it", (value) => {
    expect(accepted(value)).toBe(true)
    expect(parseIsoDate(value)).toEqual({ time: Date.parse(value) })
  })

  it("still refuses dates outside years 1 to 9999", () => {
    for (const value of ["0000-12-31T23:59:59Z", "10000-01-01", "+010000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z"]) {
      expect(accepted(value)).toBe(false)
    }
  })
})

describe("isoDateSpan", () => {
  it.each([
    ["2026-03-01", "2026-03-01T00:00:00.000000Z", "2026-03-01T23:59:59.999999Z"],
    ["2026-02", "2026-02-01T00:00:00.000000Z", "2026-02-28T23:59:59.999999Z"],
    ["2024", "2024-01-01T00:00:00.000000Z", "2024-12-31T23:59:59.999999Z"],
    ["2026-03-01T10:15Z", "2026-03-01T10:15:00.000000Z", "2026-03-01T10:15:59.999999Z"],
    ["2026-03-01T10:15:09Z", "2026-03-01T10:15:09.000000Z", "2026-03-01T10:15:09.999999Z"],
    ["2026-03-01T10:15:09.570Z", "2026-03-01T10:15:09.570000Z", "2026-03-01T10:15:09.570999Z"],
    ["2026-03-01T10:15:09.570498Z", "2026-03-01T10:15:09.570498Z", "2026-03-01T10:15:09.570498Z"],
    // Nanoseconds: no microsecond falls within it.
    ["2026-03-01T10:15:09.570498123Z", "2026-03-01T10:15:09.570499Z", "2026-03-01T10:15:09.570498Z"],
    ["2026-03-02T00:00:00+01:00", "2026-03-01T23:00:00.000000Z", "2026-03-01T23:00:00.999999Z"],
    ["2026-03-01T24:00Z", "2026-03-02T00:00:00.000000Z", "2026-03-02T00:00:00.000000Z"],
    ["0050-06-15", "0050-06-15T00:00:00.000000Z", "0050-06-15T23:59:59.999999Z"],
    ["9999-12-31", "9999-12-31T00:00:00.000000Z", "9999-12-31T23:59:59.999999Z"],
    ["1969-12-31T23:59:59.9995Z", "1969-12-31T23:59:59.999500Z", "1969-12-31T23:59:59.999599Z"],
  ])("%s is %s to %s", (value, first, last) => {
    expect(isoDateSpan(value)).toEqual({ first, last })
  })
})
