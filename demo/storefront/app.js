// Reference storefront for Login as Customer: plain browser JavaScript over
// Medusa's store API. Every text from the server is set with textContent.
;(function () {
  "use strict"
  const { backendUrl, publishableKey } = window.LAC_CONFIG
  // Tab-scoped: the admin's assistance tab and the customer's own tabs never mix.
  const store = window.sessionStorage
  const TOKEN = "lac_demo_token"
  const CART = "lac_demo_cart"
  const $ = (id) => document.getElementById(id)

  const HISTORY_PAGE_SIZE = 10
  const SESSION_ENDED = "The assistance session has ended."

  class ApiError extends Error {
    constructor(message, status, code) {
      super(message)
      this.status = status
      this.code = code
      // True once the page has dealt with it (the session ended): callers say nothing more.
      this.handled = false
    }
  }

  async function api(path, { method = "GET", body, auth = true, as } = {}) {
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
        await sessionEnded(sent)
      }
      throw error
    }
    return data
  }

  /** Once per session: forget its token and cart, take the banner down, say so. */
  async function sessionEnded(token) {
    // Several requests may meet the end; only the first one still finds its token.
    if (store.getItem(TOKEN) !== token) return
    forget()
    // Not an error: whoever ended it (the admin, the customer, the clock) meant it to end.
    say(SESSION_ENDED)
    await render()
  }

  /** A line for the shopper: errors are announced at once, anything else politely. */
  function say(text, isError) {
    $("message").textContent = text || ""
    $("message").className = isError ? "error" : "muted"
    $("message").setAttribute("role", isError ? "alert" : "status")
  }

  /** Shows what went wrong, unless the page has already dealt with it. */
  function report(error) {
    if (error && error.handled) return
    say(error.message, true)
  }

  function readTicket(hash) {
    const ticket = new URLSearchParams(hash.replace(/^#/, "")).get("ticket")
    return ticket && /^[A-Za-z0-9_-]{16,200}$/.test(ticket) ? ticket : null
  }

  function forget() {
    store.removeItem(TOKEN)
    store.removeItem(CART)
  }

  const fullName = (p) => [p.first_name, p.last_name].filter(Boolean).join(" ")
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—")
  /** A day as the shopper's locale writes it ("Dec 31, 2026"). */
  const day = (iso) => new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" })
  /** The input's value for the day an ISO time falls on, in the shopper's time zone (YYYY-MM-DD). */
  const dayValue = (iso) => {
    const date = new Date(iso)
    const pad = (n) => String(n).padStart(2, "0")
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
  }
  /** The last moment of a chosen day (YYYY-MM-DD) in the shopper's time zone: "until 31 Dec" includes 31 Dec. */
  const endOfDay = (value) => {
    const [year, month, date] = value.split("-").map(Number)
    return new Date(year, month - 1, date, 23, 59, 59, 999)
  }
  const money = (amount, currency) =>
    new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(amount)

  /** A table cell; returns its value element, for more lines under the text. */
  function cell(row, text, label) {
    const td = document.createElement("td")
    const value = document.createElement("span")
    value.className = "value"
    value.textContent = text
    td.appendChild(value)
    // The label a phone shows in front of the value (the table's head is hidden there).
    if (label) td.dataset.label = label
    row.appendChild(td)
    return value
  }

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

  async function render() {
    const signedIn = !!store.getItem(TOKEN)
    $("signin").hidden = signedIn
    $("account").hidden = !signedIn
    $("shop").hidden = !signedIn
    $("banner").hidden = true
    $("signout").hidden = false
    $("who").textContent = "Not signed in"
    if (!signedIn) {
      // Nothing of the previous session stays on screen: no cart, no dead "Place order".
      $("cart").hidden = true
      $("cart-items").querySelector("tbody").replaceChildren()
      $("cart-total").textContent = ""
      $("order-result").textContent = ""
      historyOffset = 0
      return
    }

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
    $("who").textContent = `Signed in as ${customer.email}`
    $("account-name").textContent = fullName(customer)
    $("account-email").textContent = customer.email
    if (session) {
      const admin = fullName(session.admin)
      $("banner-text").textContent =
        `You are logged in as ${fullName(session.customer) || session.customer.email}` +
        (admin ? ` — assisted by ${admin}` : "")
      $("banner-mode").textContent = session.mode === "read_only" ? "(read-only)" : ""
      $("banner").hidden = false
      // One way out while assisted: the banner's End session (it also signs this tab out).
      $("signout").hidden = true
    }
    await renderConsent(!!session)
    await renderProducts(!!session && session.mode === "read_only")
    await renderCart()
  }

  let historyOffset = 0

  const ENDED_BY = { customer: "Ended by you", store: "Ended by the store", expired: "Expired" }

  async function renderConsent(impersonating) {
    const {
      remote_assistance: consent,
      sessions,
      count,
    } = await api(`/store/customers/me/remote-assistance?limit=${HISTORY_PAGE_SIZE}&offset=${historyOffset}`)
    if (!sessions.length && historyOffset > 0 && count > 0) {
      // The page we were on is gone (fewer sessions now): show the last one.
      historyOffset = Math.floor((count - 1) / HISTORY_PAGE_SIZE) * HISTORY_PAGE_SIZE
      return renderConsent(impersonating)
    }
    $("consent-allowed").checked = consent.allowed
    // A last day, as the admin sets it: allowed until the end of that day.
    $("consent-expires").value = consent.expires_at ? dayValue(consent.expires_at) : ""
    $("consent-expires").min = dayValue(new Date().toISOString())
    $("consent-status").textContent = impersonating
      ? "Only the customer can change this."
      : consent.active
        ? consent.expires_at
          ? `Assistance allowed until ${day(consent.expires_at)}.`
          : "Assistance allowed."
        : consent.allowed
          ? "Your permission has expired."
          : "Assistance not allowed."
    for (const input of $("consent-form").querySelectorAll("input, button")) {
      input.disabled = impersonating
    }
    renderHistory(sessions, count)
  }

  function renderHistory(sessions, count) {
    const body = $("history").querySelector("tbody")
    body.replaceChildren()
    for (const s of sessions) {
      const row = document.createElement("tr")
      cell(row, s.admin.first_name || "Store staff", "Assisted by")
      cell(row, s.reason || "—", "Reason")
      cell(row, s.mode === "read_only" ? "Read-only" : "Full access", "Access")
      cell(row, when(s.started_at), "Started")
      const ended = cell(row, s.ended_at ? when(s.ended_at) : s.ended_by ? "" : "in progress", "Ended")
      if (s.ended_by) {
        const by = document.createElement("span")
        by.className = "ended-by"
        by.textContent = ENDED_BY[s.ended_by] || ""
        ended.appendChild(by)
      }
      const orders = (s.orders || []).map((o) => `#${o.display_id}`)
      cell(row, orders.join(", ") || "—", "Orders")
      body.appendChild(row)
    }
    $("history").hidden = sessions.length === 0
    $("history-empty").hidden = sessions.length > 0
    $("history-pager").hidden = count <= HISTORY_PAGE_SIZE
    const first = sessions.length ? historyOffset + 1 : 0
    $("history-range").textContent = `${first}–${historyOffset + sessions.length} of ${count}`
    $("history-previous").disabled = historyOffset === 0
    $("history-next").disabled = historyOffset + sessions.length >= count
  }

  async function showHistoryPage(offset) {
    historyOffset = Math.max(0, offset)
    const { sessions, count } = await api(
      `/store/customers/me/remote-assistance?limit=${HISTORY_PAGE_SIZE}&offset=${historyOffset}`
    )
    renderHistory(sessions, count)
  }

  let region = null

  /** The products; in a read-only session their Add to cart is off, with a note that says why (the server would refuse it). */
  async function renderProducts(readOnly) {
    $("read-only-note").hidden = !readOnly
    if (!region) {
      const { regions } = await api("/store/regions?limit=1")
      region = regions[0] || null
    }
    const list = $("products")
    list.replaceChildren()
    if (!region) return
    const { products } = await api(
      `/store/products?limit=6&region_id=${encodeURIComponent(region.id)}&fields=id,title,*variants.calculated_price`
    )
    for (const product of products) {
      const variant = product.variants && product.variants[0]
      if (!variant) continue
      const box = document.createElement("div")
      box.className = "product"
      const title = document.createElement("div")
      title.textContent = product.title
      const price = document.createElement("div")
      price.className = "muted"
      const amount = variant.calculated_price && variant.calculated_price.calculated_amount
      price.textContent = amount != null ? money(amount, region.currency_code) : ""
      const add = document.createElement("button")
      add.type = "button"
      add.textContent = "Add to cart"
      if (readOnly) {
        add.disabled = true
        add.setAttribute("aria-describedby", "read-only-note")
      } else {
        add.addEventListener("click", () => addToCart(variant.id).catch(report))
      }
      box.append(title, price, add)
      list.appendChild(box)
    }
  }

  async function addToCart(variantId) {
    let cartId = store.getItem(CART)
    if (!cartId) {
      const { cart } = await api("/store/carts", { method: "POST", body: { region_id: region.id } })
      cartId = cart.id
      store.setItem(CART, cartId)
    }
    await api(`/store/carts/${cartId}/line-items`, {
      method: "POST",
      body: { variant_id: variantId, quantity: 1 },
    })
    say("Added to cart.")
    await renderCart()
  }

  async function renderCart() {
    const cartId = store.getItem(CART)
    $("cart").hidden = !cartId
    if (!cartId) return
    const { cart } = await api(`/store/carts/${cartId}`)
    const body = $("cart-items").querySelector("tbody")
    body.replaceChildren()
    for (const item of cart.items || []) {
      const row = document.createElement("tr")
      cell(row, item.product_title || item.title)
      cell(row, `× ${item.quantity}`)
      cell(row, money(item.total ?? item.unit_price * item.quantity, cart.currency_code))
      body.appendChild(row)
    }
    $("cart-total").textContent = `Total: ${money(cart.total || 0, cart.currency_code)}`
  }

  async function placeOrder() {
    const cartId = store.getItem(CART)
    if (!cartId) return
    const { customer } = await api("/store/customers/me")
    const saved = (customer.addresses || [])[0]
    const address = {
      first_name: (saved && saved.first_name) || customer.first_name || "Jane",
      last_name: (saved && saved.last_name) || customer.last_name || "Doe",
      address_1: (saved && saved.address_1) || "Friedrichstraße 1",
      city: (saved && saved.city) || "Berlin",
      postal_code: (saved && saved.postal_code) || "10117",
      country_code: (saved && saved.country_code) || region.countries[0].iso_2,
    }
    await api(`/store/carts/${cartId}`, {
      method: "POST",
      body: { email: customer.email, shipping_address: address, billing_address: address },
    })
    const { shipping_options: options } = await api(
      `/store/shipping-options?cart_id=${encodeURIComponent(cartId)}`
    )
    if (options.length) {
      await api(`/store/carts/${cartId}/shipping-methods`, {
        method: "POST",
        body: { option_id: options[0].id },
      })
    }
    const { payment_collection: collection } = await api("/store/payment-collections", {
      method: "POST",
      body: { cart_id: cartId },
    })
    await api(`/store/payment-collections/${collection.id}/payment-sessions`, {
      method: "POST",
      body: { provider_id: "pp_system_default" },
    })
    const result = await api(`/store/carts/${cartId}/complete`, { method: "POST", body: {} })
    if (result.type !== "order") {
      throw new Error((result.error && result.error.message) || "The order could not be placed")
    }
    store.removeItem(CART)
    $("order-result").textContent = `Order #${result.order.display_id} placed.`
    say(`Order #${result.order.display_id} placed.`)
    await render()
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

  $("consent-form").addEventListener("submit", async (event) => {
    event.preventDefault()
    const allowed = $("consent-allowed").checked
    const until = $("consent-expires").value
    try {
      await api("/store/customers/me/remote-assistance", {
        method: "POST",
        body: { allowed, expires_at: allowed && until ? endOfDay(until).toISOString() : null },
      })
      say("Saved.")
      await render()
    } catch (error) {
      report(error)
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
    say("The assistance session has ended.")
    await render()
  })

  $("signout").addEventListener("click", async () => {
    forget()
    say("Signed out.")
    await render()
  })

  $("place-order").addEventListener("click", () => placeOrder().catch(report))
  $("history-previous").addEventListener("click", () =>
    showHistoryPage(historyOffset - HISTORY_PAGE_SIZE).catch(report)
  )
  $("history-next").addEventListener("click", () =>
    showHistoryPage(historyOffset + HISTORY_PAGE_SIZE).catch(report)
  )

  boot().catch(report)
})()
