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

const REMOTE_ASSISTANCE_PATH = "/store/customers/me/remote-assistance"

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
