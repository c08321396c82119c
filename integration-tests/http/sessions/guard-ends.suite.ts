import { ContainerRegistrationKeys, generateJwtToken, Modules } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import {
  endConsentNow,
  impersonate,
  jwtPayload,
  lacService,
  logRows,
  refusal,
  saveSettings,
  settledLogRows,
  setupStore,
  storeHeaders,
} from "../../helpers/fixtures"
import { createAdmin, eventually } from "../../helpers/seed"
import expireLoginAsCustomerSessions from "../../../src/jobs/expire-login-as-customer-sessions"
import { guardFixtures } from "./guard-helpers"

/** The store guard ends a session for each reason (admin, consent, feature, grant, deletion, expiry) and refuses forged tokens. */
export default function guardEndsSuite(context: SuiteContext) {
  const { api, getContainer } = context
  const { me, expectCode, expectEnded, liveImpersonation } = guardFixtures(context)

  it("ends when the admin ends it (ended_by_admin)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const { data } = await api.post(`/admin/login-as-customer/sessions/${imp.session.id}/end`, {}, store.admin.headers)
    expect(data.session).toMatchObject({ id: imp.session.id, status: "ended", end_reason: "ended_by_admin" })
    const row = await expectEnded(container, store, imp, "ended_by_admin")
    expect(row).toMatchObject({ actor_type: "user", actor_id: store.admin.id })
  })

  it("ends when jane withdraws consent (consent_withdrawn); her own token keeps working", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const withdrawn = await api.post("/store/customers/me/remote-assistance", { allowed: false }, store.jane.headers)
    expect(withdrawn.data.remote_assistance.allowed).toBe(false)
    const row = await expectEnded(container, store, imp, "consent_withdrawn")
    expect(row).toMatchObject({ actor_type: "customer", actor_id: store.jane.id })
  })

  it("ends when the feature is disabled (feature_disabled)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    await saveSettings(api as never, store, { enabled: false })
    await expectEnded(container, store, imp, "feature_disabled")
    // Switching it back on doesn't revive the session.
    await saveSettings(api as never, store, { enabled: true })
    await expectCode(me(imp.headers), 401, "impersonation_ended")
  })

  it("ends when the admin's grant is revoked with access selected_admins (admin_revoked)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, { access: "selected_admins" })
    await api.post(`/admin/login-as-customer/grants/${store.admin.id}`, { can_login: true }, store.admin.headers)
    const imp = await liveImpersonation(store)
    // Changing only can_view_log keeps the session.
    await api.post(`/admin/login-as-customer/grants/${store.admin.id}`, { can_view_log: true }, store.admin.headers)
    expect((await me(imp.headers)).status).toBe(200)

    await api.post(`/admin/login-as-customer/grants/${store.admin.id}`, { can_login: false }, store.admin.headers)
    await expectEnded(container, store, imp, "admin_revoked")
  })

  it("ends at the next request when jane's time-boxed consent runs out mid-session (consent_withdrawn)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    // Nothing ends the session when the time passes; the guard must notice.
    const service = lacService(container)
    await endConsentNow(container, store.jane.id)
    expect((await service.retrieveLoginAsCustomerSession(imp.session.id)).ended_at).toBeNull()
    await expectEnded(container, store, imp, "consent_withdrawn")
  })

  it("ends at the next request when access switches to selected_admins and the admin has no grant (admin_revoked)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const other = await createAdmin(api as never, container, "second@example.com", { first_name: "Bob" })
    await api.post(`/admin/login-as-customer/grants/${other.id}`, { can_login: true }, store.admin.headers)
    const imp = await liveImpersonation(store)
    const granted = await impersonate(api as never, { ...store, admin: other }, store.jane)

    await saveSettings(api as never, store, { access: "selected_admins" })
    await expectEnded(container, store, imp, "admin_revoked")
    // The granted admin's session goes on.
    expect((await me(granted.headers)).data.customer.id).toBe(store.jane.id)
  })

  it("ends when the admin is deleted through the user module (admin_revoked)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    await container.resolve(Modules.USER).deleteUsers([store.admin.id])
    await expectEnded(container, store, imp, "admin_revoked")
  })

  it("ends, without waiting for a store request, when another admin deletes the admin (DELETE /admin/users/:id)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const other = await createAdmin(api as never, container, "second@example.com")
    const imp = await liveImpersonation(store)

    const deleted = await api.delete(`/admin/users/${store.admin.id}`, other.headers)
    expect(deleted.data).toMatchObject({ id: store.admin.id, deleted: true })
    const ended = await eventually(async () => {
      const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
      return session.ended_at ? session : null
    })
    expect(ended?.end_reason).toBe("admin_revoked")
    await expectEnded(container, store, imp, "admin_revoked")
  })

  // session_ttl_seconds 3 rather than 2: the token's exp is rounded down to
  // the second below the session's expiry (see exchange.suite.ts), so with 2 s
  // a token could already be dead when first used.
  it("refuses an expired session's token, and the expiry job ends it (expired), logged once", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, { session_ttl_seconds: 3 })
    const imp = await liveImpersonation(store)
    expect(jwtPayload(imp.token).exp * 1000 - Date.now()).toBeLessThanOrEqual(3000)
    await new Promise((resolve) => setTimeout(resolve, 3500))

    expect((await refusal(me(imp.headers))).status).toBe(401)
    await expireLoginAsCustomerSessions(container)
    await expectEnded(container, store, imp, "expired", { tokenExpired: true })
    // The job running again logs nothing more.
    await expireLoginAsCustomerSessions(container)
    expect(await settledLogRows(container, "session_ended", { session_id: imp.session.id })).toHaveLength(1)
  })

  it("ends and logs every expired session beside a row whose context SQL nested 5 000 levels deep; such a session is still listed and ended by an admin", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const poison = (id: string, expires: string) =>
      knex.raw(
        `insert into "login_as_customer_session" ("id", "user_id", "customer_id", "storefront_id", "context", "reason", "mode", "started_at", "expires_at")
         values (?, ?, ?, 'main', (repeat('[', 5000) || repeat(']', 5000))::jsonb, 'x', 'full', now() - interval '2 minutes', ${expires})`,
        [id, store.admin.id, store.jane.id]
      )
    await knex.raw(`update "login_as_customer_session" set "expires_at" = now() - interval '1 second' where "id" = ?`, [imp.session.id])
    await poison("lacs_01JPOISONEXPIRED0000000000", "now() - interval '1 minute'")

    await expireLoginAsCustomerSessions(container)
    expect(await settledLogRows(container, "session_ended", { session_id: imp.session.id }, { count: 1 })).toHaveLength(1)
    expect(await settledLogRows(container, "session_ended", { session_id: "lacs_01JPOISONEXPIRED0000000000" }, { count: 1 })).toHaveLength(1)

    await poison("lacs_01JPOISONLIVE0000000000000", "now() + interval '1 hour'")
    const listed = await api.get("/admin/login-as-customer/sessions?active=true", store.admin.headers)
    expect(listed.data.sessions.find((session: any) => session.id === "lacs_01JPOISONLIVE0000000000000")).toMatchObject({ context: null })
    const ended = await api.post("/admin/login-as-customer/sessions/lacs_01JPOISONLIVE0000000000000/end", {}, store.admin.headers)
    expect(ended.status).toBe(200)
    expect(await settledLogRows(container, "session_ended", { session_id: "lacs_01JPOISONLIVE0000000000000" }, { count: 1 })).toHaveLength(1)
  })

  // A random id of `chars` characters after `lacs_`, beyond what the log's indexes hold beside it.
  const longId = (chars: number) => `'lacs_' || left((select string_agg(md5(random()::text || g), '') from generate_series(1, ${Math.ceil(chars / 32)}) g), ${chars})`

  it("neither ends nor reads a session row SQL wrote with an id the app can't have made (2 660 characters): every session due beside it is ended and logged, and the admin can still start one", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    await knex.raw(`update "login_as_customer_session" set "expires_at" = now() - interval '1 second' where "id" = ?`, [imp.session.id])
    const forged = async (expires: string) =>
      (
        await knex.raw(
          `insert into "login_as_customer_session" ("id", "user_id", "customer_id", "storefront_id", "mode", "started_at", "expires_at")
           values (${longId(2655)}, ?, ?, 'main', 'full', now() - interval '2 minutes', ${expires}) returning "id"`,
          [store.admin.id, "cus_00000000000000000000000000"]
        )
      ).rows[0].id as string
    const expired = await forged("now() - interval '1 second'")
    const open = await forged("now() + interval '1 hour'")

    await expireLoginAsCustomerSessions(container)
    expect(await settledLogRows(container, "session_ended", { session_id: imp.session.id }, { count: 1 })).toHaveLength(1)
    const rows = await knex.raw(`select "id", "ended_at" from "login_as_customer_session" where "id" in (?, ?)`, [expired, open])
    expect(rows.rows.map((row: any) => row.ended_at)).toEqual([null, null])
    // A start supersedes the admin's open sessions: not this row, which doesn't stop it.
    const next = await liveImpersonation(store)
    expect(next.session.id).toMatch(/^lacs_[0-9A-Z]{26}$/)
    const listed = await api.get("/admin/login-as-customer/sessions?active=true", store.admin.headers)
    expect(listed.data.sessions.map((session: any) => session.id)).toEqual([next.session.id])
  })

  it("a revocation stands when a session's end can't be logged: jane's withdrawal is answered 200 and kept, the other session's end is logged; the expiry job logs the missing end later, once, as her withdrawal's", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const bob = await createAdmin(api as never, container, "bob@example.com")
    const mine = await liveImpersonation(store)
    const bobs = await impersonate(api as never, { ...store, admin: bob }, store.jane)
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // The database's owner makes the line of one session's end impossible to write.
    await knex.raw(`create function lac_test_refuse_end() returns trigger language plpgsql as $$
      begin raise exception 'index row size 2720 exceeds btree version 4 maximum 2704' using errcode = '54000'; end $$`)
    await knex.raw(`create trigger "zz_refuse_end" before insert on "login_as_customer_log_entry" for each row
      when (new."action" = 'session_ended' and new."session_id" = '${bobs.session.id}') execute function lac_test_refuse_end()`)
    try {
      const withdrawn = await api.post("/store/customers/me/remote-assistance", { allowed: false }, store.jane.headers)
      expect(withdrawn.status).toBe(200)
      expect(withdrawn.data.remote_assistance.allowed).toBe(false)
      expect((await api.get("/store/customers/me/remote-assistance", store.jane.headers)).data.remote_assistance.allowed).toBe(false)
      expect(await settledLogRows(container, "session_ended", { session_id: mine.session.id }, { count: 1 })).toHaveLength(1)
      // Bob's session is over all the same: its token is refused.
      await expectCode(me(bobs.headers), 401, "impersonation_ended")
      const start = await refusal(api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers))
      expect({ status: start.status, code: start.data.code }).toEqual({ status: 403, code: "assistance_not_allowed" })
    } finally {
      await knex.raw(`drop trigger if exists "zz_refuse_end" on "login_as_customer_log_entry"`)
      await knex.raw(`drop function if exists lac_test_refuse_end()`)
    }

    // The expiry job writes the missing line once the log takes it, five minutes after the end.
    await expireLoginAsCustomerSessions(container)
    expect(await logRows(container, "session_ended", { session_id: bobs.session.id })).toHaveLength(0)
    await knex.raw(`update "login_as_customer_session" set "ended_at" = "ended_at" - interval '6 minutes' where "id" = ?`, [bobs.session.id])
    // A row SQL made, ended as long ago, has no ticket_issued line of the app's: no line is written of it.
    const forged = "lacs_01JFORGEDENDED000000000000"
    await knex.raw(
      `insert into "login_as_customer_session" ("id", "user_id", "customer_id", "mode", "started_at", "expires_at", "ended_at", "end_reason")
       values (?, ?, ?, 'full', now() - interval '20 minutes', now() + interval '1 hour', now() - interval '10 minutes', 'consent_withdrawn')`,
      [forged, bob.id, store.jane.id]
    )
    await expireLoginAsCustomerSessions(container)
    await expireLoginAsCustomerSessions(container)
    const [line] = await settledLogRows(container, "session_ended", { session_id: bobs.session.id }, { count: 1 })
    // Jane's withdrawal ended it, as her own line of it says: the line and her history name her, not the system.
    expect(line).toMatchObject({
      actor_type: "customer",
      actor_id: store.jane.id,
      user_id: bob.id,
      customer_id: store.jane.id,
      details: expect.objectContaining({ end_reason: "consent_withdrawn", logged_late: true }),
    })
    // Dated back by six minutes in its row, before the session's own lines: the line says no earlier than the last of them.
    const lastLine = (await logRows(container, "session_started", { session_id: bobs.session.id }))[0]
    expect(new Date(line.details.ended_at).getTime()).toBeGreaterThanOrEqual(new Date(lastLine.created_at).getTime())
    expect(await logRows(container, "session_ended", { session_id: bobs.session.id })).toHaveLength(1)
    expect(await logRows(container, "session_ended", { session_id: forged })).toHaveLength(0)
    const history = await api.get("/store/customers/me/remote-assistance", store.jane.headers)
    expect(history.data.sessions.find((session: any) => session.id === bobs.session.id)).toMatchObject({
      end_reason: "consent_withdrawn",
      ended_by: "customer",
    })
  })

  it("answers an expired session's next request with 401 impersonation_ended and ends it at once (expired)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, { session_ttl_seconds: 3 })
    const imp = await liveImpersonation(store)
    await new Promise((resolve) => setTimeout(resolve, 3500))

    // No job run here: the guard itself must end the session on this request.
    const response = await refusal(me(imp.headers))
    const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
    expect({
      status: response.status,
      code: response.data.code,
      ended: session.ended_at !== null,
      end_reason: session.end_reason,
    }).toEqual({ status: 401, code: "impersonation_ended", ended: true, end_reason: "expired" })
    await expectEnded(container, store, imp, "expired")
  })

  it("refuses forged and foreign tokens: a forged session claim gets 401 impersonation_ended, another secret 401", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const { http } = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig
    const sign = (payload: Record<string, unknown>, secret = http.jwtSecret as string) =>
      generateJwtToken(
        { actor_type: "customer", auth_identity_id: "", user_metadata: {}, ...payload },
        { secret, expiresIn: 3600 }
      )
    const claim = (actorId: string, sessionId: string) => ({
      actor_id: actorId,
      app_metadata: { customer_id: actorId, login_as_customer: { session_id: sessionId, user_id: store.admin.id } },
      act: { sub: store.admin.id },
    })

    // A session that doesn't exist.
    const forged = sign(claim(store.jane.id, "lacs_01JFORGEDFORGEDFORGEDFORGE"))
    await expectCode(me(storeHeaders(store, forged)), 401, "impersonation_ended")
    // A real session, claimed for another customer.
    const crossed = sign(claim(store.john.id, imp.session.id))
    await expectCode(me(storeHeaders(store, crossed)), 401, "impersonation_ended")
    // A live row SQL wrote with an id the app can't have made is no session, even for a token signed for it.
    await container.resolve(ContainerRegistrationKeys.PG_CONNECTION).raw(
      `insert into "login_as_customer_session" ("id", "user_id", "customer_id", "storefront_id", "mode", "started_at", "expires_at")
       values ('lacs_made_by_sql', ?, ?, 'main', 'full', now(), now() + interval '1 hour')`,
      [store.admin.id, store.jane.id]
    )
    await expectCode(me(storeHeaders(store, sign(claim(store.jane.id, "lacs_made_by_sql")))), 401, "impersonation_ended")
    // An actor claim without a session claim is still an impersonation.
    const actOnly = sign({ actor_id: store.jane.id, app_metadata: { customer_id: store.jane.id }, act: { sub: store.admin.id } })
    await expectCode(me(storeHeaders(store, actOnly)), 401, "impersonation_ended")

    // The real session's token, re-signed with another secret.
    const foreign = sign(claim(store.jane.id, imp.session.id), "not-the-app-secret")
    const refused = await refusal(me(storeHeaders(store, foreign)))
    expect(refused.status).toBe(401)
    expect(refused.data.customer).toBeUndefined()

    // None of that touched the real session or jane's own login.
    expect((await me(imp.headers)).data.customer.id).toBe(store.jane.id)
    expect((await me(store.jane.headers)).data.customer.id).toBe(store.jane.id)
    const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
    expect(session.ended_at).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await logRows(container, "session_ended")).toHaveLength(0)
  })
}
