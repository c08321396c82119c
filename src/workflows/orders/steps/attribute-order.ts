import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { OrderPlacedEventData } from "../../../types"
import type { CartSessionMarker } from "./mark-cart-for-session"

export const attributeOrderStepId = "attribute-order-to-login-as-customer-session"

/** Steps that changed nothing hand their compensation nothing to undo. */
const NOTHING_TO_UNDO = undefined as unknown as NonNullable<Previous>

type Previous = { order_id: string; metadata: Record<string, unknown> } | undefined

/** The note an attributed order carries (Medusa v2 orders have no notes of their own). */
export const orderNote = (adminName: string) => `Placed by ${adminName} via Login as Customer`

/**
 * When the order's cart was changed during an impersonation session, writes
 * the session, the admin and the note into the order's metadata. Returns the
 * event data, or null for an order placed by the customer alone.
 */
export const attributeOrderStep = createStep(
  attributeOrderStepId,
  async (
    { order_id }: { order_id: string },
    { container }
  ): Promise<StepResponse<OrderPlacedEventData | null, NonNullable<Previous>>> => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", "display_id", "customer_id", "metadata", "currency_code", "total", "cart.id", "cart.metadata"],
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
          cart?: { id: string; metadata: Record<string, unknown> | null } | null
        }
      | undefined
    const marker = order?.cart?.metadata?.login_as_customer as CartSessionMarker | undefined
    if (!order || !marker?.session_id) {
      return new StepResponse(null, NOTHING_TO_UNDO)
    }
    // Medusa copies the cart's metadata (and so the marker) into the order; an
    // order is attributed once it carries the note.
    const existing = order.metadata?.login_as_customer as { session_id?: string; note?: string } | undefined
    const sessions = await container
      .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
      .listLoginAsCustomerSessions({ id: marker.session_id }, { take: 1 })
    const session = sessions[0]
    const userId = session?.user_id ?? marker.user_id
    const [user] = await container
      .resolve(Modules.USER)
      .listUsers({ id: userId }, { select: ["id", "email", "first_name", "last_name"], withDeleted: true })
    const adminName =
      [user?.first_name, user?.last_name].filter(Boolean).join(" ") || user?.email || userId
    const note = orderNote(adminName)

    const eventData: OrderPlacedEventData = {
      event_id: `order_placed:${order.id}`,
      order_id: order.id,
      display_id: order.display_id,
      cart_id: order.cart?.id ?? null,
      session_id: marker.session_id,
      user_id: userId,
      customer_id: order.customer_id ?? session?.customer_id ?? null,
      total: order.total == null ? null : String(order.total),
      currency_code: order.currency_code,
      note,
    }
    if (existing?.session_id === marker.session_id && existing.note) {
      // Already attributed (a redelivered event): only the log may be missing.
      return new StepResponse(eventData, NOTHING_TO_UNDO)
    }
    await container.resolve(Modules.ORDER).updateOrders([
      {
        id: order.id,
        metadata: {
          ...(order.metadata ?? {}),
          login_as_customer: {
            session_id: marker.session_id,
            user_id: userId,
            admin_name: adminName,
            note,
          },
        },
      },
    ])
    return new StepResponse(eventData, { order_id: order.id, metadata: order.metadata ?? {} })
  },
  async (previous: Previous, { container }) => {
    if (!previous) {
      return
    }
    await container
      .resolve(Modules.ORDER)
      .updateOrders([{ id: previous.order_id, metadata: previous.metadata }])
  }
)
