/** Reading the plugin's impersonation tokens (without verifying them: only the server can). */

/** The payload of a JWT, read without verifying it (only to recognise our own claim). */
function jwtPayload(token: string): Record<string, any> | null {
  const part = token.split(".")[1]
  if (!part) return null
  try {
    // atob is there in browsers, edge runtimes and Node 16+.
    const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"))
    const json = decodeURIComponent(
      Array.from(binary, (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join("")
    )
    const payload = JSON.parse(json)
    return payload && typeof payload === "object" ? payload : null
  } catch {
    return null
  }
}

/** Whether a token is one of this plugin's impersonation tokens (it carries the session claim). */
export function isImpersonationToken(token: string | null | undefined): boolean {
  const payload = token ? jwtPayload(token) : null
  return !!payload && (!!payload.app_metadata?.login_as_customer || !!payload.act)
}

/**
 * When an impersonation token stops being good by its own `exp` (seconds since
 * the epoch, from the token; null when it has none or isn't ours).
 */
export function impersonationTokenExpiry(token: string | null | undefined): number | null {
  if (!isImpersonationToken(token)) return null
  const exp = jwtPayload(token as string)?.exp
  return typeof exp === "number" ? exp : null
}
