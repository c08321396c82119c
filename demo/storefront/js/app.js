// Reference storefront for Login as Customer: plain browser JavaScript over
// Medusa's store API (ES modules, no build step). Every text from the server
// is set with textContent.
import { $, api, forget, readTicket, report, say, SESSION_ENDED, store, TOKEN, whenSessionEnds } from "./api.js"
import { bindAccount, renderConsent, resetHistory } from "./account.js"
import { fullName } from "./format.js"
import { bindShop, clearShop, renderShop } from "./shop.js"

/** Once per session: forget its token and cart, take the banner down, say so. */
whenSessionEnds(async (token) => {
  // Several requests may meet the end; only the first one still finds its token.
  if (store.getItem(TOKEN) !== token) return
  forget()
  // Not an error: whoever ended it (the admin, the customer, the clock) meant it to end.
  say(SESSION_ENDED)
  await render()
})

async function boot() {
  const ticket = readTicket(location.hash)
  // The ticket must not stay in the address bar, the history or a bookmark.
  if (location.hash) history.replaceState(null, "", location.pathname + location.search)
  if (ticket) {
    // Someone new at this browser: drop the previous visitor's token and guest cart.
    forget()
    try {
      const { token } = await api("/store/login-as-customer/sessions", {
        method: "POST",
        body: { ticket },
        auth: false,
      })
      store.setItem(TOKEN, token)
    } catch (error) {
      say(`This login link can't be used: ${error.message}`, true)
    }
  }
  await render()
}

function showSignedOut() {
  $("signin").hidden = false
  $("account").hidden = true
  $("shop").hidden = true
  $("banner").hidden = true
  $("who").textContent = "Not signed in"
  clearShop()
  resetHistory()
}

async function render() {
  if (!store.getItem(TOKEN)) return showSignedOut()

  let customer
  try {
    customer = (await api("/store/customers/me")).customer
  } catch (error) {
    if (error.handled) return
    if (error.status === 401) {
      forget()
      say("Your session has expired; please sign in again.", true)
      return render()
    }
    throw error
  }

  const { session } = await api("/store/login-as-customer/session")
  // Drawn once the answers are in: the header, the banner and Sign out don't blink on a redraw.
  $("signin").hidden = true
  $("account").hidden = false
  $("shop").hidden = false
  $("who").textContent = `Signed in as ${customer.email}`
  $("account-name").textContent = fullName(customer)
  $("account-email").textContent = customer.email
  if (session) {
    const admin = fullName(session.admin)
    $("banner-text").textContent =
      `You are logged in as ${fullName(session.customer) || session.customer.email}` +
      (admin ? ` — assisted by ${admin}` : "")
    $("banner-mode").textContent = session.mode === "read_only" ? "(read-only)" : ""
  }
  $("banner").hidden = !session
  // One way out while assisted: the banner's End session (it also signs this tab out).
  $("signout").hidden = !!session
  await renderConsent(!!session)
  await renderShop(customer, !!session && session.mode === "read_only")
}

$("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault()
  const form = new FormData(event.target)
  try {
    forget()
    const { token } = await api("/auth/customer/emailpass", {
      method: "POST",
      body: { email: form.get("email"), password: form.get("password") },
      auth: false,
    })
    store.setItem(TOKEN, token)
    say("")
    await render()
  } catch (error) {
    if (!error.handled) say(`Sign-in failed: ${error.message}`, true)
  }
})

$("end-session").addEventListener("click", async () => {
  // Forgotten first: no request of the page sent from now on carries the ending session's token.
  const token = store.getItem(TOKEN)
  forget()
  try {
    await api("/store/login-as-customer/session", { method: "DELETE", as: token })
  } catch (error) {
    // Already over: forgetting the token is all that is left to do.
  }
  say(SESSION_ENDED)
  await render()
})

$("signout").addEventListener("click", async () => {
  forget()
  say("Signed out.")
  await render()
})

bindAccount(render)
bindShop(render)

boot().catch(report)
