import jwt from "jsonwebtoken"
import type { SuiteContext } from "../../helpers/suite"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { impersonate, jwtPayload, lacService, refusal, setupStore, Store, storeHeaders } from "../../helpers/fixtures"
import { snapshotPluginTables } from "../../helpers/seed"

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

/** Tokens an attacker could bring: every one is refused, on reads and on changes, and changes nothing. */
export default function tokensSuite({ api, getContainer }: SuiteContext) {
  const secret = () =>
    getContainer().resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig.http.jwtSecret as string
  const sign = (payload: Record<string, unknown>, key = secret(), options: jwt.SignOptions = {}) => {
    const { iat: _iat, exp, ...rest } = payload
    return jwt.sign(exp === undefined ? rest : { ...rest, exp }, key, options)
  }

  /** The token is refused everywhere a customer token opens a door, and nothing changes. */
  const expectRefusedEverywhere = async (store: Store, token: string) => {
    const container = getContainer()
    const before = await snapshotPluginTables(container)
    const headers = storeHeaders(store, token)
    const attempts = [
      () => api.get("/store/customers/me", headers),
      () => api.get("/store/login-as-customer/session", headers),
      () => api.post("/store/customers/me", { first_name: "Mallory" }, headers),
      () => api.post("/store/customers/me/addresses", { address_1: "1 Evil Road" }, headers),
      () => api.post("/store/customers/me/remote-assistance", { allowed: false }, headers),
      () => api.delete("/store/login-as-customer/session", headers),
      () => api.post("/auth/session", {}, { headers: { authorization: `Bearer ${token}` } }),
      () => api.post("/auth/token/refresh", {}, { headers: { authorization: `Bearer ${token}` } }),
    ]
    const statuses = []
    for (const attempt of attempts) {
      statuses.push((await refusal(attempt())).status)
    }
    expect(statuses).toEqual(attempts.map(() => 401))
    const [jane] = await container.resolve(Modules.CUSTOMER).listCustomers({ id: store.jane.id })
    expect(jane.first_name).toBe("Jane")
    expect(await snapshotPluginTables(container)).toBe(before)
  }

  it("refuses an impersonation token re-signed with another key", async () => {
    const store = await setupStore(api as never, getContainer())
    const imp = await impersonate(api as never, store)
    await expectRefusedEverywhere(store, sign(jwtPayload(imp.token), "not-the-secret"))
    // The real session is untouched by the attempts.
    expect((await api.get("/store/customers/me", imp.headers)).status).toBe(200)
  })

  it("refuses alg: none, with and without a trailing signature", async () => {
    const store = await setupStore(api as never, getContainer())
    const imp = await impersonate(api as never, store)
    const body = b64(jwtPayload(imp.token))
    for (const header of [{ alg: "none", typ: "JWT" }, { alg: "NONE" }, { alg: "none", typ: "JWT", kid: "x" }]) {
      await expectRefusedEverywhere(store, `${b64(header)}.${body}.`)
      await expectRefusedEverywhere(store, `${b64(header)}.${body}`)
    }
    // A none-token of jane herself fares no better.
    await expectRefusedEverywhere(store, `${b64({ alg: "none" })}.${b64(jwtPayload(store.jane.token))}.`)
  })

  it("refuses jane's own token with an actor (act) or a session claim added by the client, keeping the original signature", async () => {
    const store = await setupStore(api as never, getContainer())
    const imp = await impersonate(api as never, store)
    const [header, , signature] = store.jane.token.split(".")
    const own = jwtPayload(store.jane.token)
    const variants = [
      { ...own, act: { sub: store.admin.id } },
      { ...own, app_metadata: { ...own.app_metadata, login_as_customer: jwtPayload(imp.token).app_metadata.login_as_customer } },
      { ...own, exp: own.exp + 86400 },
    ]
    for (const payload of variants) {
      await expectRefusedEverywhere(store, `${header}.${b64(payload)}.${signature}`)
    }
    // Her real token still works.
    expect((await api.get("/store/customers/me", store.jane.headers)).status).toBe(200)
  })

  it("refuses an expired impersonation token (401 impersonation_ended) and ends its session as expired", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await impersonate(api as never, store)
    const expired = sign({ ...jwtPayload(imp.token), exp: Math.floor(Date.now() / 1000) - 5 })
    const response = await refusal(api.get("/store/customers/me", storeHeaders(store, expired)))
    expect({ status: response.status, code: response.data.code }).toEqual({ status: 401, code: "impersonation_ended" })
    const [session] = await lacService(container).listLoginAsCustomerSessions({ id: imp.session.id })
    expect(session.end_reason).toBe("expired")
    expect((await refusal(api.get("/store/customers/me", imp.headers))).status).toBe(401)
  })

  it("refuses the token of an ended session, on every route, forever", async () => {
    const store = await setupStore(api as never, getContainer())
    const imp = await impersonate(api as never, store)
    await api.delete("/store/login-as-customer/session", imp.headers)
    await expectRefusedEverywhere(store, imp.token)
  })

  it("refuses a validly signed customer token carrying a session claim the server did not issue", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    await api.post(`/admin/customers/${store.john.id}/login-as-customer/remote-assistance`, { allowed: true }, store.admin.headers)
    const johnSession = await impersonate(api as never, store, store.john)
    const own = jwtPayload(store.jane.token)
    const claim = (login_as_customer: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) =>
      sign({ ...own, ...extra, app_metadata: { ...own.app_metadata, login_as_customer } })

    const forged = [
      // a session that does not exist
      claim({ session_id: "lacs_01JZZZZZZZZZZZZZZZZZZZZZZZ", user_id: store.admin.id }),
      // john's live session, presented by jane
      claim({ session_id: johnSession.session.id, user_id: store.admin.id }),
      // the right session id with another admin
      claim({ session_id: johnSession.session.id, user_id: "user_someone_else" }),
      // a claim of the wrong shape
      claim({ session_id: ["x"], user_id: { $ne: null } }),
      // only an actor claim
      sign({ ...own, act: { sub: store.admin.id } }),
    ]
    for (const token of forged) {
      const response = await refusal(api.get("/store/customers/me", storeHeaders(store, token)))
      expect({ status: response.status, code: response.data.code }).toEqual({ status: 401, code: "impersonation_ended" })
      await expectRefusedEverywhere(store, token)
    }
    // John's real session was not ended by any of it.
    expect((await api.get("/store/customers/me", johnSession.headers)).data.customer.id).toBe(store.john.id)
  })
}
