/**
 * Requests of an assisted session must never come from Next.js's data cache:
 * the starters fetch the customer and the orders with `cache: "force-cache"`,
 * and a cached answer outlives the session (after an end the account, the
 * orders and the name stay on screen). These helpers turn any request that
 * carries an impersonation token into `cache: "no-store"`, whatever the page
 * asked for; every other request is left exactly as it was.
 */
import type Medusa from "@medusajs/js-sdk"
import { isImpersonationToken } from "../index"

/** The part of a fetch's options these helpers look at (Next's `RequestInit` has `next`). */
export type CacheableInit = {
  headers?: unknown
  cache?: RequestCache
  next?: { revalidate?: number | false; tags?: string[] } & Record<string, unknown>
}

function bearer(headers: unknown): string | null {
  if (!headers || typeof headers !== "object") return null
  let value: string | null = null
  try {
    value = new Headers(headers as HeadersInit).get("authorization")
  } catch {
    return null
  }
  return value && /^Bearer\s/i.test(value) ? value.replace(/^Bearer\s+/i, "").trim() : null
}

/**
 * The fetch options to use: unchanged, unless they carry an impersonation
 * token (`Authorization: Bearer …`, or `token` when the caller knows it), in
 * which case `cache` becomes `"no-store"` and `next.revalidate` is dropped
 * (Next warns about both at once); `next.tags` stay.
 */
export function assistedFetchInit<T extends CacheableInit>(init: T, token?: string | null): T
export function assistedFetchInit<T extends CacheableInit>(init: T | undefined, token?: string | null): T | undefined
export function assistedFetchInit<T extends CacheableInit>(init: T | undefined, token?: string | null): T | undefined {
  const credential = token ?? bearer(init?.headers)
  if (!isImpersonationToken(credential)) return init
  const result = { ...(init ?? {}), cache: "no-store" as RequestCache } as T
  if (init?.next) {
    const { revalidate: _revalidate, ...rest } = init.next
    if (Object.keys(rest).length) result.next = rest as T["next"]
    else delete result.next
  }
  return result
}

/**
 * Wraps a `fetch` so that assisted requests are `no-store` (see
 * `assistedFetchInit`). For code that calls `fetch` itself rather than
 * through the js-sdk.
 */
export function noStoreFetch(fetchImpl: typeof fetch = fetch): typeof fetch {
  const wrapped = (input: RequestInfo | URL, init?: RequestInit) => {
    let token: string | null = null
    if (!init?.headers && typeof Request !== "undefined" && input instanceof Request) {
      token = bearer(input.headers)
    }
    return fetchImpl(input, assistedFetchInit(init as CacheableInit | undefined, token) as RequestInit | undefined)
  }
  return wrapped as typeof fetch
}

/**
 * The js-sdk hook: from now on every request of `sdk` (`sdk.store.*`,
 * `sdk.client.fetch`, and the starters' own wrapper around it) that carries
 * an impersonation token is made with `cache: "no-store"`. One line next to
 * where the storefront creates its SDK:
 *
 * ```ts
 * export const sdk = new Medusa({ … })
 * noStoreWhenAssisted(sdk)
 * ```
 *
 * Returns a function that removes the hook.
 */
export function noStoreWhenAssisted(sdk: Medusa): () => void {
  const client = sdk.client
  const original = client.fetch_
  const hooked: typeof client.fetch_ = async (input, init) => {
    let token = bearer(init?.headers)
    if (!token) {
      try {
        token = (await client.getToken()) ?? null
      } catch {
        token = null
      }
    }
    return original(input, assistedFetchInit(init as CacheableInit | undefined, token) as typeof init)
  }
  client.fetch_ = hooked
  return () => {
    if (client.fetch_ === hooked) client.fetch_ = original
  }
}
