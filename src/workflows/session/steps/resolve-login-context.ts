import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { getStorefrontOrigins } from "../../../lib/get-storefront-origins"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { RemoteAssistanceDTO, SettingsDTO } from "../../../types"
import type { StartLoginAsCustomerWorkflowInput } from "../workflows/start-login-as-customer"

export const resolveLoginContextStepId = "resolve-login-as-customer-context"

export type LoginContext = {
  settings: SettingsDTO
  customer: { id: string; email: string | null; has_account: boolean } | null
  consent: RemoteAssistanceDTO | null
  order: { id: string; sales_channel_id: string | null } | null
  /** The storefront origins tickets may be sent to (fixed at deploy time). */
  allowed_origins: string[]
}

/**
 * Reads what the decision needs: settings, the customer with their consent,
 * and the order the admin came from (which must be this customer's).
 */
export const resolveLoginContextStep = createStep(
  resolveLoginContextStepId,
  async (input: StartLoginAsCustomerWorkflowInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)

    const [settings, { data: customers }] = await Promise.all([
      service.getSettings(),
      query.graph({
        entity: "customer",
        fields: ["id", "email", "has_account", "remote_assistance.*"],
        filters: { id: input.customer_id },
      }),
    ])
    const customer = customers[0] as
      | { id: string; email: string | null; has_account: boolean; remote_assistance?: RemoteAssistanceDTO | null }
      | undefined

    let order: LoginContext["order"] = null
    if (input.order_id) {
      const { data: orders } = await query.graph({
        entity: "order",
        fields: ["id", "customer_id", "sales_channel_id"],
        filters: { id: input.order_id },
      })
      const found = orders[0] as { id: string; customer_id: string | null; sales_channel_id: string | null } | undefined
      if (!found || found.customer_id !== input.customer_id) {
        throw new MedusaError(
          MedusaError.Types.NOT_FOUND,
          `Order with id: ${input.order_id} was not found for this customer`,
          "order_not_found"
        )
      }
      order = { id: found.id, sales_channel_id: found.sales_channel_id ?? null }
    }

    const context: LoginContext = {
      settings,
      customer: customer
        ? { id: customer.id, email: customer.email ?? null, has_account: customer.has_account === true }
        : null,
      consent: customer?.remote_assistance ?? null,
      order,
      allowed_origins: getStorefrontOrigins(container).origins,
    }
    return new StepResponse(context)
  }
)
