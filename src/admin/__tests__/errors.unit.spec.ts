import fs from "fs"
import path from "path"
import { DENIAL_CODES } from "../../types"
import en from "../i18n/en.json"
import { ERROR_CODES, errorKey, FALLBACK_MESSAGES, REASON_CODES } from "../lib/errors"

const ALL_CODES: readonly string[] = [...REASON_CODES, ...ERROR_CODES]

const SRC = path.resolve(__dirname, "../..")

function serverFiles(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      // The admin UI's own code isn't the server's, nor are the storefront helpers
      // (they run in the storefront, and their own results never reach the admin).
      const notServer = [path.join(SRC, "admin"), path.join(SRC, "storefront")]
      if (!["__tests__", "migrations"].includes(entry.name) && !notServer.includes(full)) serverFiles(full, found)
    } else if (/\.ts$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name)) {
      found.push(full)
    }
  }
  return found
}

/** Every error code literal the server's code answers with. */
function codesInServerCode(): Map<string, string> {
  const patterns = [
    // new MedusaError(Type, message, "code")
    /new MedusaError\(\s*[\w.[\]]+\s*,\s*(?:`[^`]*`|"[^"]*"|'[^']*'|[\w.[\]]+)\s*,\s*["']([a-z_]+)["']\s*,?\s*\)/g,
    // { type, code: "code", message } written straight to the response
    /\bcode:\s*["']([a-z][a-z_]+)["']/g,
    // refuse(res, 401, "type", "code", …) and refuseAction("code", …) in the session guard
    /\brefuse\(\s*res\s*,\s*\d+\s*,\s*["'][^"']+["']\s*,\s*["']([a-z_]+)["']/g,
    /\brefuseAction\(\s*["']([a-z_]+)["']/g,
    // deny("code") in the policy functions
    /\bdeny\(\s*["']([a-z_]+)["']/g,
  ]
  const codes = new Map<string, string>()
  for (const file of serverFiles(SRC)) {
    const text = fs.readFileSync(file, "utf8")
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        codes.set(match[1], path.relative(SRC, file))
      }
    }
  }
  return codes
}

describe("admin error messages", () => {
  const strings = (en as { loginAsCustomer: { errors: Record<string, string>; reasons: Record<string, string> } })
    .loginAsCustomer

  it("knows every code the server answers with", () => {
    const codes = codesInServerCode()
    // The scan does find the codes (a broken pattern would pass vacuously).
    expect(codes.get("invalid_ticket")).toBeDefined()
    expect(codes.get("impersonation_ended")).toBeDefined()
    expect(codes.get("cross_site_request")).toBeDefined()
    expect(codes.get("session_not_found")).toBeDefined()
    const unknown = [...codes].filter(([code]) => !ALL_CODES.includes(code))
    expect(unknown).toEqual([])
  })

  it("knows every reason a login is refused", () => {
    expect(DENIAL_CODES.filter((code) => !ALL_CODES.includes(code))).toEqual([])
  })

  it("has an English message for every code and fallback", () => {
    const missing = [
      ...REASON_CODES.filter((code) => typeof strings.reasons[code] !== "string"),
      ...[...ERROR_CODES, ...FALLBACK_MESSAGES].filter((code) => typeof strings.errors[code] !== "string"),
    ]
    expect(missing).toEqual([])
  })

  it("translates by code, then by HTTP status, never showing the server's text", () => {
    expect(errorKey({ code: "assistance_expired", status: 403, message: "English" })).toBe(
      "loginAsCustomer.reasons.assistance_expired"
    )
    expect(errorKey({ code: "permission_denied", status: 403 })).toBe("loginAsCustomer.errors.permission_denied")
    expect(errorKey({ code: "invalid_ticket", status: 401 })).toBe("loginAsCustomer.errors.invalid_ticket")
    expect(errorKey({ code: "something_new", status: 403 })).toBe("loginAsCustomer.errors.permission_denied")
    expect(errorKey({ status: 400 })).toBe("loginAsCustomer.errors.invalid_data")
    expect(errorKey({ status: 401 })).toBe("loginAsCustomer.errors.unauthorized")
    expect(errorKey({ status: 404 })).toBe("loginAsCustomer.errors.not_found")
    expect(errorKey({ status: 429 })).toBe("loginAsCustomer.errors.too_many_requests")
    expect(errorKey({ status: 503 })).toBe("loginAsCustomer.errors.api_error")
    expect(errorKey(new TypeError("Failed to fetch"))).toBe("loginAsCustomer.errors.network")
    expect(errorKey(new Error("boom"))).toBe("loginAsCustomer.errors.unknown")
    expect(errorKey(undefined)).toBe("loginAsCustomer.errors.unknown")
  })
})
