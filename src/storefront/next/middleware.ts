/**
 * The middleware piece (Next's `middleware.ts`, or `proxy.ts` from Next 16):
 * once per navigation, and only for a browser that holds an impersonation
 * token, it asks the store whether the session is still on. When it has
 * ended (the admin ended it, the customer withdrew consent, its time ran
 * out, the feature was switched off), the answer clears the token and the
 * cart id and makes the browser load the page afresh, signed out: no layout,
 * name or order of the customer survives from the client router's cache.
 *
 * Web-standard `Request`/`Response` only: runs on the edge and Node runtimes.
 */
import { IMPERSONATION_ENDED, impersonationTokenExpiry, isImpersonationEnded } from "../index"
import {
  type AssistOptions,
  ENDED_NOTICE_SECONDS,
  readCookie,
  resolveAssistOptions,
  storeHeaders,
} from "./shared"

export type { AssistOptions } from "./shared"

const SESSION_PATH = "/store/login-as-customer/session"

/** Why `checkAssistedSession` let a request through or stopped it (for logs and tests). */
export type AssistedSessionState = "not_assisted" | "skipped" | "active" | "ended" | "unknown"

/**
 * What the request asks for: a navigation (a page, or the client router's
 * fetch of one), which is checked, or anything else (a prefetch, a server
 * action's POST, a HEAD), which is not.
 */
function isNavigation(request: Request): boolean {
  if (request.method !== "GET") return false
  const headers = request.headers
  if (headers.get("next-router-prefetch") || headers.get("purpose") === "prefetch") return false
  if ((headers.get("sec-purpose") ?? "").includes("prefetch")) return false
  return true
}

/**
 * What the token alone tells, without a request: not an impersonation token,
 * past its `exp` (so its session is over), or to be asked about.
 */
export function assistedTokenState(token: string | null | undefined, now: number = Date.now()): "not_assisted" | "ended" | "ask" {
  const exp = impersonationTokenExpiry(token)
  if (exp === null) return "not_assisted"
  return exp * 1000 <= now ? "ended" : "ask"
}

/** Whether the session of this token is over: by its `exp` (no request), or by the store's answer. */
export async function assistedSessionState(
  token: string | null | undefined,
  options: AssistOptions = {},
  now: number = Date.now()
): Promise<Exclude<AssistedSessionState, "skipped">> {
  const local = assistedTokenState(token, now)
  if (local !== "ask") return local
  const resolved = resolveAssistOptions(options)
  try {
    const response = await resolved.fetch(`${resolved.backendUrl}${SESSION_PATH}`, {
      method: "GET",
      headers: storeHeaders(resolved, token),
      cache: "no-store",
    })
    if (response.ok) return "active"
    const body = await response.json().catch(() => null)
    return isImpersonationEnded(response.status, body) ? "ended" : "unknown"
  } catch {
    // The store could not be asked: let the page load, its own requests will tell.
    return "unknown"
  }
}

/** `Set-Cookie` values that remove the token and cart cookies and leave the "ended" notice. */
export function endedCookieHeaders(options: AssistOptions = {}): string[] {
  const { cookies } = resolveAssistOptions(options)
  return [
    `${cookies.token}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`,
    `${cookies.cart}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`,
    `${cookies.ended}=1; Path=/; Max-Age=${ENDED_NOTICE_SECONDS}; SameSite=Lax`,
  ]
}

/**
 * Whether the request loads a document (address bar, link, reload) rather
 * than being a fetch of the client router. Next.js removes the router's own
 * headers (`RSC`, `Next-Router-Prefetch`) before middleware sees a request,
 * so the browser's `Sec-Fetch-Mode` tells (or, without it, `Accept`).
 */
function loadsDocument(request: Request): boolean {
  if (request.headers.get("rsc") === "1") return false
  const mode = request.headers.get("sec-fetch-mode")
  if (mode) return mode === "navigate"
  const accept = request.headers.get("accept")
  return accept === null || accept.includes("text/html")
}

/**
 * The answer for a navigation whose session has ended. A page load gets a
 * redirect to the same address that clears the cookies (the browser loads it
 * again signed out); the client router's fetch (a navigation or a prefetch)
 * gets an answer that is not a React Server Components payload (HTML), which
 * makes Next.js give up the soft navigation and load the page fully, so no
 * layout rendered for the session stays on screen. That answer changes no
 * cookie: a prefetch must not sign the browser out behind the router's back
 * (the next soft navigation would then pass unchecked, under the old layout).
 */
export function endedSessionResponse(request: Request, options: AssistOptions = {}): Response {
  const url = new URL(request.url)
  url.searchParams.delete("_rsc")
  const headers = new Headers({ "cache-control": "no-store" })
  if (!loadsDocument(request)) {
    // Not text/x-component (nor text/plain, which a static export's router would read as one).
    headers.set("content-type", "text/html; charset=utf-8")
    headers.set("x-login-as-customer", IMPERSONATION_ENDED)
    return new Response("The assistance session has ended.", { status: 200, headers })
  }
  for (const cookie of endedCookieHeaders(options)) headers.append("set-cookie", cookie)
  headers.set("location", url.toString())
  return new Response(null, { status: 303, headers })
}

/**
 * The middleware check. Returns a `Response` to send instead (the session
 * ended: cookies cleared, page loaded afresh), or null to go on as usual.
 * Costs nothing for visitors without an impersonation token (read locally
 * from the cookie) and one small request per navigation for assisted ones;
 * prefetches and server actions are not checked.
 *
 * ```ts
 * // src/middleware.ts (or src/proxy.ts)
 * import { checkAssistedSession } from "medusa-plugin-login-as-customer-storefront/next/middleware"
 *
 * export async function middleware(request: NextRequest) {
 *   const ended = await checkAssistedSession(request)
 *   if (ended) return ended
 *   // … the storefront's own middleware
 * }
 * ```
 */
export async function checkAssistedSession(request: Request, options: AssistOptions = {}): Promise<Response | null> {
  if (!isNavigation(request)) return null
  const { cookies } = resolveAssistOptions(options)
  const token = readCookie(request.headers.get("cookie"), cookies.token)
  const state = await assistedSessionState(token, options)
  return state === "ended" ? endedSessionResponse(request, options) : null
}
