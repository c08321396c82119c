import { z } from "@medusajs/framework/zod"

const futureDate = z
  .string()
  .max(64)
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO 8601 date")
  .refine((value) => Date.parse(value) > Date.now(), "must be in the future")

/** A consent change, by the customer or by an admin. */
export const UpdateRemoteAssistance = z
  .object({
    allowed: z.boolean(),
    expires_at: futureDate.nullish(),
  })
  .strict()
  .refine((body) => body.allowed || !body.expires_at, {
    message: "expires_at can only be set when allowed is true",
    path: ["expires_at"],
  })

export type UpdateRemoteAssistanceType = z.infer<typeof UpdateRemoteAssistance>
