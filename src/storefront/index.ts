/**
 * Small typed helpers for storefronts, over `@medusajs/js-sdk`:
 * `import { getRemoteAssistance } from "medusa-plugin-login-as-customer/storefront"`.
 * They carry no server code; pass the storefront's own SDK instance.
 */
import type Medusa from "@medusajs/js-sdk"
import { IMPERSONATION_ENDED, isImpersonationEnded, type ImpersonationEndedEvent } from "./answers"
import { isImpersonationToken } from "./tokens"

export * from "./answers"
export * from "./tokens"

export type StoreRemoteAssistance = {
  allowed: boolean
  expires_at: string | null
  /** Whether the consent counts right now (allowed and not expired). */
  active: boolean
  updated_by_type: "customer" | "user" | null
  updated_at: string | null
}

export type StoreAssistanceSession = {
  id: string
  admin: { first_name: string | null }
  reason: string | null
  mode: "full" | "read_only"
  started_at: string
  ended_at: string | null
  end_reason: string | null
  /**
   * Who ended it, as the customer would say it: `customer` ("you", by
   * withdrawing consent), `store` (someone at the store) or `expired` (its
   * time, or the consent's end date, ran out); null while in progress.
   */
  ended_by: "customer" | "store" | "expired" | null
  order_ids: string[]
  /** The orders placed during the session, with the number the customer knows (`#1001`). */
  orders: Array<{ id: string; display_id: number }>
}

export type StoreRemoteAssistanceResponse = {
  remote_assistance: StoreRemoteAssistance
  /** A page of the history, newest first. */
  sessions: StoreAssistanceSession[]
  count: number
  offset: number
  limit: number
}

/** The impersonation session as the storefront sees it. */
export type StoreImpersonationSession = {
  id: string
  mode: "full" | "read_only"
  started_at: string | null
  expires_at: string | null
  ended_at: string | null
  end_reason: string | null
  customer: { id: string; email: string | null; first_name: string | null; last_name: string | null }
  admin: { first_name: string | null; last_name: string | null }
}

const REMOTE_ASSISTANCE_PATH = "/store/customers/me/remote-assistance"
const SESSIONS_PATH = "/store/login-as-customer/sessions"
const SESSION_PATH = "/store/login-as-customer/session"

/**
 * Reads the ticket from a login URL's fragment (`#ticket=…`), or null.
 * Pass `window.location.hash` (or a whole URL).
 */
export function readTicket(hashOrUrl: string): string | null {
  const hash = hashOrUrl.includes("#") ? hashOrUrl.slice(hashOrUrl.indexOf("#") + 1) : hashOrUrl
  const ticket = new URLSearchParams(hash.replace(/^#/, "")).get("ticket")
  return ticket && /^[A-Za-z0-9_-]{16,200}$/.test(ticket) ? ticket : null
}

/**
 * Trades a one-time ticket for the customer session, and makes the SDK use
 * its token (the previous token is replaced). Discard any guest cart before
 * calling this, so nothing of the previous visitor carries over.
 */
export async function exchangeTicket(
  sdk: Medusa,
  ticket: string
): Promise<{ token: string; session: StoreImpersonationSession }> {
  const result = await sdk.client.fetch<{ token: string; session: StoreImpersonationSession }>(
    SESSIONS_PATH,
    { method: "POST", body: { ticket } }
  )
  await sdk.client.setToken(result.token)
  return result
}

/**
 * The impersonation session the SDK's token belongs to, for the banner
 * "You are logged in as … — assisted by …"; null for the customer themselves.
 */
export async function getImpersonation(sdk: Medusa): Promise<StoreImpersonationSession | null> {
  const { session } = await sdk.client.fetch<{ session: StoreImpersonationSession | null }>(
    SESSION_PATH,
    { method: "GET" }
  )
  return session
}

/** Ends the impersonation session (the banner's "End session") and forgets its token. */
export async function endImpersonation(sdk: Medusa): Promise<StoreImpersonationSession> {
  const { session } = await sdk.client.fetch<{ session: StoreImpersonationSession }>(SESSION_PATH, {
    method: "DELETE",
  })
  await sdk.client.clearToken()
  return session
}

/** The banner's text: "You are logged in as Jane Doe — assisted by Ada". */
export function bannerText(session: StoreImpersonationSession): string {
  const customer =
    [session.customer.first_name, session.customer.last_name].filter(Boolean).join(" ") ||
    session.customer.email ||
    "this customer"
  const admin = [session.admin.first_name, session.admin.last_name].filter(Boolean).join(" ")
  return admin
    ? `You are logged in as ${customer} — assisted by ${admin}`
    : `You are logged in as ${customer}`
}

/**
 * The signed-in customer's consent and a page of their assistance history
 * (`limit` 1–100, default 20; `offset` default 0; `count` is the total).
 */
export function getRemoteAssistance(
  sdk: Medusa,
  page: { limit?: number; offset?: number } = {}
): Promise<StoreRemoteAssistanceResponse> {
  const query: Record<string, number> = {}
  if (page.limit !== undefined) query.limit = page.limit
  if (page.offset !== undefined) query.offset = page.offset
  return sdk.client.fetch<StoreRemoteAssistanceResponse>(REMOTE_ASSISTANCE_PATH, {
    method: "GET",
    query,
  })
}

/**
 * Gives or withdraws "Allow remote shopping assistance". `expires_at` (ISO
 * date, in the future) makes the consent end by itself.
 */
export function setRemoteAssistance(
  sdk: Medusa,
  body: { allowed: boolean; expires_at?: string | null }
): Promise<{ remote_assistance: StoreRemoteAssistance }> {
  return sdk.client.fetch<{ remote_assistance: StoreRemoteAssistance }>(REMOTE_ASSISTANCE_PATH, {
    method: "POST",
    body,
  })
}

/**
 * Reports each ended session once: per credential (token or cookie), and again
 * only after a request started after the report succeeded with it (a new
 * sign-in on the same cookie). Requests already in flight when a session ends
 * all get the 401; only the first one is reported.
 */
class EndReporter {
  private sequence = 0
  private reported = new Map<string, number>()

  begin(): number {
    return ++this.sequence
  }

  succeeded(key: string, startedAt: number) {
    const at = this.reported.get(key)
    if (at !== undefined && startedAt > at) this.reported.delete(key)
  }

  /** True for the first report of this credential's end. */
  claim(key: string): boolean {
    if (this.reported.has(key)) return false
    this.reported.set(key, this.sequence)
    if (this.reported.size > 100) this.reported.delete(this.reported.keys().next().value as string)
    return true
  }
}

function bearerOf(headers: unknown): string | null {
  if (!headers || typeof headers !== "object") return null
  const value = new Headers(headers as HeadersInit).get("authorization")
  return value && /^Bearer /i.test(value) ? value.slice(7).trim() : null
}

function authorizationOf(input: RequestInfo | URL, init?: RequestInit): string {
  const fromInit = init?.headers ? new Headers(init.headers).get("authorization") : null
  if (fromInit !== null) return fromInit
  if (typeof Request !== "undefined" && input instanceof Request) {
    return input.headers.get("authorization") ?? ""
  }
  return ""
}

/**
 * Wraps a `fetch` (the browser's, or the one a server action uses) so that
 * any answer `401 { code: "impersonation_ended" }` clears the storefront's
 * state and tells it once. Give `clearToken` and `clearCart` for wherever the
 * storefront keeps them (storage, cookies). The answer itself is passed on
 * unchanged.
 *
 * ```ts
 * const storeFetch = watchImpersonationEnd(fetch, {
 *   clearToken: () => sessionStorage.removeItem("token"),
 *   clearCart: () => sessionStorage.removeItem("cart_id"),
 *   onEnded: () => showSignedOut("The assistance session has ended."),
 * })
 * ```
 */
export function watchImpersonationEnd(
  fetchImpl: typeof fetch,
  options: ImpersonationEndedOptions & { clearToken?: () => void | Promise<void> }
): typeof fetch {
  const reporter = new EndReporter()
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const key = authorizationOf(input, init)
    const startedAt = reporter.begin()
    const response = await fetchImpl(input, init)
    if (response.status < 400) {
      reporter.succeeded(key, startedAt)
      return response
    }
    if (response.status !== 401) return response
    const body = await response
      .clone()
      .json()
      .catch(() => null)
    if (isImpersonationEnded(response.status, body) && reporter.claim(key)) {
      await options.clearToken?.()
      await options.clearCart?.()
      await options.onEnded({ code: IMPERSONATION_ENDED, message: String(body.message ?? "") })
    }
    return response
  }
  return wrapped as typeof fetch
}

export type ImpersonationEndedOptions = {
  /**
   * The storefront's reaction, called once per ended session after the token
   * and the cart id are cleared: hide the banner and "Signed in as…", say that
   * the session ended, show the signed-out page.
   */
  onEnded: (event: ImpersonationEndedEvent) => void | Promise<void>
  /**
   * Forgets the session's cart id (e.g. the Next.js starter's `removeCartId`).
   * Medusa serves a cart to whoever holds its id, so it must not outlive the session.
   */
  clearCart?: () => void | Promise<void>
}

/**
 * The js-sdk hook: from now on, when any request of `sdk` (its `store`,
 * `auth` and `client.fetch` calls alike) is refused because the assisted
 * session is over, the SDK's token is cleared (and `clearToken` runs, for a
 * token the storefront keeps itself and passes per call as `Authorization`),
 * `clearCart` runs and `onEnded` is called, once per session; the request
 * still rejects as before. Returns a function that removes the hook.
 *
 * The SDK's errors carry only the status, so a 401 to an impersonation token
 * is confirmed with one `GET /store/login-as-customer/session` before anything
 * is cleared: a wrong password typed while assisting ends nothing. For the SDK
 * with JWT authentication (`auth: { type: "jwt" }`), which the ticket exchange uses.
 */
export function onImpersonationEnded(
  sdk: Medusa,
  options: ImpersonationEndedOptions & { clearToken?: () => void | Promise<void> }
): () => void {
  const client = sdk.client
  const original = client.fetch_
  const reporter = new EndReporter()
  const hooked: typeof client.fetch_ = async (input, init) => {
    const token = bearerOf(init?.headers) ?? (await client.getToken()) ?? ""
    const startedAt = reporter.begin()
    try {
      const result = await original(input, init)
      reporter.succeeded(token, startedAt)
      return result
    } catch (error) {
      if ((error as { status?: number })?.status === 401 && isImpersonationToken(token)) {
        const ended = await original(SESSION_PATH, {
          method: "GET",
          headers: { authorization: `Bearer ${token}` },
        }).then(
          () => false,
          (confirmation: { status?: number }) => confirmation?.status === 401
        )
        if (ended && reporter.claim(token)) {
          if ((await client.getToken()) === token) await client.clearToken()
          await options.clearToken?.()
          await options.clearCart?.()
          await options.onEnded({
            code: IMPERSONATION_ENDED,
            message: (error as Error).message ?? "",
          })
        }
      }
      throw error
    }
  }
  client.fetch_ = hooked
  return () => {
    if (client.fetch_ === hooked) client.fetch_ = original
  }
}
