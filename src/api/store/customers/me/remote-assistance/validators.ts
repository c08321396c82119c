import { z } from "@medusajs/framework/zod"

const toInt = (value: unknown) =>
  typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value

/** A page of the customer's assistance history (newest first). */
export const StoreGetRemoteAssistance = z
  .object({
    limit: z.preprocess(toInt, z.number().int().min(1).max(100)).default(20),
    offset: z.preprocess(toInt, z.number().int().min(0).max(1_000_000)).default(0),
  })
  .strict()
export type StoreGetRemoteAssistanceType = z.infer<typeof StoreGetRemoteAssistance>
