import { createHash, createHmac, timingSafeEqual } from "crypto"

/** The environment variable holding the log's signing key. */
export const LOG_KEY_ENV = "LOGIN_AS_CUSTOMER_LOG_KEY"

/** Shortest key accepted: 32 characters (e.g. `openssl rand -hex 32` gives 64). */
export const MIN_LOG_KEY_LENGTH = 32

/** The key that signs checkpoints: a plugin option wins over the environment. */
export type LogKey = { secret: string; id: string }

/**
 * The signing key, or null (checkpoints are then chained but unsigned). Its
 * id is a fingerprint that says which key signed a checkpoint without
 * revealing it. A key shorter than MIN_LOG_KEY_LENGTH is refused.
 */
export function resolveLogKey(fromOptions?: string | null): LogKey | null {
  const secret = fromOptions ?? process.env[LOG_KEY_ENV] ?? ""
  if (!secret) {
    return null
  }
  if (secret.length < MIN_LOG_KEY_LENGTH) {
    throw new Error(
      `Login as Customer: the log signing key (${LOG_KEY_ENV} or the log_key option) must be at least ${MIN_LOG_KEY_LENGTH} characters`
    )
  }
  const id = createHash("sha256").update(`login-as-customer-log-key:${secret}`).digest("hex").slice(0, 16)
  return { secret, id }
}

export function sign(key: LogKey, digest: string): string {
  return createHmac("sha256", key.secret).update(digest).digest("hex")
}

export function signatureValid(key: LogKey, digest: string, signature: string | null): boolean {
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) {
    return false
  }
  return timingSafeEqual(Buffer.from(sign(key, digest), "hex"), Buffer.from(signature, "hex"))
}

/**
 * An event's id as the log keeps it when a key is set: the id, `#`, and 32
 * hexadecimal digits of an HMAC of it with the key. The same event gets the
 * same id (a retry is still its duplicate), and no one without the key can
 * write a line under it before the app does. Changing the key changes the
 * ids of events written after.
 */
export function keyedEventId(key: LogKey, eventId: string): string {
  return `${eventId}#${createHmac("sha256", key.secret).update(`lacev1:${eventId}`).digest("hex").slice(0, 32)}`
}

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex")

/** The digest the first checkpoint chains to. */
export const GENESIS_DIGEST = "0".repeat(64)
