import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { LOGIN_AS_CUSTOMER_MODULE } from ".."
import CartCompletion from "../models/cart-completion"
import LoginAsCustomerModuleService from "../service"

jest.setTimeout(60_000)

moduleIntegrationTestRunner<LoginAsCustomerModuleService>({
  moduleName: LOGIN_AS_CUSTOMER_MODULE,
  moduleModels: [CartCompletion],
  resolve: "./src/modules/login-as-customer",
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = (query: string, bindings: unknown[] = []) => MikroOrmWrapper.forkManager().execute(query, bindings)
    const CART = "cart_01JAAAAAAAAAAAAAAAAAAAAAAA"

    describe("which completion of a cart created the order it was answered with", () => {
      it("a completion taken while another runs didn't create the order that one was answered with, nor one it is still running for", async () => {
        const hers = await service.startCartCompletion(CART, null)
        const adas = await service.startCartCompletion(CART, "lacs_01JAAAAAAAAAAAAAAAAAAAAAAA")
        // Hers still running (its answer not out yet): Ada's waited on it.
        expect(await service.completionBehindAnother(adas, "order_1")).toBe(true)
        await service.endCartCompletion(hers, "order_1")
        expect(await service.completionBehindAnother(adas, "order_1")).toBe(true)
        // The one taken first is behind none.
        expect(await service.completionBehindAnother(hers, "order_1")).toBe(false)
      })

      it("a completion taken while another ran that failed, or was answered with another order, created its own", async () => {
        const failed = await service.startCartCompletion(CART, null)
        const other = await service.startCartCompletion(CART, null)
        const adas = await service.startCartCompletion(CART, "lacs_01JAAAAAAAAAAAAAAAAAAAAAAA")
        await service.endCartCompletion(failed, null)
        await service.endCartCompletion(other, "order_other")
        expect(await service.completionBehindAnother(adas, "order_1")).toBe(false)
      })

      it("a note nobody ended for ten minutes (its process died) holds nothing; another cart's notes don't count", async () => {
        const dead = await service.startCartCompletion(CART, null)
        await service.startCartCompletion("cart_01JBBBBBBBBBBBBBBBBBBBBBBB", null)
        const adas = await service.startCartCompletion(CART, "lacs_01JAAAAAAAAAAAAAAAAAAAAAAA")
        await sql(`update "login_as_customer_cart_completion" set "created_at" = "created_at" - interval '11 minutes' where "id" = ?`, [dead])
        expect(await service.completionBehindAnother(adas, "order_1")).toBe(false)
      })
    })

    describe("running completions", () => {
      it("the order.placed subscriber waits on a session's completion, not on the customer's own", async () => {
        const hers = await service.startCartCompletion(CART, null)
        expect(await service.cartCompletionInFlight(CART)).toBe(false)
        const adas = await service.startCartCompletion(CART, "lacs_01JAAAAAAAAAAAAAAAAAAAAAAA")
        expect(await service.cartCompletionInFlight(CART)).toBe(true)
        await service.endCartCompletion(adas, null)
        await service.endCartCompletion(hers, "order_1")
        expect(await service.cartCompletionInFlight(CART)).toBe(false)
      })

      it("notes written over an hour ago are purged; newer ones, ended or not, are kept", async () => {
        const old = await service.startCartCompletion(CART, null)
        const ended = await service.startCartCompletion(CART, null)
        const running = await service.startCartCompletion(CART, "lacs_01JAAAAAAAAAAAAAAAAAAAAAAA")
        await service.endCartCompletion(old, "order_1")
        await service.endCartCompletion(ended, "order_1")
        await sql(`update "login_as_customer_cart_completion" set "created_at" = "created_at" - interval '61 minutes' where "id" = ?`, [old])
        await service.purgeCartCompletions()
        const left = await sql(`select "id" from "login_as_customer_cart_completion" order by "id"`)
        expect(left.map((row: { id: string }) => row.id).sort()).toEqual([ended, running].sort())
      })
    })
  },
})
