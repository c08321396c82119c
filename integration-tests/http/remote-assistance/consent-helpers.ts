import type { MedusaContainer } from "@medusajs/framework/types"
import { lacService, logRows, settledLogRows } from "../../helpers/fixtures"
import { SETTLE_MS } from "../../helpers/seed"

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
