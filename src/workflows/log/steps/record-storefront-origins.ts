import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { createHash } from "crypto"
import { boundedLogDetails } from "../../../lib/bounded-log-details"
import { getStorefrontOrigins } from "../../../lib/get-storefront-origins"
import { withRetry } from "../../../lib/retry"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import { writeLogEntries } from "../write-log-entries"

export const STOREFRONT_ORIGINS_CHANGED = "storefront_origins_changed"

/**
 * Writes `storefront_origins_changed` when the storefront origins in force
 * differ from the last list on record (the first list is recorded too, with
 * `from: null`). Its `event_id` is derived from the previous line and the new
 * list, so instances that notice the same change at once write it once.
 * Returns whether a line was written.
 */
export async function recordStorefrontOriginsIfChanged(container: MedusaContainer): Promise<boolean> {
  const { origins, source, ignored } = getStorefrontOrigins(container)
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  // The app's own newest line (with the key, under its keyed id), dated no
  // later than now: one inserted by SQL, dated ahead, made every start
  // derive the id of a line already written (refused as written at another
  // time: 500), or said the list in force was on record when it wasn't.
  const lastId = await withRetry(() => service.newestOwnLogLineId(STOREFRONT_ORIGINS_CHANGED))
  // Its details read bounded, in SQL: a line nested thousands of levels deep
  // (inserted by SQL) would overflow the ORM's stack. A cut one, or one whose
  // `to` is no list of strings, counts as no previous list.
  const details = lastId ? (await withRetry(() => boundedLogDetails(container, [lastId]))).get(lastId) : null
  const to = (details as { to?: unknown } | null | undefined)?.to
  const previous = Array.isArray(to) && to.every((origin) => typeof origin === "string") ? (to as string[]) : null
  if (previous && JSON.stringify(previous) === JSON.stringify(origins)) {
    return false
  }
  const digest = createHash("sha256")
    .update(`${lastId ?? "none"}|${JSON.stringify(origins)}`)
    .digest("hex")
    .slice(0, 40)
  const eventId = `lacev_origins_${digest}`
  // The app's line of this very change is in the log (the newest of its own
  // beyond the lines scanned): the list is on record.
  if ((await withRetry(() => service.eventLines([eventId]))).has(eventId)) {
    return false
  }
  const written = await writeLogEntries(container, [
    {
      event_id: eventId,
      action: STOREFRONT_ORIGINS_CHANGED,
      // The deployment changed them, not an admin.
      actor_type: "system",
      actor_id: null,
      occurred_at: new Date(),
      details: { from: previous, to: origins, source, ...(ignored.length ? { ignored } : {}) },
    },
  ])
  return written > 0
}

export const recordStorefrontOriginsStepId = "record-login-as-customer-storefront-origins"

/**
 * Puts the storefront origins in force on record before they are used (a
 * storefront saved, a ticket issued): a change since the last line is logged
 * as `storefront_origins_changed`.
 */
export const recordStorefrontOriginsStep = createStep(
  recordStorefrontOriginsStepId,
  async (_input: void, { container }) => {
    const written = await recordStorefrontOriginsIfChanged(container)
    // The log is append-only: nothing to compensate.
    return new StepResponse({ written })
  }
)
