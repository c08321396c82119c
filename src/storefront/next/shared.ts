/**
 * What the Next.js adapter's pieces share: where the backend is, which
 * cookies the storefront keeps, and how long the token's cookie lives.
 * Nothing here imports Next.js or React, so it runs in middleware, server
 * code, client code and tests alike.
 */
import type { StoreImpersonationSession, StoreRemoteAssistance, TicketError } from "../index"

/** What the ticket page's action answers: never a thrown error, so the page never flashes one. */
export type ExchangeResult = { ok: true; session: StoreImpersonationSession } | ({ ok: false } & TicketError)

/** What the consent action answers: a refusal is a result with a sentence, not a thrown error. */
export type ConsentResult =
  | { ok: true; remote_assistance: StoreRemoteAssistance }
  | { ok: false; code: string; message: string }

/** The cookie names of Medusa's Next.js starters, which the adapter uses unless told otherwise. */
export type AssistCookieNames = {
  /** The customer's JWT (`_medusa_jwt`). */
  token: string
  /** The cart id (`_medusa_cart_id`). */
  cart: string
  /**
   * Set for a minute when a session has just ended (`_lac_session_ended`), so
   * the next page can say so; read and removed by `AssistEndedNotice`.
   */
  ended: string
}

export const DEFAULT_COOKIE_NAMES: AssistCookieNames = {
  token: "_medusa_jwt",
  cart: "_medusa_cart_id",
  ended: "_lac_session_ended",
}

/**
 * Where the adapter finds the store. Every field is optional: by default the
 * backend is `MEDUSA_BACKEND_URL` or `NEXT_PUBLIC_MEDUSA_BACKEND_URL` (else
 * http://localhost:9000), the key `NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY`, and
 * the cookies the starters use.
 */
export type AssistOptions = {
  backendUrl?: string
  publishableKey?: string
  cookies?: Partial<AssistCookieNames>
  /** The `fetch` to call the backend with (default: the global one). */
  fetch?: typeof fetch
}

export type ResolvedAssistOptions = {
  backendUrl: string
  publishableKey: string | undefined
  cookies: AssistCookieNames
  fetch: typeof fetch
}

export function resolveAssistOptions(options: AssistOptions = {}): ResolvedAssistOptions {
  const env = typeof process !== "undefined" && process.env ? process.env : ({} as Record<string, string | undefined>)
  // Written out in full so that Next.js inlines the NEXT_PUBLIC_ values in every bundle.
  const backendUrl =
    options.backendUrl ||
    env.MEDUSA_BACKEND_URL ||
    process.env.NEXT_PUBLIC_MEDUSA_BACKEND_URL ||
    "http://localhost:9000"
  return {
    backendUrl: backendUrl.replace(/\/+$/, ""),
    publishableKey: options.publishableKey ?? process.env.NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY,
    cookies: { ...DEFAULT_COOKIE_NAMES, ...options.cookies },
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
  }
}

/** The options Next.js's `cookies().set()` takes, as far as the adapter uses them. */
export type TokenCookieOptions = {
  maxAge: number
  expires: Date
  httpOnly: true
  sameSite: "strict"
  secure: boolean
  path: "/"
}

/**
 * The assisted token's cookie expires with its session (the starters keep
 * their own for 7 days; an assisted session lasts an hour or so and can't be
 * refreshed). Without a usable `expires_at`, one hour.
 */
export function sessionCookieOptions(expiresAt: string | null | undefined, now: number = Date.now()): TokenCookieOptions {
  const parsed = expiresAt ? Date.parse(expiresAt) : NaN
  const end = Number.isFinite(parsed) ? parsed : now + 60 * 60 * 1000
  return {
    maxAge: Math.max(0, Math.floor((end - now) / 1000)),
    expires: new Date(end),
    httpOnly: true,
    sameSite: "strict",
    secure: process.env.NODE_ENV === "production",
    path: "/",
  }
}

/** How long the "session ended" notice waits to be shown, in seconds. */
export const ENDED_NOTICE_SECONDS = 60

/** Headers for the plugin's store routes: the publishable key and, when given, the bearer token. */
export function storeHeaders(options: ResolvedAssistOptions, token?: string | null): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" }
  if (options.publishableKey) headers["x-publishable-api-key"] = options.publishableKey
  if (token) headers.authorization = `Bearer ${token}`
  return headers
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(";")) {
    const index = part.indexOf("=")
    if (index < 0) continue
    if (part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim()
      try {
        return decodeURIComponent(value)
      } catch {
        return value
      }
    }
  }
  return null
}
