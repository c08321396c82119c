import type { MedusaContainer } from "@medusajs/framework/types"
import { lacService, logRows, settledLogRows } from "../../helpers/fixtures"
import { Actor, createPublishableKey, registerCustomer, SETTLE_MS } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"

/** The customer's own consent route. */
export const ROUTE = "/store/customers/me/remote-assistance"
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString()

/**
 * The customer suites' world: a storefront key and jane, registered before
 * each test; john on demand; a request config with a bearer token.
 */
export function customerFixtures({ api, getContainer }: SuiteContext) {
  const fx = {
    publishableKey: "",
    jane: undefined as unknown as Actor,
    registerJohn: () => registerCustomer(api, fx.publishableKey, "john@example.com", { first_name: "John" }),
    bearer: (token: string) => ({
      headers: { "x-publishable-api-key": fx.publishableKey, authorization: `Bearer ${token}` },
    }),
  }
  beforeEach(async () => {
    fx.publishableKey = await createPublishableKey(getContainer())
    fx.jane = await registerCustomer(api, fx.publishableKey, "jane@example.com", { first_name: "Jane" })
  })
  return fx
}

/** The consent row as stored (null when the customer never set one). */
export async function consentRow(container: MedusaContainer, customerId: string) {
  const [row] = await lacService(container).listRemoteAssistances({ customer_id: customerId })
  return row ?? null
}

/** The customer's consent changes in the log, oldest first. */
export const assistanceLog = (container: MedusaContainer, customerId: string) =>
  logRows(container, "assistance_updated", { customer_id: customerId })

/** Waits for `count` consent log rows, then a little longer so a late duplicate would show. */
export const settledAssistanceLog = (container: MedusaContainer, customerId: string, count: number) =>
  settledLogRows(container, "assistance_updated", { customer_id: customerId }, { count, settle: SETTLE_MS })
