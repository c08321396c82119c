/** Comma-separated storefront origins, read when the plugin option is not set. */
export const STOREFRONT_ORIGINS_ENV = "LOGIN_AS_CUSTOMER_STOREFRONT_ORIGINS"

/** Where the list in force came from. */
export type StorefrontOriginsSource = "options" | "env" | "store_cors"

export type StorefrontOrigins = {
  /** The origins a ticket may be sent to, sorted, each once (`https://shop.example.com`). */
  origins: string[]
  source: StorefrontOriginsSource
  /** Entries of Medusa's `storeCors` that can't be a login target (patterns, `*`, malformed). */
  ignored: string[]
}

const LOOPBACK = /^(localhost|[^.]+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/**
 * The origin a storefront entry stands for, or null when it isn't one: an
 * http(s) URL with nothing but scheme, host and port (a trailing `/` is
 * allowed), https unless the host is this machine, no user name or password.
 * The same rule as a storefront's `login_url`, so every origin listed can
 * receive tickets.
 */
export function parseOrigin(value: string): string | null {
  const text = value.trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return null
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) return null
  if (!url.host || url.username || url.password) return null
  if (url.pathname !== "/" || url.search || url.hash) return null
  // "https://shop.example.com/" is accepted; "https://shop.example.com/x" is not.
  if (/[?#]/.test(text) || !/^[a-z]+:\/\/[^/]+\/?$/i.test(text)) return null
  return url.origin
}

/** The origin of a storefront's login URL (`https://shop.example.com:8443`), or null when it has none. */
export function originOfUrl(value: string): string | null {
  try {
    const url = new URL(value)
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null
  } catch {
    return null
  }
}

/**
 * Parses an explicit list (the plugin option, or the env variable split on
 * commas): every entry must be an origin, else the whole list is refused with
 * the entries that are not.
 */
export function parseOriginList(entries: string[]): { origins: string[]; invalid: string[] } {
  const origins: string[] = []
  const invalid: string[] = []
  for (const entry of entries.map((e) => e.trim()).filter(Boolean)) {
    const origin = parseOrigin(entry)
    if (origin) origins.push(origin)
    else invalid.push(entry)
  }
  return { origins, invalid }
}

/** Splits the env variable's value; undefined when it is unset or blank. */
export function originsFromEnv(value: string | undefined): string[] | undefined {
  if (value === undefined || !value.trim()) return undefined
  return value.split(",").map((entry) => entry.trim()).filter(Boolean)
}

const uniqueSorted = (list: string[]) => Array.from(new Set(list)).sort()

/**
 * The storefront origins tickets may be sent to, fixed at deploy time:
 * 1. the plugin option `storefront_origins`, when set;
 * 2. otherwise `LOGIN_AS_CUSTOMER_STOREFRONT_ORIGINS` (comma-separated);
 * 3. otherwise Medusa's `projectConfig.http.storeCors`, the origins allowed
 *    to call the store API (pattern entries and `*` can't name a login
 *    target and are left out).
 * The origins of storefronts given in the plugin options are always added:
 * they are fixed at deploy time too. Nothing an admin saves changes the list.
 */
export function resolveStorefrontOrigins(input: {
  option?: string[]
  env?: string
  storeCors?: string
  optionStorefronts?: Array<{ login_url: string }>
}): StorefrontOrigins {
  const fromStorefronts = (input.optionStorefronts ?? [])
    .map((storefront) => originOfUrl(storefront.login_url))
    .filter((origin): origin is string => !!origin)

  if (input.option) {
    const { origins } = parseOriginList(input.option)
    return { origins: uniqueSorted([...origins, ...fromStorefronts]), source: "options", ignored: [] }
  }
  const env = originsFromEnv(input.env)
  if (env) {
    const { origins } = parseOriginList(env)
    return { origins: uniqueSorted([...origins, ...fromStorefronts]), source: "env", ignored: [] }
  }
  const origins: string[] = []
  const ignored: string[] = []
  for (const entry of (input.storeCors ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const origin = parseOrigin(entry)
    if (origin) origins.push(origin)
    else ignored.push(entry)
  }
  return { origins: uniqueSorted([...origins, ...fromStorefronts]), source: "store_cors", ignored }
}

/** Whether a storefront's login URL points at one of the origins. */
export function isAllowedLoginUrl(loginUrl: string, origins: readonly string[]): boolean {
  const origin = originOfUrl(loginUrl)
  return !!origin && origins.includes(origin)
}

/**
 * Refuses a malformed LOGIN_AS_CUSTOMER_STOREFRONT_ORIGINS at boot, with the
 * entries to fix, instead of silently sending no ticket anywhere.
 */
export function assertStorefrontOriginsEnv(value: string | undefined): void {
  const entries = originsFromEnv(value)
  const invalid = entries ? parseOriginList(entries).invalid : []
  if (invalid.length) {
    throw new Error(
      `medusa-plugin-login-as-customer: invalid ${STOREFRONT_ORIGINS_ENV}: not an origin (https://host[:port], http only for localhost): ${invalid.join(", ")}`
    )
  }
}
