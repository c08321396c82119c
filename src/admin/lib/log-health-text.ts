import type { TFunction } from "i18next"
import type { PassedOver } from "../../modules/login-as-customer/log-integrity/verification-record"
import { formatDate, localeTag } from "./locale"

const UNITS = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const

/**
 * A size on disk in the admin's language, its unit and digits from the
 * language ("304 kB", "٣٠٤ ك.بايت"), in the language's own order.
 */
export function formatSize(bytes: number, language: string | undefined): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const options = { style: "unit", unit: UNITS[unit], unitDisplay: "short", maximumFractionDigits: unit ? 1 : 0 } as const
  try {
    return new Intl.NumberFormat(localeTag(language), options).format(value)
  } catch {
    return new Intl.NumberFormat(undefined, options).format(value)
  }
}

const NONE = {
  oldest: "loginAsCustomer.logIntegrity.noLines",
  seal: "loginAsCustomer.logIntegrity.notSealed",
  verification: "loginAsCustomer.logIntegrity.notVerified",
} as const

/** A date of the log's health, or what its absence means ("No lines yet", "Not sealed yet"). */
export function healthDate(
  t: TFunction,
  iso: string | null | undefined,
  what: keyof typeof NONE,
  language: string | undefined
): string {
  return iso ? formatDate(iso, language) : t(NONE[what])
}

/** A lifetime's value under a label that already says "(seconds)": the number alone. */
export function lifetimeValue(seconds: number, language: string | undefined): string {
  return seconds.toLocaleString(localeTag(language))
}

/**
 * The verification records Log health passed over (newer than the one shown,
 * not signed with the key: inserted by SQL), or null for none: their number
 * in the language's digits, "20,000+" when reading stopped there.
 */
export function passedOverText(
  t: TFunction,
  passed: PassedOver | undefined,
  language: string | undefined
): string | null {
  if (!passed?.count) {
    return null
  }
  const number = `${passed.count.toLocaleString(localeTag(language))}${passed.at_least ? "+" : ""}`
  return t("loginAsCustomer.logIntegrity.passedOver", { number })
}
