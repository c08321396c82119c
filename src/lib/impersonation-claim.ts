import { createHash } from "crypto"

/**
 * The claim this plugin puts in the customer tokens it issues. `mode` is
 * the session's as the exchange signed it, `reason_digest` its reason's
 * (`reasonDigest`); tokens issued before they were added have none.
 */
export type ImpersonationClaim = { session_id: string; user_id: string; mode?: string; reason_digest?: string }

/**
 * What a token says of its session's reason: 32 hexadecimal digits of the
 * reason's sha256 (of "" for none). The reason itself stays out of the token,
 * which the storefront holds.
 */
export function reasonDigest(reason: string | null | undefined): string {
  return createHash("sha256").update(reason ?? "").digest("hex").slice(0, 32)
}

type AuthContextLike = {
  act?: { sub?: string } | null
  app_metadata?: Record<string, unknown> | null
}

/**
 * The impersonation claim a request's token carries, if any. A token with an
 * actor claim (`act`) but no session claim is still treated as impersonating:
 * whatever it is, it is not the customer acting alone.
 */
export function readImpersonationClaim(
  authContext: AuthContextLike | undefined | null
): ImpersonationClaim | null {
  const claim = authContext?.app_metadata?.login_as_customer as
    | Partial<ImpersonationClaim>
    | undefined
  if (claim && typeof claim === "object") {
    return {
      session_id: String(claim.session_id ?? ""),
      user_id: String(claim.user_id ?? ""),
      ...(claim.mode !== undefined ? { mode: String(claim.mode) } : {}),
      ...(claim.reason_digest !== undefined ? { reason_digest: String(claim.reason_digest) } : {}),
    }
  }
  if (authContext?.act) {
    return { session_id: "", user_id: String(authContext.act.sub ?? "") }
  }
  return null
}
