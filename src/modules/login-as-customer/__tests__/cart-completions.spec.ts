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
    const SESSION = "lacs_01JAAAAAAAAAAAAAAAAAAAAAAA"
    const shift = (id: string, interval: string) =>
      sql(`update "login_as_customer_cart_completion" set "created_at" = "created_at" + interval '${interval}' where "id" = ?`, [id])

    describe("the notes of sessions' cart completions", () => {
      it("a completion is running from its note until its request ends it; another cart's notes don't count", async () => {
        await service.startCartCompletion("cart_01JBBBBBBBBBBBBBBBBBBBBBBB", SESSION)
        expect(await service.cartCompletionInFlight(CART)).toBe(false)
        const first = await service.startCartCompletion(CART, SESSION)
        const second = await service.startCartCompletion(CART, SESSION)
        expect(await service.cartCompletionInFlight(CART)).toBe(true)
        await service.endCartCompletion(first)
        expect(await service.cartCompletionInFlight(CART)).toBe(true)
        await service.endCartCompletion(second)
        expect(await service.cartCompletionInFlight(CART)).toBe(false)
      })

      it("a note nobody ended for ten minutes (its process died), or one dated ahead (no note the app writes is), holds nothing", async () => {
        const dead = await service.startCartCompletion(CART, SESSION)
        await shift(dead, "-11 minutes")
        expect(await service.cartCompletionInFlight(CART)).toBe(false)
        const ahead = await service.startCartCompletion(CART, SESSION)
        await shift(ahead, "10 years")
        expect(await service.cartCompletionInFlight(CART)).toBe(false)
      })

      it("notes left over an hour, and those dated ahead, are purged; the others are kept", async () => {
        const old = await service.startCartCompletion(CART, SESSION)
        const ahead = await service.startCartCompletion(CART, SESSION)
        const running = await service.startCartCompletion(CART, SESSION)
        await shift(old, "-61 minutes")
        await shift(ahead, "1 hour")
        await service.purgeCartCompletions()
        const left = await sql(`select "id" from "login_as_customer_cart_completion"`)
        expect(left.map((row: { id: string }) => row.id)).toEqual([running])
        expect([old, ahead]).not.toContain(running)
      })
    })
  },
})
