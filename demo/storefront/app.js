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

  class ApiError extends Error {
    constructor(message, status, code) {
      super(message)
      this.status = status
      this.code = code
    }
  }

  async function api(path, { method = "GET", body, auth = true } = {}) {
    const headers = { "x-publishable-api-key": publishableKey }
    if (body !== undefined) headers["content-type"] = "application/json"
    const token = store.getItem(TOKEN)
    if (auth && token) headers.authorization = `Bearer ${token}`
    const res = await fetch(backendUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    })
    const data = await res.json().catch(() => null)
    if (!res.ok) {
      throw new ApiError((data && data.message) || res.statusText, res.status, data && data.code)
    }
    return data
  }

  function say(text, isError) {
    $("message").textContent = text || ""
    $("message").className = isError ? "error" : "muted"
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
  const money = (amount, currency) =>
    new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(amount)

  function cell(row, text) {
    const td = document.createElement("td")
    td.textContent = text
    row.appendChild(td)
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
    $("who").textContent = "Not signed in"
    if (!signedIn) return

    let customer
    try {
      customer = (await api("/store/customers/me")).customer
    } catch (error) {
      if (error.status === 401) {
        forget()
        say(
          error.code === "impersonation_ended"
            ? "The assistance session has ended."
            : "Your session has expired; please sign in again.",
          true
        )
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
    }
    await renderConsent(!!session)
    await renderProducts()
    await renderCart()
  }

  async function renderConsent(impersonating) {
    const { remote_assistance: consent, sessions } = await api("/store/customers/me/remote-assistance")
    $("consent-allowed").checked = consent.allowed
    $("consent-expires").value = consent.expires_at
      ? new Date(new Date(consent.expires_at).getTime() - new Date().getTimezoneOffset() * 60000)
          .toISOString()
          .slice(0, 16)
      : ""
    $("consent-status").textContent = impersonating
      ? "Only the customer can change this."
      : consent.active
        ? "Assistance allowed."
        : consent.allowed
          ? "Your permission has expired."
          : "Assistance not allowed."
    for (const input of $("consent-form").querySelectorAll("input, button")) {
      input.disabled = impersonating
    }
    const body = $("history").querySelector("tbody")
    body.replaceChildren()
    for (const s of sessions) {
      const row = document.createElement("tr")
      cell(row, s.admin.first_name || "Store staff")
      cell(row, s.reason || "")
      cell(row, when(s.started_at))
      cell(row, s.ended_at ? when(s.ended_at) : "in progress")
      cell(row, s.order_ids.join(", "))
      body.appendChild(row)
    }
    $("history-empty").hidden = sessions.length > 0
  }

  let region = null

  async function renderProducts() {
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
      add.addEventListener("click", () => addToCart(variant.id).catch((e) => say(e.message, true)))
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
      say(`Sign-in failed: ${error.message}`, true)
    }
  })

  $("consent-form").addEventListener("submit", async (event) => {
    event.preventDefault()
    const allowed = $("consent-allowed").checked
    const until = $("consent-expires").value
    try {
      await api("/store/customers/me/remote-assistance", {
        method: "POST",
        body: { allowed, expires_at: allowed && until ? new Date(until).toISOString() : null },
      })
      say("Saved.")
      await render()
    } catch (error) {
      say(error.message, true)
    }
  })

  $("end-session").addEventListener("click", async () => {
    try {
      await api("/store/login-as-customer/session", { method: "DELETE" })
    } catch (error) {
      // Already over: forgetting the token is all that is left to do.
    }
    forget()
    say("The assistance session has ended.")
    await render()
  })

  $("signout").addEventListener("click", async () => {
    forget()
    say("Signed out.")
    await render()
  })

  $("place-order").addEventListener("click", () => placeOrder().catch((e) => say(e.message, true)))

  boot().catch((error) => say(error.message, true))
})()
