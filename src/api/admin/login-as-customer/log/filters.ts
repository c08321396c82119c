import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { LogFilter } from "../../../../types"
import type { AdminListLogType } from "../validators"

/** At most this many admins and this many customers found by name widen a text search. */
export const LOG_SEARCH_MAX_NAMED = 500

type Person = {
  id: string
  first_name?: string | null
  last_name?: string | null
  email?: string | null
  company_name?: string | null
}

/**
 * The admins and customers a text names: their first, last or full name (or
 * company, or current email) holds it, literally and case-insensitively.
 * Medusa's own `q` (a pattern, one field at a time) finds the candidates by
 * the text's longest word; the literal match is checked here.
 */
async function findNamed(scope: MedusaContainer, q: string): Promise<{ user_ids: string[]; customer_ids: string[] }> {
  const needle = q.toLowerCase()
  const word = q.split(/\s+/).reduce((longest, w) => (w.length > longest.length ? w : longest), "")
  if (!word) {
    return { user_ids: [], customer_ids: [] }
  }
  const holds = (person: Person) => {
    const full = [person.first_name, person.last_name].filter(Boolean).join(" ")
    return [person.first_name, person.last_name, full, person.email, person.company_name].some((value) =>
      value?.toLowerCase().includes(needle)
    )
  }
  const config = { take: LOG_SEARCH_MAX_NAMED, withDeleted: true }
  const [users, customers] = (await Promise.all([
    scope
      .resolve(Modules.USER)
      .listUsers({ q: word }, { ...config, select: ["id", "first_name", "last_name", "email"] }),
    scope
      .resolve(Modules.CUSTOMER)
      .listCustomers({ q: word }, { ...config, select: ["id", "first_name", "last_name", "email", "company_name"] }),
  ])) as [Person[], Person[]]
  return {
    user_ids: users.filter(holds).map((user) => user.id),
    customer_ids: customers.filter(holds).map((customer) => customer.id),
  }
}

/**
 * The validated query's filters, shared by the log list and its export. A
 * text search also matches the lines of admins and customers it names, as
 * they are called now in Medusa (the line keeps only their ids and emails).
 */
export async function toLogFilter(scope: MedusaContainer, query: Partial<AdminListLogType>): Promise<LogFilter> {
  const q = query.q || undefined
  const named = q ? await findNamed(scope, q) : null
  return {
    action: query.action,
    user_id: query.user_id,
    customer_id: query.customer_id,
    session_id: query.session_id,
    created_at: query.created_at,
    q,
    ...(named?.user_ids.length ? { q_user_ids: named.user_ids } : {}),
    ...(named?.customer_ids.length ? { q_customer_ids: named.customer_ids } : {}),
  }
}
