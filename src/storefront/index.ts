/**
 * Small typed helpers for storefronts, over `@medusajs/js-sdk`:
 * `import { getRemoteAssistance } from "medusa-plugin-login-as-customer/storefront"`.
 * They carry no server code; pass the storefront's own SDK instance.
 */
import type Medusa from "@medusajs/js-sdk"

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
  order_ids: string[]
}

export type StoreRemoteAssistanceResponse = {
  remote_assistance: StoreRemoteAssistance
  sessions: StoreAssistanceSession[]
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

/** The signed-in customer's consent and assistance history. */
export function getRemoteAssistance(sdk: Medusa): Promise<StoreRemoteAssistanceResponse> {
  return sdk.client.fetch<StoreRemoteAssistanceResponse>(REMOTE_ASSISTANCE_PATH, {
    method: "GET",
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
