import type { SuiteContext } from "../../helpers/suite"
import { integrityFixtures } from "./integrity-helpers"

const VERIFY = "/admin/login-as-customer/log/verify"

/**
 * What POST /admin/login-as-customer/log/verify does with input in the wrong
 * place: `full` belongs in the body; a query string or a body that isn't a
 * JSON object is refused with a message that says so, not ignored.
 */
export default function verifyInputSuite(context: SuiteContext) {
  const { api } = context
  const fx = integrityFixtures(context)

  /** The raw answer to a POST with `body` sent as is (a JSON text, or nothing). */
  const post = async (path: string, body?: string) => {
    const response = await fetch(`${(api as any).defaults.baseURL}${path}`, {
      method: "POST",
      headers: { ...fx.admin.headers.headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body,
    })
    return { status: response.status, data: await response.json().catch(() => null) }
  }

  it("refuses ?full=true (and any query parameter) with 400 invalid_data saying full goes in the body, and verifies nothing", async () => {
    await fx.chain()
    for (const query of ["?full=true", "?full=1", "?full", "?mode=full", "?full=true&x=1"]) {
      const refused = await post(`${VERIFY}${query}`, JSON.stringify({}))
      expect({ query, status: refused.status, type: refused.data?.type, code: refused.data?.code }).toEqual({
        query,
        status: 400,
        type: "invalid_data",
        code: "invalid_data",
      })
      expect(refused.data.message).toMatch(/^Invalid request: this route takes no query parameters \(got [a-z, ]+\); ask for a full verification in the JSON body/)
      expect(refused.data.message).toContain('{ "full": true }')
    }
    // Refused before verifying: the last verification is still none.
    const health = await api.get("/admin/login-as-customer/log/health", fx.admin.headers)
    expect(health.data.health.last_verification).toBeNull()

    // The body's form still works, and so does no body at all.
    expect((await post(VERIFY, JSON.stringify({ full: true }))).data).toMatchObject({ verified: true, mode: "full" })
    expect((await post(VERIFY)).data).toMatchObject({ verified: true, mode: "quick" })
  })

  it("answers a body that is not a JSON object (null, an array, a number, a string) with a clear 400 invalid_data", async () => {
    await fx.chain()
    for (const body of ["null", "[]", '[{"full":true}]', "1", "true", '"full"']) {
      const refused = await post(VERIFY, body)
      expect({ body, status: refused.status, type: refused.data?.type, code: refused.data?.code }).toEqual({
        body,
        status: 400,
        type: "invalid_data",
        code: "invalid_data",
      })
      expect({ body, message: refused.data.message }).toEqual({
        body,
        message: "Invalid request: the body must be a JSON object, or empty",
      })
    }
  })

  it("refuses a body no parser reads (a multipart form, an octet stream) with 400 invalid_data, and verifies nothing", async () => {
    await fx.chain()
    const form = new FormData()
    form.append("full", "true")
    const sent = async (body: BodyInit, type?: string) => {
      const response = await fetch(`${(api as any).defaults.baseURL}${VERIFY}`, {
        method: "POST",
        headers: { ...fx.admin.headers.headers, ...(type ? { "content-type": type } : {}) },
        body,
      })
      return { status: response.status, data: await response.json().catch(() => null) }
    }
    for (const [body, type] of [[form, undefined], ["full=true", "application/octet-stream"]] as Array<[BodyInit, string | undefined]>) {
      const refused = await sent(body, type)
      expect({ status: refused.status, code: refused.data?.code, message: refused.data?.message }).toEqual({
        status: 400,
        code: "invalid_data",
        message: "Invalid request: the body must be JSON (Content-Type: application/json), or empty",
      })
    }
    const health = await api.get("/admin/login-as-customer/log/health", fx.admin.headers)
    expect(health.data.health.last_verification).toBeNull()
  })
}
