import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { prepareCart } from "../../helpers/checkout"
import { lacService, ticketOf } from "../../helpers/fixtures"
import { refused } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"
import { LOG } from "./integrity-helpers"

/** What a log line of another admin's, written first under an event's id, says. */
export const MALLORY = { user_id: "user_MALLORY", user_email: "mallory@example.com" }

/** What the event-ids suites do to the log and the store: forged lines, framed orders, exchanges answered whatever their status. */
export function eventIdFixtures({ api, getContainer }: SuiteContext) {
  const knex = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const service = () => lacService(getContainer())

  /** A line inserted by plain SQL (what the log's triggers allow), under `eventId`, naming Mallory as the admin. */
  const forge = (eventId: string, action: string, customerId: string, sessionId: string, details: Record<string, unknown>) =>
    knex().raw(
      `insert into ${LOG} ("id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id", "customer_email", "session_id", "details")
       values (?, ?, ?, 'user', ?, ?, ?, ?, 'jane@example.com', ?, ?::jsonb)`,
      [`lacl_FORGED_${action}`, eventId, action, MALLORY.user_id, MALLORY.user_id, MALLORY.user_email, customerId, sessionId, JSON.stringify(details)]
    )

  /** The lines of a session and action: id, admin and event id. */
  const lines = async (sessionId: string, action: string) =>
    (
      await knex().raw(`select "id", "user_id", "user_email", "event_id" from ${LOG} where "session_id" = ? and "action" = ? order by "id"`, [
        sessionId,
        action,
      ])
    ).rows

  /** The storefront's exchange of `start`'s ticket, answered whatever its status. */
  const exchangeTicket = (start: { data: { redirect_url: string } }, store: { publishableKey: string }) =>
    refused(
      api.post(
        "/store/login-as-customer/sessions",
        { ticket: ticketOf(start.data.redirect_url) },
        { headers: { "x-publishable-api-key": store.publishableKey } }
      )
    )
  const session = async (id: string) => (await service().listLoginAsCustomerSessions({ id }, { withDeleted: true }))[0]

  /** A trigger on Medusa's order table that writes each new order's `order_placed` line first, under its plain id, naming Mallory, dated 3 h back. */
  const frameOrders = async () => {
    await knex().raw(`create function "zz_frame_order"() returns trigger language plpgsql as $$
      begin
        insert into ${LOG} ("id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id", "customer_email", "session_id", "details", "created_at")
        values ('lacl_FORGED_' || new.id, 'order_placed:' || new.id, 'order_placed', 'user', '${MALLORY.user_id}', '${MALLORY.user_id}', '${MALLORY.user_email}',
                new.customer_id, new.email, 'lacs_FORGED', jsonb_build_object('order_id', new.id, 'total', '9999'), pg_catalog.now() - interval '3 hours');
        return null;
      end $$`)
    await knex().raw(`create trigger "zz_frame_order" after insert on "order" for each row execute function "zz_frame_order"()`)
  }
  const unframeOrders = () => knex().raw(`drop trigger "zz_frame_order" on "order"; drop function "zz_frame_order"()`)

  /** Places an order in the session of `headers` with frameOrders' trigger on; answers its id. */
  const placeFramedOrder = async (headers: { headers: Record<string, string> }, catalog: { region: { id: string }; variantId: string }) => {
    await frameOrders()
    try {
      const cartId = await prepareCart(api, headers, catalog)
      return (await api.post(`/store/carts/${cartId}/complete`, {}, headers)).data.order.id as string
    } finally {
      await unframeOrders()
    }
  }

  return { knex, service, forge, lines, exchangeTicket, session, placeFramedOrder }
}
