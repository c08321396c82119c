import { z } from "@medusajs/framework/zod"
import { SESSION_MODES } from "../../../../../types"

/** Asking to log in as the customer. */
export const AdminStartLoginAsCustomer = z
  .object({
    storefront_id: z.string().trim().min(1).max(64).nullish(),
    order_id: z.string().trim().min(1).max(200).nullish(),
    reason: z.string().max(500).nullish(),
    mode: z.enum(SESSION_MODES).optional(),
  })
  .strict()
export type AdminStartLoginAsCustomerType = z.infer<typeof AdminStartLoginAsCustomer>
