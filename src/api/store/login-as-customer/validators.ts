import { z } from "@medusajs/framework/zod"

/** A ticket from the storefront URL's fragment (`#ticket=…`). */
export const StoreExchangeTicket = z
  .object({
    ticket: z.string().min(1).max(200),
  })
  .strict()
export type StoreExchangeTicketType = z.infer<typeof StoreExchangeTicket>
