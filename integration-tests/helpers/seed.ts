import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { PLUGIN_TABLES } from "./db"

type Api = {
  get: (url: string, config?: Record<string, unknown>) => Promise<any>
  post: (url: string, body?: unknown, config?: Record<string, unknown>) => Promise<any>
  delete: (url: string, config?: Record<string, unknown>) => Promise<any>
}

export type Actor = {
  id: string
  email: string
  token: string
  headers: { headers: Record<string, string> }
}

export const PASSWORD = "supersecret"

/** Creates an admin user with an emailpass identity and logs in through HTTP. */
export async function createAdmin(
  api: Api,
  container: MedusaContainer,
  email = "admin@example.com",
  names: { first_name?: string; last_name?: string } = {}
): Promise<Actor> {
  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)
  const user = await userModule.createUsers({
    email,
    first_name: names.first_name ?? "Ada",
    last_name: names.last_name ?? "Admin",
  })
  const { authIdentity, error } = await authModule.register("emailpass", {
    body: { email, password: PASSWORD },
  } as any)
  if (!authIdentity) {
    throw new Error(`could not register ${email}: ${error}`)
  }
  await authModule.updateAuthIdentities({
    id: authIdentity.id,
    app_metadata: { user_id: user.id },
  })
  const { data } = await api.post("/auth/user/emailpass", { email, password: PASSWORD })
  return {
    id: user.id,
    email,
    token: data.token,
    headers: { headers: { authorization: `Bearer ${data.token}` } },
  }
}

/** Creates a publishable API key, as a storefront would use. */
export async function createPublishableKey(container: MedusaContainer): Promise<string> {
  const apiKeyModule = container.resolve(Modules.API_KEY)
  const key = await apiKeyModule.createApiKeys({
    title: "Test storefront",
    type: "publishable",
    created_by: "test",
  })
  return key.token
}

/** Registers a customer through the store API and logs them in. */
export async function registerCustomer(
  api: Api,
  publishableKey: string,
  email: string,
  names: { first_name?: string; last_name?: string } = {}
): Promise<Actor> {
  const pk = { "x-publishable-api-key": publishableKey }
  const registration = await api.post("/auth/customer/emailpass/register", {
    email,
    password: PASSWORD,
  })
  const { data } = await api.post(
    "/store/customers",
    { email, first_name: names.first_name ?? "Jane", last_name: names.last_name ?? "Doe" },
    { headers: { ...pk, authorization: `Bearer ${registration.data.token}` } }
  )
  const login = await api.post("/auth/customer/emailpass", { email, password: PASSWORD })
  return {
    id: data.customer.id,
    email,
    token: login.data.token,
    headers: { headers: { ...pk, authorization: `Bearer ${login.data.token}` } },
  }
}

/** A fingerprint of every row of the plugin's tables (content, not just counts). */
export async function snapshotPluginTables(container: MedusaContainer): Promise<string> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const result = await knex.raw(`
    select md5(coalesce(string_agg(t, '|' order by t), '')) as digest from (
      ${PLUGIN_TABLES.map((table) => `select row_to_json(x)::text as t from "${table}" x`).join(" union all ")}
    ) rows`)
  return result.rows[0].digest
}

/** Waits until `probe` returns a truthy value (subscribers run after the response). */
export async function eventually<T>(
  probe: () => Promise<T>,
  { timeout = 5000, interval = 50 } = {}
): Promise<T> {
  const deadline = Date.now() + timeout
  let last: T
  do {
    last = await probe()
    if (last) {
      return last
    }
    await new Promise((resolve) => setTimeout(resolve, interval))
  } while (Date.now() < deadline)
  return last
}

export type Refusal = { status: number; data: any; headers: Record<string, any> }

/** The HTTP response of a request that must fail (throws if it succeeded). */
export async function refused(request: Promise<any>): Promise<Refusal> {
  let response: any
  try {
    response = await request
  } catch (error) {
    const failed = (error as { response?: Refusal }).response
    if (!failed) {
      throw error
    }
    return failed
  }
  throw new Error(`expected the request to fail, got ${response.status} ${JSON.stringify(response.data)}`)
}

/** Long enough for a subscriber reacting to a stray event to have written its row. */
export const SETTLE_MS = 300

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Sends a request that must be refused and proves it wrote nothing: the
 * plugin's tables are identical right after the response and again once a
 * stray subscriber would have run.
 */
export async function refusedWithoutWrites(
  container: MedusaContainer,
  send: () => Promise<any>
): Promise<Refusal> {
  const before = await snapshotPluginTables(container)
  const response = await refused(send())
  expect(await snapshotPluginTables(container)).toBe(before)
  await sleep(SETTLE_MS)
  expect(await snapshotPluginTables(container)).toBe(before)
  return response
}

/**
 * Sends requests one after the other that must each be refused, and proves
 * none wrote anything: the plugin's tables are identical right after each
 * response, and again once a stray subscriber would have run, which is waited
 * for once for the whole batch rather than once per request.
 */
export async function eachRefusedWithoutWrites(
  container: MedusaContainer,
  sends: Array<() => Promise<any>>
): Promise<Refusal[]> {
  const before = await snapshotPluginTables(container)
  const responses: Refusal[] = []
  for (const send of sends) {
    responses.push(await refused(send()))
    expect(await snapshotPluginTables(container)).toBe(before)
  }
  await sleep(SETTLE_MS)
  expect(await snapshotPluginTables(container)).toBe(before)
  return responses
}

/**
 * A validator's refusal: 400 `{ type, code: "invalid_data", message }` whose
 * message names the field as a word of its own ("id" in "Invalid" doesn't count).
 */
export function expectInvalidData(response: Refusal, field: string) {
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  expect({ status: response.status, ...response.data }).toEqual({
    status: 400,
    type: "invalid_data",
    code: "invalid_data",
    message: expect.stringMatching(new RegExp(`(^|[^A-Za-z0-9_])${escaped}([^A-Za-z0-9_]|$)`)),
  })
}
