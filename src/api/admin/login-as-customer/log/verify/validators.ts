import { z } from "@medusajs/framework/zod"

/**
 * `full: true` recomputes every line's digest from its fields; without it
 * (quick) only lines rewritten since their insert are recomputed.
 */
export const AdminVerifyLog = z.object({ full: z.boolean().optional() }).strict()
export type AdminVerifyLogType = z.infer<typeof AdminVerifyLog>
