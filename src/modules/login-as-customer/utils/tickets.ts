import { createHash, createHmac } from "crypto"
import type { LogKey } from "../log-integrity/key"

/**
 * A ticket is looked up by a hash of its secret: with the log's key, an HMAC
 * with it, so whoever can write the tickets table but hasn't the key can't
 * put the hash of a secret of their own on a pending ticket and exchange it
 * for the session; without one, its sha256.
 */
export function hashTicket(secret: string, key?: LogKey | null): string {
  return key
    ? createHmac("sha256", key.secret).update(`lact1:${secret}`, "utf8").digest("hex")
    : createHash("sha256").update(secret, "utf8").digest("hex")
}
