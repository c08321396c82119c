// The products, the cart and the checkout of the reference storefront.
import { $, api, CART, report, say, store } from "./api.js"
import { cell, countryName, money } from "./format.js"

/**
 * Where the demo ships when the customer has no address of their own in the
 * region: one real-looking address per country of the demo's region
 * (demo/seed.ts), each with its own city and postal code. Berlin first, where
 * the demo's warehouse is.
 */
const DEMO_ADDRESSES = [
  { country_code: "de", address_1: "Friedrichstraße 1", postal_code: "10117", city: "Berlin" },
  { country_code: "fr", address_1: "1 Rue de Rivoli", postal_code: "75001", city: "Paris" },
  { country_code: "es", address_1: "Calle de Alcalá 1", postal_code: "28014", city: "Madrid" },
  { country_code: "it", address_1: "Via del Corso 1", postal_code: "00186", city: "Roma" },
  { country_code: "nl", address_1: "Damrak 1", postal_code: "1012 LG", city: "Amsterdam" },
]

let region = null
let shopper = null

/**
 * The address an order ships and is billed to: the customer's own saved address
 * (the default shipping one first) when it is in the region, taken whole; else
 * the demo's address in a country of the region; null when there is none.
 */
function checkoutAddress() {
  if (!shopper || !region) return null
  const countries = (region.countries || []).map((c) => c.iso_2.toLowerCase())
  const name = { first_name: shopper.first_name || "Jane", last_name: shopper.last_name || "Doe" }
  const saved = [...(shopper.addresses || [])]
    .sort((a, b) => Number(!!b.is_default_shipping) - Number(!!a.is_default_shipping))
    .find((a) => a.address_1 && a.city && a.country_code && countries.includes(a.country_code.toLowerCase()))
  if (saved) {
    const address = { first_name: saved.first_name || name.first_name, last_name: saved.last_name || name.last_name }
    for (const key of ["company", "address_1", "address_2", "city", "postal_code", "province", "phone"]) {
      if (saved[key]) address[key] = saved[key]
    }
    return { ...address, country_code: saved.country_code.toLowerCase() }
  }
  const demo = DEMO_ADDRESSES.find((a) => countries.includes(a.country_code))
  return demo ? { ...name, ...demo } : null
}

/** "Otto Address, Friedrichstraße 1, 10117 Berlin, Germany". */
const addressLine = (a) =>
  [
    [a.first_name, a.last_name].filter(Boolean).join(" "),
    a.company,
    a.address_1,
    a.address_2,
    [a.postal_code, a.city].filter(Boolean).join(" "),
    countryName(a.country_code),
  ]
    .filter(Boolean)
    .join(", ")

/** The products and the cart of a signed-in customer; in a read-only session Add to cart is off. */
export async function renderShop(customer, readOnly) {
  shopper = customer
  await renderProducts(readOnly)
  await renderCart()
}

/** Nothing of the previous session stays on screen: no cart, no dead "Place order". */
export function clearShop() {
  shopper = null
  clearCart()
}

function clearCart() {
  $("cart").hidden = true
  $("cart-items").querySelector("tbody").replaceChildren()
  $("cart-total").textContent = ""
  $("cart-address").textContent = ""
}

/** The products; in a read-only session their Add to cart is off, with a note that says why (the server would refuse it). */
async function renderProducts(readOnly) {
  $("read-only-note").hidden = !readOnly
  if (!region) {
    const { regions } = await api("/store/regions?limit=1")
    region = regions[0] || null
  }
  const list = $("products")
  if (!region) return list.replaceChildren()
  const { products } = await api(
    `/store/products?limit=6&order=title&region_id=${encodeURIComponent(region.id)}&fields=id,title,*variants.calculated_price`
  )
  list.replaceChildren()
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
  await renderCart()
  say("Added to cart.")
}

async function renderCart() {
  const cartId = store.getItem(CART)
  if (!cartId) return clearCart()
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
  const address = checkoutAddress()
  $("cart-address").textContent = address
    ? `Ships to ${addressLine(address)}`
    : "Add an address in this store's region to your account to place an order."
  $("place-order").disabled = !address
  // Shown once drawn: never an empty cart with a Place order.
  $("cart").hidden = false
}

async function placeOrder() {
  const cartId = store.getItem(CART)
  const address = checkoutAddress()
  if (!cartId || !address) return
  await api(`/store/carts/${cartId}`, {
    method: "POST",
    body: { email: shopper.email, shipping_address: address, billing_address: address },
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
  return result.order
}

/** Place order; `render` redraws the page once the order is placed. */
export function bindShop(render) {
  const button = $("place-order")
  button.addEventListener("click", async () => {
    // One order per click: a second click while this one is placed would fail on the completed cart.
    button.disabled = true
    try {
      const order = await placeOrder()
      if (!order) return
      say(`Order #${order.display_id} placed.`)
      await render()
    } catch (error) {
      report(error)
    } finally {
      button.disabled = !checkoutAddress()
    }
  })
}
