import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { isTransientDbError, withRetry } from "../../lib/retry"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../modules/login-as-customer/service"
import type { RecordLogEntryInput } from "../../modules/login-as-customer/service"
import { customerPseudonym } from "../../modules/login-as-customer/log-integrity/erase"

/**
 * Appends log lines, filling in the admins' and customers' emails as they are
 * now, so each line stays readable after either is deleted (a deleted
 * customer is named by their pseudonym: their personal data was erased from
 * the log when they were deleted, and stays so). A line whose
 * `event_id` is already in the log on a line recording the same is skipped
 * (one that says otherwise is refused, not retried: insertLogLine); a failed write is retried with
 * backoff (for about twenty seconds) before the error is thrown; a data
 * error (SQLSTATE class 22) is thrown at once, as no retry can fix it. Returns how
 * many lines were new. `independent`: the lines are of events of their own
 * (one per session ended), so each is written even when one before it
 * fails; the first failure is thrown after the last line.
 */
export async function writeLogEntries(
  container: MedusaContainer,
  input: RecordLogEntryInput[],
  { independent = false }: { independent?: boolean } = {}
): Promise<number> {
  if (!input.length) {
    return 0
  }
  const userIds = [...new Set(input.filter((e) => e.user_id && e.user_email === undefined).map((e) => e.user_id!))]
  const customerIds = [
    ...new Set(input.filter((e) => e.customer_id && e.customer_email === undefined).map((e) => e.customer_id!)),
  ]
  const [users, customers]: Array<Array<{ id: string; email?: string | null; deleted_at?: unknown }>> = await withRetry(() =>
    Promise.all([
      userIds.length
        ? container.resolve(Modules.USER).listUsers({ id: userIds }, { select: ["id", "email"], withDeleted: true })
        : [],
      customerIds.length
        ? container
            .resolve(Modules.CUSTOMER)
            .listCustomers({ id: customerIds }, { select: ["id", "email", "deleted_at"], withDeleted: true })
        : [],
    ])
  )
  const userEmails = new Map<string, string | null>(users.map((u) => [u.id, u.email ?? null]))
  const customerEmails = new Map<string, string | null>(
    customers.map((c) => [c.id, c.deleted_at ? customerPseudonym(c.id) : c.email ?? null])
  )
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  let written = 0
  const failures: unknown[] = []
  for (const entry of input) {
    const line: RecordLogEntryInput = {
      ...entry,
      ...(entry.user_id && entry.user_email === undefined ? { user_email: userEmails.get(entry.user_id) ?? null } : {}),
      ...(entry.customer_id && entry.customer_email === undefined
        ? { customer_email: customerEmails.get(entry.customer_id) ?? null }
        : {}),
    }
    try {
      if (await withRetry(() => service.recordLogEntry(line), { retryIf: isTransientDbError })) {
        written++
      }
    } catch (error) {
      if (!independent) {
        throw error
      }
      failures.push(error)
    }
  }
  if (failures.length) {
    throw failures[0]
  }
  return written
}
