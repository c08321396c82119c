import type { AdminListLogType } from "../validators"

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Turns the validated log query into module filters (shared by list and export). */
export function buildLogFilters(query: Partial<AdminListLogType>) {
  const filters: Record<string, unknown> = {}
  if (query.action) {
    filters.action = Array.isArray(query.action) ? query.action : [query.action]
  }
  if (query.user_id) filters.user_id = query.user_id
  if (query.customer_id) filters.customer_id = query.customer_id
  if (query.session_id) filters.session_id = query.session_id
  if (query.created_at?.gte || query.created_at?.lte) {
    filters.created_at = {
      ...(query.created_at.gte ? { $gte: new Date(query.created_at.gte) } : {}),
      ...(query.created_at.lte ? { $lte: new Date(query.created_at.lte) } : {}),
    }
  }
  if (query.q) {
    const pattern = `%${escapeLike(query.q)}%`
    filters.$or = [
      { user_email: { $ilike: pattern } },
      { customer_email: { $ilike: pattern } },
      { action: { $ilike: pattern } },
      { session_id: { $ilike: pattern } },
      { customer_id: { $ilike: pattern } },
      { user_id: { $ilike: pattern } },
    ]
  }
  return filters
}
