// Medusa's store API as the reference storefront calls it, the tab's token and
// cart, and the one line of news for the shopper.
const { backendUrl, publishableKey } = window.LAC_CONFIG
// Tab-scoped: the admin's assistance tab and the customer's own tabs never mix.
export const store = window.sessionStorage
export const TOKEN = "lac_demo_token"
export const CART = "lac_demo_cart"
export const $ = (id) => document.getElementById(id)

export const SESSION_ENDED = "The assistance session has ended."

class ApiError extends Error {
  constructor(message, status, code) {
    super(message)
    this.status = status
    this.code = code
    // True once the page has dealt with it (the session ended): callers say nothing more.
    this.handled = false
  }
}

let onSessionEnded = async () => {}

/** What the page does when a request learns that the assisted session has ended. */
export function whenSessionEnds(handler) {
  onSessionEnded = handler
}

export async function api(path, { method = "GET", body, auth = true, as } = {}) {
  const headers = { "x-publishable-api-key": publishableKey }
  if (body !== undefined) headers["content-type"] = "application/json"
  const token = as || store.getItem(TOKEN)
  const sent = auth && token ? token : null
  if (sent) headers.authorization = `Bearer ${sent}`
  const res = await fetch(backendUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
  })
  const data = await res.json().catch(() => null)
  if (!res.ok) {
    const error = new ApiError((data && data.message) || res.statusText, res.status, data && data.code)
    // Any request may be the first to learn that the admin, the customer or
    // the clock ended the assisted session (the same check as the plugin's
    // watchImpersonationEnd helper).
    if (res.status === 401 && error.code === "impersonation_ended" && sent) {
      error.handled = true
      await onSessionEnded(sent)
    }
    throw error
  }
  return data
}

/** A line for the shopper: errors are announced at once, anything else politely. */
export function say(text, isError) {
  $("message").textContent = text || ""
  $("message").className = isError ? "error" : "muted"
  $("message").setAttribute("role", isError ? "alert" : "status")
}

/** Shows what went wrong, unless the page has already dealt with it. */
export function report(error) {
  if (error && error.handled) return
  say(error.message, true)
}

export function readTicket(hash) {
  const ticket = new URLSearchParams(hash.replace(/^#/, "")).get("ticket")
  return ticket && /^[A-Za-z0-9_-]{16,200}$/.test(ticket) ? ticket : null
}

/** Forgets the tab's token and cart. */
export function forget() {
  store.removeItem(TOKEN)
  store.removeItem(CART)
}
