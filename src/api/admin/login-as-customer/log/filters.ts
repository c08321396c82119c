import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { LogFilter } from "../../../../types"
import type { AdminListLogType } from "../validators"
import { isoDateSpan } from "../../../utils/iso-date"

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
  const config = { take: LOG_SEARCH_MAX_NAMED }
  const [users, customers] = (await Promise.all([
    scope
      .resolve(Modules.USER)
      .listUsers({ q: word }, { ...config, withDeleted: true, select: ["id", "first_name", "last_name", "email"] }),
    // Not deleted customers: Medusa keeps a deleted customer's name and email,
    // and the log erased them from her lines; a search by them would lead
    // straight to her pseudonymous lines.
    scope
      .resolve(Modules.CUSTOMER)
      .listCustomers({ q: word }, { ...config, select: ["id", "first_name", "last_name", "email", "company_name"] }),
  ])) as [Person[], Person[]]
  return {
    user_ids: users.filter(holds).map((user) => user.id),
    customer_ids: customers.filter(holds).map((customer) => customer.id),
  }
}

/** The validated query's filters, without the admins and customers a text names (namedBy adds them). */
export function plainLogFilter(query: Partial<AdminListLogType>): LogFilter {
  return {
    action: query.action,
    user_id: query.user_id,
    customer_id: query.customer_id,
    session_id: query.session_id,
    created_at: query.created_at && {
      gte: query.created_at.gte && isoDateSpan(query.created_at.gte).first,
      lte: query.created_at.lte && isoDateSpan(query.created_at.lte).last,
    },
    q: query.q || undefined,
  }
}

/**
 * The admins and customers the filter's text names, as they are called now
 * in Medusa (a line keeps only their ids and emails), for the text search
 * to match their lines too; null when there is no text or it names nobody.
 */
export async function namedBy(scope: MedusaContainer, filter: LogFilter): Promise<LogFilter | null> {
  const named = filter.q ? await findNamed(scope, filter.q) : null
  if (!named?.user_ids.length && !named?.customer_ids.length) {
    return null
  }
  return {
    ...filter,
    ...(named.user_ids.length ? { q_user_ids: named.user_ids } : {}),
    ...(named.customer_ids.length ? { q_customer_ids: named.customer_ids } : {}),
  }
}

/** The validated query's filters with the admins and customers its text names: the log list's and its export's. */
export async function toLogFilter(scope: MedusaContainer, query: Partial<AdminListLogType>): Promise<LogFilter> {
  const filter = plainLogFilter(query)
  return (await namedBy(scope, filter)) ?? filter
}
