import { createHash } from "crypto"

/** A ticket is looked up by the sha256 of its secret. */
export function hashTicket(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex")
}
