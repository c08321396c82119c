import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { eraseCustomerFromLogWorkflow } from "../workflows/log/workflows/erase-customer-from-log"

/**
 * A customer deleted in Medusa is erased from the log: their email becomes a
 * stable pseudonym, reasons and notes about them are removed; the lines stay
 * (and count) for the store's legal obligations and claims.
 */
export default async function eraseDeletedCustomerFromLog({
  event: { data },
  container,
}: SubscriberArgs<{ id: string }>) {
  await eraseCustomerFromLogWorkflow(container).run({
    input: { customer_id: data.id, actor_type: "system", actor_id: null },
  })
}

export const config: SubscriberConfig = {
  event: "customer.deleted",
  context: { subscriberId: "login-as-customer-erase-deleted-customer-from-log" },
}
