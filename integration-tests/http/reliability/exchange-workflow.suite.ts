import { createHash } from "crypto"
import { Modules } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { endConsentNow, lacService, logRows, settledLogRows, setupStore, Store, ticketOf } from "../../helpers/fixtures"
import { eventually } from "../../helpers/seed"
import { exchangeLoginTicketWorkflow } from "../../../src/workflows/session/workflows/exchange-login-ticket"
import { LoginAsCustomerEvents } from "../../../src/types"

/**
 * The exchange workflow run by a host app directly, not through the store
 * route: a refusal ends what it ends (one-time ticket burnt, session ended,
 * logged, `login_as_customer.session_ended` emitted) whichever way it is run.
 */
export default function exchangeWorkflowSuite({ api, getContainer }: SuiteContext) {
  const start = async (store: Store) => {
    const { data } = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
    return { session_id: data.session_id as string, ticket: ticketOf(data.redirect_url) }
  }
  const ticketRow = async (ticket: string) => {
    const [row] = await lacService(getContainer()).listLoginAsCustomerTickets({
      token_hash: createHash("sha256").update(ticket, "utf8").digest("hex"),
    })
    return row
  }
  /** Runs the workflow as a host app would and returns its error. */
  const runDirectly = (ticket: string) =>
    exchangeLoginTicketWorkflow(getContainer())
      .run({ input: { ticket } })
      .then(
        () => null,
        (error: { type?: string; code?: string }) => error
      )

  it("burns a refused ticket, ends its session with the reason, logs and emits it, and throws the refusal", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const started = await start(store)
    const service = lacService(container)
    const consent = await endConsentNow(container, store.jane.id)

    const emitted: Array<{ data: { session_id?: string; end_reason?: string } }> = []
    const eventBus = container.resolve(Modules.EVENT_BUS)
    const listener = async (event: { data: { session_id?: string; end_reason?: string } }) => {
      emitted.push(event)
    }
    eventBus.subscribe(LoginAsCustomerEvents.SESSION_ENDED, listener as never, { subscriberId: "exchange-workflow-suite" })
    try {
      const error = await runDirectly(started.ticket)
      expect(error).toMatchObject({ type: "forbidden", code: "assistance_not_allowed" })

      expect((await ticketRow(started.ticket)).consumed_at).not.toBeNull()
      const session = await service.retrieveLoginAsCustomerSession(started.session_id)
      expect(session).toMatchObject({ end_reason: "consent_withdrawn", started_at: null })
      expect(session.ended_at).not.toBeNull()
      const ended = await settledLogRows(container, "session_ended", { session_id: started.session_id })
      expect(ended.map((row) => row.details.end_reason)).toEqual(["consent_withdrawn"])
      expect(await logRows(container, "session_started", { session_id: started.session_id })).toEqual([])
      await eventually(async () => emitted.some((event) => event.data.session_id === started.session_id))
      expect(emitted.filter((event) => event.data.session_id === started.session_id)).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ end_reason: "consent_withdrawn" }) }),
      ])

      // Consent back: the ticket stays burnt, run directly or through the route.
      await service.updateRemoteAssistances({ id: consent.id, expires_at: null })
      expect(await runDirectly(started.ticket)).toMatchObject({ code: "invalid_ticket" })
      const route = await api
        .post("/store/login-as-customer/sessions", { ticket: started.ticket }, { headers: { "x-publishable-api-key": store.publishableKey } })
        .catch((e: { response: { status: number; data: { code: string } } }) => e.response)
      expect({ status: route.status, code: route.data.code }).toEqual({ status: 401, code: "invalid_ticket" })
    } finally {
      eventBus.unsubscribe(LoginAsCustomerEvents.SESSION_ENDED, listener as never, { subscriberId: "exchange-workflow-suite" })
    }
  })

  it("burns a refused ticket whose session had already ended, and answers why", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const started = await start(store)
    await api.post("/store/customers/me/remote-assistance", { allowed: false }, store.jane.headers)

    expect(await runDirectly(started.ticket)).toMatchObject({ code: "assistance_not_allowed" })
    expect((await ticketRow(started.ticket)).consumed_at).not.toBeNull()
  })
}
