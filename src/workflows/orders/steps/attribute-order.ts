import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { OrderPlacedEventData } from "../../../types"
import { toIso } from "../../../lib/dates"
import { attributedSession, attributionNote } from "../../../lib/order-attribution"
import { sessionsAsIssued } from "../../session/steps/sessions-as-issued"

export const attributeOrderStepId = "attribute-order-to-login-as-customer-session"

/**
 * The order and its `login_as_customer` entry before the step (entry
 * undefined: there was none); null when the step changed nothing.
 */
type Previous = { order_id: string; entry: unknown } | null

/** An order's attribution: its `order_placed` event and the entry its metadata gets. */
export type OrderAttribution = {
  event: OrderPlacedEventData
  attribution: { session_id: string; user_id: string; admin_name: string; note: string }
}

/** A step that changed nothing hands its compensation nothing to undo (null, not the output). */
const NOTHING_TO_UNDO: Previous = null

/** The order metadata key the server writes; a value copied from a cart's metadata is never evidence. */
const ORDER_KEY = "login_as_customer"

/** Sets (or, with "", removes) the order's `login_as_customer` metadata entry, leaving its other keys. */
async function setOrderEntry(container: MedusaContainer, orderId: string, entry: unknown) {
  await container.resolve(Modules.ORDER).updateOrders([{ id: orderId, metadata: { [ORDER_KEY]: entry } }])
}

/**
 * Attributes an order to the impersonation session that changed its cart,
 * read from the plugin's own record (`login_as_customer_session_cart`, written
 * by the store guard), never from anything a client could write, and only
 * where the log holds the session's own line of an allowed action on the
 * cart: the session (as its `ticket_issued` line records it) must be the
 * order's customer's and have acted on the cart while it ran, by its lines
 * (`attributedSession`); the record's own fields are not evidence.
 * Returns the event data and the order's metadata entry (the session, the
 * admin and the note; setOrderAttributionStep writes it after the line);
 * returns null for an order the customer placed alone, and removes from it
 * any `login_as_customer` entry copied from its cart's metadata.
 */
export const attributeOrderStep = createStep(
  attributeOrderStepId,
  async (
    { order_id }: { order_id: string },
    { container }
  ): Promise<StepResponse<OrderAttribution | null, Previous>> => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", "display_id", "customer_id", "metadata", "currency_code", "total", "created_at", "cart.id", "cart.completed_at"],
      filters: { id: order_id },
    })
    const order = data[0] as unknown as
      | {
          id: string
          display_id: number
          customer_id: string | null
          metadata: Record<string, unknown> | null
          currency_code: string
          total: unknown
          created_at: Date | string
          cart?: { id: string; completed_at: Date | string | null } | null
        }
      | undefined
    if (!order) {
      return new StepResponse(null, NOTHING_TO_UNDO)
    }
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    // The cart an order is linked to must be completed: Medusa's order-cart
    // link is a row SQL could point at a cart the admin changed that was
    // never completed, naming the admin on an order placed from another.
    const recorded = order.cart?.id && order.cart.completed_at && order.customer_id
      ? await service.listLoginAsCustomerSessionCarts({ cart_id: order.cart.id })
      : []
    // A record counts only beside the session's own line of an action on the
    // cart: the records table is not append-only, and a record written by SQL
    // put an admin's name on an order the customer placed alone. Only acts
    // before the completion count (a request on the completed cart, even a
    // completion of it, changes nothing); of several sessions, the one that
    // completed the cart wins, else the one that acted on it last. A cart
    // becomes one order: one that placed another is linked to this one by SQL.
    // What the records are evidence of is the log's: their other fields (admin, time) SQL could change.
    const recordedIds = [...new Set(recorded.map((record) => record.session_id))]
    const onCart = recorded.length
      ? await service.cartActs(recordedIds, { id: order.cart!.id, completed_at: order.cart!.completed_at!, order_id: order.id })
      : null
    const acts = !onCart || onCart.placed_other ? [] : [...onCart.acts].map(([session_id, act]) => ({ session_id, ...act }))
    // The sessions in SQL (a bounded context), with the admin, reason and mode
    // their ticket_issued lines record: their rows could be made to say another.
    const sessions = acts.length ? await sessionsAsIssued(container, await service.listSessionsByIds(acts.map((act) => act.session_id))) : []
    const found = attributedSession({ order_customer_id: order.customer_id, acts, sessions })
    const existing = order.metadata?.[ORDER_KEY] as Record<string, unknown> | undefined
    if (!found) {
      if (existing === undefined) {
        return new StepResponse(null, NOTHING_TO_UNDO)
      }
      // Copied from the cart (a client's write, or an older version's marker):
      // only the server says an order was placed by an admin. Medusa merges
      // metadata updates; an empty string removes the key.
      await setOrderEntry(container, order.id, "")
      return new StepResponse(null, { order_id: order.id, entry: existing })
    }
    const session = found.session
    const userId = session.user_id
    const [user] = await container
      .resolve(Modules.USER)
      .listUsers({ id: userId }, { select: ["id", "email", "first_name", "last_name"], withDeleted: true })
    const adminName =
      [user?.first_name, user?.last_name].filter(Boolean).join(" ") || user?.email || userId
    const note = attributionNote(adminName)

    const eventData: OrderPlacedEventData = {
      event_id: `order_placed:${order.id}`,
      order_id: order.id,
      display_id: order.display_id,
      cart_id: order.cart?.id ?? null,
      session_id: session.id,
      user_id: userId,
      customer_id: order.customer_id,
      total: order.total == null ? null : String(order.total),
      currency_code: order.currency_code,
      note,
      reason: session.reason ?? null,
      mode: session.mode,
      occurred_at: toIso(order.created_at),
    }
    const attribution = { session_id: session.id, user_id: userId, admin_name: adminName, note }
    // Written into the order only once its line is in the log (setOrderAttributionStep):
    // a line refused (the log already names another session) leaves the order as it is.
    return new StepResponse({ event: eventData, attribution }, NOTHING_TO_UNDO)
  },
  async (previous: Previous, { container }) => {
    if (!previous) {
      return
    }
    await setOrderEntry(container, previous.order_id, previous.entry === undefined ? "" : previous.entry)
  }
)

export const setOrderAttributionStepId = "set-login-as-customer-order-attribution"

/**
 * Writes the attribution into the order's metadata (`login_as_customer`),
 * after its `order_placed` line is written; an order already saying so is
 * left as it is.
 */
export const setOrderAttributionStep = createStep(
  setOrderAttributionStepId,
  async ({ event, attribution }: OrderAttribution, { container }) => {
    const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "order",
      fields: ["id", "metadata"],
      filters: { id: event.order_id },
    })
    const existing = (data[0] as { metadata?: Record<string, unknown> | null } | undefined)?.metadata?.[ORDER_KEY] as
      | Record<string, unknown>
      | undefined
    if (
      existing &&
      Object.keys(existing).length === 4 &&
      (Object.keys(attribution) as Array<keyof typeof attribution>).every((key) => existing[key] === attribution[key])
    ) {
      // Already attributed (a redelivered event, or the guard and the subscriber both).
      return new StepResponse(undefined, NOTHING_TO_UNDO)
    }
    await setOrderEntry(container, event.order_id, attribution)
    return new StepResponse(undefined, { order_id: event.order_id, entry: existing } as Previous)
  },
  async (previous: Previous, { container }) => {
    if (!previous) {
      return
    }
    await setOrderEntry(container, previous.order_id, previous.entry === undefined ? "" : previous.entry)
  }
)
