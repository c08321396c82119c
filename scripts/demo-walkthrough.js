// Walks the whole Login as Customer path over HTTP against `npm run demo`:
// start for jane → exchange → /store/customers/me is jane → a restricted
// action is refused → end → the token is refused; john is refused.
// Usage: node scripts/demo-walkthrough.js  (with `npm run demo` running; the
// same DEMO_MEDUSA_PORT and DEMO_DIR as the demo, or MEDUSA_BACKEND_URL)
const fs = require("fs")
const path = require("path")

const BASE = process.env.MEDUSA_BACKEND_URL || `http://localhost:${Number(process.env.DEMO_MEDUSA_PORT || 9000)}`
const keyFile = path.join(path.resolve(__dirname, "..", process.env.DEMO_DIR || ".demo"), "publishable-key.txt")

async function call(method, url, { body, token, key } = {}) {
  const headers = { "content-type": "application/json" }
  if (token) headers.authorization = `Bearer ${token}`
  if (key) headers["x-publishable-api-key"] = key
  const res = await fetch(BASE + url, { method, headers, body: body ? JSON.stringify(body) : undefined })
  const data = await res.json().catch(() => null)
  return { status: res.status, data }
}

function step(name, ok, detail) {
  console.log(`${ok ? "✔" : "✘"} ${name}${detail ? ` — ${detail}` : ""}`)
  if (!ok) process.exitCode = 1
  return ok
}

async function main() {
  const key = fs.readFileSync(keyFile, "utf8").trim()
  const admin = (await call("POST", "/auth/user/emailpass", { body: { email: "admin@example.com", password: "supersecret" } })).data.token
  const customers = (await call("GET", "/admin/customers?q=example.com&limit=50", { token: admin })).data.customers
  const jane = customers.find((c) => c.email === "jane@example.com")
  const john = customers.find((c) => c.email === "john@example.com")

  const start = await call("POST", `/admin/customers/${jane.id}/login-as-customer`, {
    token: admin,
    body: { reason: "Demo walkthrough" },
  })
  step("admin starts Login as Customer for jane", start.status === 201, start.data.redirect_url)
  const ticket = new URLSearchParams(new URL(start.data.redirect_url).hash.slice(1)).get("ticket")

  const exchange = await call("POST", "/store/login-as-customer/sessions", { key, body: { ticket } })
  step("the storefront exchanges the ticket", exchange.status === 201, `session ${exchange.data.session?.id}`)
  const token = exchange.data.token

  const me = await call("GET", "/store/customers/me", { key, token })
  step("/store/customers/me is jane", me.data.customer?.email === "jane@example.com")

  const replay = await call("POST", "/store/login-as-customer/sessions", { key, body: { ticket } })
  step("the ticket can't be used twice", replay.status === 401 && replay.data.code === "invalid_ticket")

  const restricted = await call("POST", "/store/customers/me", { key, token, body: { email: "someone@example.com" } })
  step("changing jane's email is refused", restricted.status === 403, restricted.data.code)

  const ended = await call("DELETE", "/store/login-as-customer/session", { key, token })
  step("the session ends", ended.data.session?.end_reason === "logout")

  const after = await call("GET", "/store/customers/me", { key, token })
  step("the token is refused afterwards", after.status === 401, after.data.code)

  const refused = await call("POST", `/admin/customers/${john.id}/login-as-customer`, { token: admin, body: {} })
  step("john (no consent) is refused", refused.status === 403 && refused.data.code === "assistance_not_allowed", refused.data.code)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
