import type { MedusaContainer } from "@medusajs/framework/types"
import type { SuiteContext } from "../../helpers/suite"
import { impersonate, lacService, refusal, settledLogRows, Store } from "../../helpers/fixtures"

export type Impersonation = Awaited<ReturnType<typeof impersonate>>

/**
 * What the guard suites check with: a store read, a refusal's status and code,
 * an impersonation proven ended, and one proven live before it is ended.
 */
export function guardFixtures({ api }: SuiteContext) {
  const me = (headers: { headers: Record<string, string> }) => api.get("/store/customers/me", headers)

  const expectCode = async (request: Promise<any>, status: number, code: string) => {
    const response = await refusal(request)
    expect({ status: response.status, code: response.data.code }).toEqual({ status, code })
    return response
  }

  /**
   * The impersonation is over: its token gets 401 impersonation_ended, the
   * session row carries the reason, exactly one session_ended row logs it, and
   * jane's own login is untouched.
   */
  const expectEnded = async (
    container: MedusaContainer,
    store: Store,
    imp: Impersonation,
    reason: string,
    { tokenExpired = false } = {}
  ) => {
    const requests = [
      () => me(imp.headers),
      () => api.get("/store/login-as-customer/session", imp.headers),
      () => api.post("/store/customers/me", { first_name: "X" }, imp.headers),
    ]
    for (const request of requests) {
      if (tokenExpired) {
        // The token's own exp has passed: Medusa refuses it (its code is asserted separately).
        expect((await refusal(request())).status).toBe(401)
      } else {
        await expectCode(request(), 401, "impersonation_ended")
      }
    }
    const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
    expect(session.end_reason).toBe(reason)
    expect(session.ended_at).not.toBeNull()
    const rows = await settledLogRows(container, "session_ended", { session_id: imp.session.id })
    expect(rows).toHaveLength(1)
    expect(rows[0].details.end_reason).toBe(reason)
    // Jane's own login still works, and the change tried after the end didn't happen.
    const own = await me(store.jane.headers)
    expect(own.data.customer.id).toBe(store.jane.id)
    expect(own.data.customer.first_name).not.toBe("X")
    return rows[0]
  }

  /** An impersonation that demonstrably works before it is ended. */
  const liveImpersonation = async (store: Store, body: Record<string, unknown> = {}) => {
    const imp = await impersonate(api as never, store, store.jane, body)
    expect((await me(imp.headers)).data.customer.id).toBe(store.jane.id)
    return imp
  }

  return { me, expectCode, expectEnded, liveImpersonation }
}
