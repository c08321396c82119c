/**
 * The Next.js (App Router) adapter of the storefront helpers:
 * `import { … } from "medusa-plugin-login-as-customer-storefront/next"`.
 * Each piece works without the others:
 *
 * - `exchangeAssistTicket`: the ticket page's server action. Returns a result
 *   instead of throwing; sets the token's cookie to expire with the session;
 *   clears the guest cart.
 * - `checkAssistedSession` (also `/next/middleware`): the middleware check
 *   that signs a browser out, with a full reload, once its session has ended.
 * - `noStoreWhenAssisted`, `assistedFetchInit`, `noStoreFetch` (also
 *   `/next/fetch`): assisted requests are never served from Next's data cache.
 * - `endAssistedSession`: the banner's "End session", and the first line of
 *   the storefront's own sign-out.
 * - `getAssistedSession`, `AssistBanner`, `AssistEndedNotice`: the banner.
 * - `fetchRemoteAssistance`, `updateRemoteAssistance`,
 *   `RemoteAssistanceSection`: consent and "who helped me" on the account page.
 * - `AssistTicketLogin` (also `/next/client`): the ticket page's component.
 *
 * Server actions can't be exported from a package, so the storefront wraps
 * the functions it hands to client components in a `"use server"` file of
 * its own (one line each); see docs/storefront.md.
 *
 * The functions here read and write cookies with `next/headers`: call them
 * from server components, server actions and route handlers.
 */
import { cookies } from "next/headers"
import { redirect } from "next/navigation"
import {
  assistedRefusal,
  type StoreImpersonationSession,
  type StoreRemoteAssistanceResponse,
  ticketError,
} from "../index"
import { assistedTokenState } from "./middleware"
import {
  type AssistOptions,
  type ConsentResult,
  type ExchangeResult,
  ENDED_NOTICE_SECONDS,
  resolveAssistOptions,
  sessionCookieOptions,
  storeHeaders,
} from "./shared"

export * from "./shared"
export * from "./fetch"
export * from "./middleware"
export { AssistBanner, type AssistBannerProps } from "./banner"
export {
  AssistEndedNotice,
  AssistTicketLogin,
  RemoteAssistanceSection,
  type AssistEndedNoticeProps,
  type AssistTicketLoginProps,
  type RemoteAssistanceSectionProps,
} from "./client"

const SESSIONS_PATH = "/store/login-as-customer/sessions"
const SESSION_PATH = "/store/login-as-customer/session"
const REMOTE_ASSISTANCE_PATH = "/store/customers/me/remote-assistance"
const TICKET = /^[A-Za-z0-9_-]{16,200}$/

async function cookieStore() {
  return await cookies()
}

async function readJson(response: Response): Promise<any> {
  return response.json().catch(() => null)
}

/**
 * Trades the ticket for the customer's session: sets the token's cookie to
 * expire with the session, removes the guest cart's cookie (nothing of the
 * browser's previous visitor carries over) and any "session ended" notice.
 * Returns `{ ok: true, session }`, or `{ ok: false, code, message, … }` (see
 * `TicketErrorCode`); it never throws and never redirects: the caller
 * navigates on success (`AssistTicketLogin` does a full page load).
 *
 * ```ts
 * // src/lib/data/assist.ts
 * "use server"
 * import { exchangeAssistTicket } from "medusa-plugin-login-as-customer-storefront/next"
 * export async function exchangeTicket(ticket: string) {
 *   return exchangeAssistTicket(ticket)
 * }
 * ```
 */
export async function exchangeAssistTicket(ticket: string | null | undefined, options: AssistOptions = {}): Promise<ExchangeResult> {
  if (typeof ticket !== "string" || !TICKET.test(ticket)) {
    return { ok: false, ...ticketError(400, null) }
  }
  const resolved = resolveAssistOptions(options)
  let response: Response
  try {
    response = await resolved.fetch(`${resolved.backendUrl}${SESSIONS_PATH}`, {
      method: "POST",
      headers: { ...storeHeaders(resolved), "content-type": "application/json" },
      body: JSON.stringify({ ticket }),
      cache: "no-store",
    })
  } catch {
    return { ok: false, ...ticketError(0, null) }
  }
  const body = await readJson(response)
  if (response.status !== 201 && response.status !== 200) {
    return { ok: false, ...ticketError(response.status, body, response.headers.get("retry-after")) }
  }
  if (!body || typeof body.token !== "string" || !body.session) {
    return { ok: false, ...ticketError(502, body) }
  }
  const store = await cookieStore()
  store.set(resolved.cookies.token, body.token, sessionCookieOptions(body.session.expires_at))
  store.delete(resolved.cookies.cart)
  store.delete(resolved.cookies.ended)
  return { ok: true, session: body.session as StoreImpersonationSession }
}

/**
 * The assisted session of this browser, for the banner; null for everyone
 * else (decided from the cookie, without a request) and once the session is
 * over. Never cached.
 */
export async function getAssistedSession(options: AssistOptions = {}): Promise<StoreImpersonationSession | null> {
  const resolved = resolveAssistOptions(options)
  const token = (await cookieStore()).get(resolved.cookies.token)?.value
  if (assistedTokenState(token) !== "ask") return null
  try {
    const response = await resolved.fetch(`${resolved.backendUrl}${SESSION_PATH}`, {
      method: "GET",
      headers: storeHeaders(resolved, token),
      cache: "no-store",
    })
    if (!response.ok) return null
    const body = await readJson(response)
    return (body?.session as StoreImpersonationSession | null) ?? null
  } catch {
    return null
  }
}

/**
 * Ends this browser's assisted session, if it has one: tells the store
 * (`DELETE /store/login-as-customer/session`, recorded with the reason
 * `logout`), removes the token's and the cart's cookies and leaves the "session
 * ended" notice. For a customer's own login it does nothing and returns
 * `{ ended: false }`, so it can be the first line of the storefront's sign-out:
 *
 * ```ts
 * export async function signout(countryCode: string) {
 *   await endAssistedSession()
 *   await sdk.auth.logout()
 *   // … the starter's own lines
 * }
 * ```
 *
 * With `redirectTo`, it redirects there afterwards (for the banner's button).
 * Never throws for the store's answer: the cookies are cleared whatever it says.
 */
export async function endAssistedSession(options: AssistOptions & { redirectTo?: string } = {}): Promise<{ ended: boolean }> {
  const resolved = resolveAssistOptions(options)
  const store = await cookieStore()
  const token = store.get(resolved.cookies.token)?.value
  let ended = false
  if (assistedTokenState(token) !== "not_assisted") {
    await resolved
      .fetch(`${resolved.backendUrl}${SESSION_PATH}`, {
        method: "DELETE",
        headers: storeHeaders(resolved, token),
        cache: "no-store",
      })
      .catch(() => undefined)
    store.delete(resolved.cookies.token)
    store.delete(resolved.cookies.cart)
    store.set(resolved.cookies.ended, "1", { maxAge: ENDED_NOTICE_SECONDS, path: "/", sameSite: "lax" })
    ended = true
  }
  if (options.redirectTo) redirect(options.redirectTo)
  return { ended }
}

/**
 * The signed-in customer's consent and a page of their assistance history,
 * or null when nobody is signed in. Never cached.
 */
export async function fetchRemoteAssistance(
  page: { limit?: number; offset?: number } = {},
  options: AssistOptions = {}
): Promise<StoreRemoteAssistanceResponse | null> {
  const resolved = resolveAssistOptions(options)
  const token = (await cookieStore()).get(resolved.cookies.token)?.value
  if (!token) return null
  const query = new URLSearchParams()
  if (page.limit !== undefined) query.set("limit", String(page.limit))
  if (page.offset !== undefined) query.set("offset", String(Math.max(0, Math.floor(page.offset) || 0)))
  const suffix = query.toString() ? `?${query}` : ""
  try {
    const response = await resolved.fetch(`${resolved.backendUrl}${REMOTE_ASSISTANCE_PATH}${suffix}`, {
      method: "GET",
      headers: storeHeaders(resolved, token),
      cache: "no-store",
    })
    if (!response.ok) return null
    return (await readJson(response)) as StoreRemoteAssistanceResponse | null
  } catch {
    return null
  }
}

/**
 * Gives or withdraws "Allow remote shopping assistance" for the signed-in
 * customer. While someone is logged in on the customer's behalf, the store
 * refuses (`restricted_while_impersonating`): the result says so, to show.
 */
export async function updateRemoteAssistance(
  body: { allowed: boolean; expires_at?: string | null },
  options: AssistOptions = {}
): Promise<ConsentResult> {
  const resolved = resolveAssistOptions(options)
  const token = (await cookieStore()).get(resolved.cookies.token)?.value
  if (!token) return { ok: false, code: "not_signed_in", message: "Sign in to change this setting." }
  try {
    const response = await resolved.fetch(`${resolved.backendUrl}${REMOTE_ASSISTANCE_PATH}`, {
      method: "POST",
      headers: { ...storeHeaders(resolved, token), "content-type": "application/json" },
      body: JSON.stringify({ allowed: body.allowed, expires_at: body.allowed ? body.expires_at ?? null : null }),
      cache: "no-store",
    })
    const answer = await readJson(response)
    if (response.ok && answer?.remote_assistance) return { ok: true, remote_assistance: answer.remote_assistance }
    const refusal = assistedRefusal(response.status, answer)
    if (refusal) return { ok: false, ...refusal }
    return {
      ok: false,
      code: (answer && typeof answer.code === "string" && answer.code) || "unavailable",
      message: (answer && typeof answer.message === "string" && answer.message) || "The setting could not be saved. Try again.",
    }
  } catch {
    return { ok: false, code: "unavailable", message: "The store could not be reached. Try again in a moment." }
  }
}
