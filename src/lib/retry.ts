/**
 * Runs `fn` until it succeeds or `attempts` runs out, waiting `delay_ms`,
 * then twice as long, and so on (capped at `max_delay_ms`) between tries.
 * For writes that must not be lost to a database hiccup: they are idempotent
 * (the log's `event_id`), so a retry after a half-seen success is harmless.
 *
 * `LOGIN_AS_CUSTOMER_RETRY_MAX_DELAY_MS`, read on each call, caps every wait
 * (the same number of tries, over less time): the tests that make the database
 * refuse a write use it so as not to wait out the whole backoff. Unset, the
 * waits are the ones above.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  {
    attempts = 10,
    delay_ms = 100,
    max_delay_ms = 5_000,
    retryIf = () => true,
  }: {
    attempts?: number
    delay_ms?: number
    max_delay_ms?: number
    /** Whether an error may pass with time; one that can't (a setup mistake) is thrown at once. */
    retryIf?: (error: unknown) => boolean
  } = {}
): Promise<T> {
  const cap = Number(process.env.LOGIN_AS_CUSTOMER_RETRY_MAX_DELAY_MS || NaN)
  if (cap >= 0) {
    delay_ms = Math.min(delay_ms, cap)
    max_delay_ms = Math.min(max_delay_ms, cap)
  }
  let delay = delay_ms
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (attempt >= attempts || !retryIf(error)) {
        throw error
      }
      await new Promise((resolve) => setTimeout(resolve, delay))
      delay = Math.min(delay * 2, max_delay_ms)
    }
  }
}

/** The code of the error the log's writer throws for a line the database didn't take as written. */
export const LOG_LINE_REFUSED = "log_line_refused"

/**
 * Whether a database error can pass with time. A data exception (SQLSTATE
 * class 22: a value PostgreSQL can't take, such as a lone surrogate in json)
 * or a program limit (class 54: a value too long for an index) fails the
 * same way on every try, so it is not retried; nor is the app's refusal of a
 * log line the database didn't take as written (`LOG_LINE_REFUSED`), which
 * the next try meets again.
 */
export function isTransientDbError(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === LOG_LINE_REFUSED) {
      return false
    }
    const { code, sqlState } = current as { code?: unknown; sqlState?: unknown }
    const state = typeof sqlState === "string" ? sqlState : typeof code === "string" ? code : null
    if (state && /^(22|54)[0-9A-Z]{3}$/.test(state)) {
      return false
    }
    current = (current as { cause?: unknown }).cause
  }
  return true
}
