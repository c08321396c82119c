import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { withRetry } from "../lib/retry"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"
import { LoginAsCustomerEvents, SessionEventData } from "../types"

export const DEFAULT_NOTIFICATION_TEMPLATE = "login-as-customer-session-started"

/**
 * Tells the customer that someone from the store has logged in to their
 * account (when the `notify_customer` setting is on), through Medusa's
 * Notification Module. Sent once per session, however often the event comes.
 */
export default async function notifyCustomerOfSession({ event, container }: SubscriberArgs<SessionEventData>) {
  // Retried on failure; the notification's idempotency key sends it once.
  // No provider for the channel is a setup mistake no retry mends: said once, not retried.
  try {
    await withRetry(() => notify(event.data, container), { retryIf: (error) => !isNoProviderError(error) })
  } catch (error) {
    if (!isNoProviderError(error)) {
      throw error
    }
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(
        `Login as Customer: the customer was not notified of session ${event.data.session_id}: ${(error as Error).message}. ` +
          `Configure a notification provider for the channel, or turn "notify_customer" off.`
      )
  }
}

/**
 * Medusa's Notification Module answers NOT_FOUND when no enabled provider
 * handles the channel (`Could not find a notification provider for channel`).
 */
export function isNoProviderError(error: unknown): boolean {
  return error instanceof Error && (error as MedusaError).type === MedusaError.Types.NOT_FOUND && /notification provider/i.test(error.message)
}

async function notify(data: SessionEventData, container: MedusaContainer) {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const settings = await service.getSettings()
  if (!settings.notify_customer) {
    return
  }
  const [customers, users] = await Promise.all([
    container
      .resolve(Modules.CUSTOMER)
      .listCustomers({ id: data.customer_id }, { select: ["id", "email", "first_name", "last_name"] }),
    container
      .resolve(Modules.USER)
      .listUsers({ id: data.user_id }, { select: ["id", "first_name"], withDeleted: true }),
  ])
  const customer = customers[0]
  if (!customer?.email) {
    return
  }
  const options = service.getOptions()
  await container.resolve(Modules.NOTIFICATION).createNotifications({
    to: customer.email,
    channel: options.notification_channel ?? "email",
    template: options.notification_template ?? DEFAULT_NOTIFICATION_TEMPLATE,
    trigger_type: LoginAsCustomerEvents.SESSION_STARTED,
    resource_id: data.session_id,
    resource_type: "login_as_customer_session",
    receiver_id: customer.id,
    idempotency_key: `login_as_customer:session_started:${data.session_id}`,
    data: {
      customer: { first_name: customer.first_name, last_name: customer.last_name },
      admin: { first_name: users[0]?.first_name ?? null },
      session: {
        id: data.session_id,
        mode: data.mode,
        reason: data.reason,
        started_at: data.started_at,
        expires_at: data.expires_at,
      },
    },
  })
}

export const config: SubscriberConfig = {
  event: LoginAsCustomerEvents.SESSION_STARTED,
  context: { subscriberId: "login-as-customer-notify-customer" },
}
