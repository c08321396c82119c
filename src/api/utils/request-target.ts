import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

/** `scheme://authority` of an absolute-form request target (RFC 9112 §3.2.2). */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\\]*/

const UNRESERVED = /[A-Za-z0-9\-._~]/

/**
 * Why a request target is ambiguous, or null when it isn't. Ambiguous are the
 * forms a browser never sends and that some parser reads otherwise than
 * Express routes them: a fragment, a backslash (Express turns `\` into `/`
 * when the target also has a fragment or is absolute, and routes it as is
 * otherwise), `;` parameters, dot segments and empty segments (which
 * proxies resolve or merge), percent-encoded separators, dots, unreserved or
 * control characters (which decoders turn back into something else), and
 * anything but visible ASCII. Past the path, only a fragment and characters
 * outside visible ASCII count: a query may hold what it likes. The
 * absolute-form is not ambiguous: Express routes it on its path, and so does
 * everything here.
 */
export function requestTargetProblem(target: string): string | null {
  if (/[^\x21-\x7e]/.test(target)) {
    return "the request target holds a space, a control or a non-ASCII character"
  }
  if (target.includes("#")) {
    return "the request target holds a fragment (#)"
  }
  const path = target.replace(ABSOLUTE_FORM, "").split("?")[0]
  if (!path.startsWith("/")) {
    return "the path does not start with /"
  }
  if (path.includes("\\")) {
    return "the path holds a backslash"
  }
  if (path.includes(";")) {
    return "the path holds a semicolon"
  }
  const segments = path.split("/").slice(1)
  for (const [index, segment] of segments.entries()) {
    if (segment === "" && index < segments.length - 1) {
      return "the path has an empty segment (//)"
    }
    if (segment === "." || segment === "..") {
      return "the path has a dot segment"
    }
  }
  for (const escape of path.matchAll(/%(.{0,2})/g)) {
    if (!/^[0-9A-Fa-f]{2}$/.test(escape[1])) {
      return "a path segment is not valid percent-encoding"
    }
    const char = String.fromCharCode(parseInt(escape[1], 16))
    if (char < " " || char === "\x7f" || UNRESERVED.test(char) || "/\\;?#".includes(char)) {
      return `the path percent-encodes ${JSON.stringify(char)}`
    }
  }
  return null
}

/**
 * The path Express routes a target on, for a target `requestTargetProblem`
 * let through: the path of the absolute-form, the origin-form's up to its
 * query.
 */
export function routedPath(target: string): string {
  return target.replace(ABSOLUTE_FORM, "").split("?")[0] || "/"
}

/**
 * Refuses an ambiguous request target with `400 invalid_data` before
 * anything reads or acts on it. Mounted on /store and /auth, for every
 * request, impersonating or not.
 */
export function refuseAmbiguousRequestTarget(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const problem = requestTargetProblem(req.originalUrl)
  if (problem) {
    return next(new MedusaError(MedusaError.Types.INVALID_DATA, `Malformed URL: ${problem}`, "invalid_data"))
  }
  next()
}
