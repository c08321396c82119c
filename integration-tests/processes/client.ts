import { Client } from "pg"
import type { Server } from "./stack"

export type Answer = { status: number; body: any }

/** One HTTP request to a server; never throws on an error status, only when the server can't be reached. */
export async function call(
  server: Pick<Server, "url">,
  method: string,
  path: string,
  { token, body, publishableKey }: { token?: string; body?: unknown; publishableKey?: string } = {}
): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(publishableKey ? { "x-publishable-api-key": publishableKey } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed }
}

/** Like `call`, but a failure to connect is an answer with status 0 (the server is down). */
export async function tryCall(...args: Parameters<typeof call>): Promise<Answer> {
  try {
    return await call(...args)
  } catch (error) {
    return { status: 0, body: String((error as Error).message) }
  }
}

export async function sql<T = any>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text, params)).rows as T[]
  } finally {
    await client.end()
  }
}

export type Shop = {
  publishableKey: string
  regionId: string
  admins: Array<{ email: string; token: string; id: string }>
  customers: Array<{ email: string; token: string; id: string }>
}

const PASSWORD = "supersecret"

/** Logs the admins in, and through the HTTP API: a storefront key on a sales channel, a region, the feature on, customers with consent. */
export async function seedShop(server: Server, adminEmails: string[], customerCount: number, prefix: string): Promise<Shop> {
  const admins: Shop["admins"] = []
  for (const email of adminEmails) {
    const login = await call(server, "POST", "/auth/user/emailpass", { body: { email, password: PASSWORD } })
    if (login.status !== 200) throw new Error(`admin login ${email}: ${login.status} ${JSON.stringify(login.body)}`)
    const me = await call(server, "GET", "/admin/users/me", { token: login.body.token })
    admins.push({ email, token: login.body.token as string, id: me.body.user.id as string })
  }
  const token = admins[0].token
  const key = await call(server, "POST", "/admin/api-keys", { token, body: { title: "Storefront", type: "publishable" } })
  const channel = await call(server, "POST", "/admin/sales-channels", { token, body: { name: "Web" } })
  await call(server, "POST", `/admin/api-keys/${key.body.api_key.id}/sales-channels`, {
    token,
    body: { add: [channel.body.sales_channel.id] },
  })
  const region = await call(server, "POST", "/admin/regions", { token, body: { name: "Europe", currency_code: "eur" } })
  const settings = await call(server, "POST", "/admin/login-as-customer/settings", {
    token,
    body: {
      enabled: true,
      notify_customer: true,
      storefronts: [{ id: "main", name: "Main", login_url: "https://shop.example.com/assist" }],
    },
  })
  if (settings.status !== 200) throw new Error(`settings: ${settings.status} ${JSON.stringify(settings.body)}`)
  const publishableKey = key.body.api_key.token as string
  const customers: Shop["customers"] = []
  for (let i = 0; i < customerCount; i++) {
    const email = `${prefix}${i}@example.com`
    const registered = await call(server, "POST", "/auth/customer/emailpass/register", { body: { email, password: PASSWORD } })
    if (registered.status !== 200) throw new Error(`register ${email}: ${registered.status} ${JSON.stringify(registered.body)}`)
    const created = await call(server, "POST", "/store/customers", {
      token: registered.body.token,
      publishableKey,
      body: { email, first_name: `Customer${i}`, last_name: "Example" },
    })
    const login = await call(server, "POST", "/auth/customer/emailpass", { body: { email, password: PASSWORD } })
    await call(server, "POST", "/store/customers/me/remote-assistance", { token: login.body.token, publishableKey, body: { allowed: true } })
    customers.push({ email, token: login.body.token as string, id: created.body.customer.id as string })
  }
  return { publishableKey, regionId: region.body.region.id as string, admins, customers }
}

/** Admin start on one server, ticket exchange on another: the impersonation token and session id. */
export async function impersonate(
  start: Pick<Server, "url">,
  exchange: Pick<Server, "url">,
  shop: Shop,
  admin: Shop["admins"][number],
  customer: Shop["customers"][number]
) {
  const started = await call(start, "POST", `/admin/customers/${customer.id}/login-as-customer`, { token: admin.token, body: {} })
  if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`)
  const ticket = new URLSearchParams(new URL(started.body.redirect_url).hash.slice(1)).get("ticket")
  const exchanged = await call(exchange, "POST", "/store/login-as-customer/sessions", {
    publishableKey: shop.publishableKey,
    body: { ticket },
  })
  if (exchanged.status !== 201) throw new Error(`exchange: ${exchanged.status} ${JSON.stringify(exchanged.body)}`)
  return { token: exchanged.body.token as string, sessionId: exchanged.body.session.id as string }
}
