import { z } from "@medusajs/framework/zod"
import { SESSION_MODES } from "../../../../../types"
import { MEDUSA_ID } from "../../../../utils/schemas"

/** Asking to log in as the customer. */
export const AdminStartLoginAsCustomer = z
  .object({
    storefront_id: z.string().trim().min(1).max(64).nullish(),
    // The id of the order page the admin came from: free text here would be
    // kept in a refused start's line (order_not_found) after the customer's erasure.
    order_id: z.string().trim().max(200).regex(MEDUSA_ID, "must be an order's id (order_…)").nullish(),
    reason: z.string().max(500).nullish(),
    mode: z.enum(SESSION_MODES).optional(),
  })
  .strict()
export type AdminStartLoginAsCustomerType = z.infer<typeof AdminStartLoginAsCustomer>
