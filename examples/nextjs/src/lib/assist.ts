"use server"
// Login as Customer: the adapter's functions that client components call, as
// this storefront's server actions (a package can't export server actions).
import {
  endAssistedSession,
  exchangeAssistTicket,
  updateRemoteAssistance,
} from "medusa-plugin-login-as-customer-storefront/next"

export async function exchangeTicket(ticket: string) {
  return exchangeAssistTicket(ticket)
}

export async function endAssistance() {
  await endAssistedSession({ redirectTo: "/" })
}

export async function updateConsent(body: { allowed: boolean; expires_at?: string | null }) {
  return updateRemoteAssistance(body)
}
