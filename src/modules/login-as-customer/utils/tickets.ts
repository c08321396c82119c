import { createHash, createHmac, randomBytes, timingSafeEqual } from "crypto"
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

/** A ticket's tag for its session: 16 bytes of an HMAC with the log's key. */
const bindingTag = (key: LogKey, nonce: Buffer, sessionId: string) =>
  createHmac("sha256", key.secret).update(`lacb1:${nonce.toString("base64url")}:${sessionId}`, "utf8").digest().subarray(0, 16)

/**
 * A new ticket's secret for a session: with the log's key, 16 random bytes
 * and a tag binding them to the session (bindingTag), so a ticket row made to
 * point at another session (the tickets table is not append-only) no longer
 * opens it (ticketIsFor); without one, 32 random bytes.
 */
export function newTicketSecret(sessionId: string, key?: LogKey | null): string {
  if (!key) {
    return randomBytes(32).toString("base64url")
  }
  const nonce = randomBytes(16)
  return Buffer.concat([nonce, bindingTag(key, nonce, sessionId)]).toString("base64url")
}

/** Whether a ticket's secret was issued for this session (always, without the log's key). */
export function ticketIsFor(secret: string, sessionId: string, key?: LogKey | null): boolean {
  if (!key) {
    return true
  }
  const bytes = Buffer.from(secret, "base64url")
  if (bytes.length !== 32) {
    return false
  }
  return timingSafeEqual(bytes.subarray(16), bindingTag(key, bytes.subarray(0, 16), sessionId))
}
