import { z } from "@medusajs/framework/zod"

export const AdminEraseCustomerFromLog = z
  .object({ customer_id: z.string().trim().min(1).max(200) })
  .strict()
export type AdminEraseCustomerFromLogType = z.infer<typeof AdminEraseCustomerFromLog>

/** Whose erasure to ask about (GET). */
export const AdminErasableLines = z.object({ customer_id: z.string().trim().min(1).max(200) }).strict()
export type AdminErasableLinesType = z.infer<typeof AdminErasableLines>
