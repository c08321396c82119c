import { isConsentActive } from "../../lib/policy"
import type { RemoteAssistanceDTO } from "../../types"

/** The consent as the API shows it; `active` says whether it counts right now. */
export function formatRemoteAssistance(
  row: Partial<RemoteAssistanceDTO> | null | undefined,
  now = new Date()
) {
  const allowed = row?.allowed === true
  const expiresAt = row?.expires_at ? new Date(row.expires_at) : null
  return {
    allowed,
    expires_at: expiresAt ? expiresAt.toISOString() : null,
    active: isConsentActive(row && { allowed, expires_at: expiresAt }, now),
    updated_by_type: row?.updated_by_type ?? null,
    updated_at: row?.updated_at ? new Date(row.updated_at).toISOString() : null,
  }
}
