import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { setupCatalog } from "../../helpers/checkout"
import { impersonate, setupStore } from "../../helpers/fixtures"
import { createAdmin } from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"

/** What the order suites read and set up, on the app of a suite's context. */
export function orderHelpers({ api, getContainer }: Pick<SuiteContext, "api" | "getContainer">) {
  const logEntries = (filter: Record<string, string>) =>
    (getContainer().resolve(LOGIN_AS_CUSTOMER_MODULE) as any).listLoginAsCustomerLogEntries(filter)
  return {
    /** The order's `login_as_customer` metadata entry, if any. */
    orderEntry: async (orderId: string) => {
      const [order] = await getContainer().resolve(Modules.ORDER).listOrders({ id: orderId }, { select: ["id", "metadata"] })
      return (order.metadata as any)?.login_as_customer
    },
    /** A store with a catalog, and a session of Ada's on Jane. */
    oneSession: async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const catalog = await setupCatalog(container, store.publishableKey)
      const { headers, session } = await impersonate(api as never, store)
      return { container, store, catalog, headers, session }
    },
    /** A store with a catalog, and a session of Ada's and one of Eve's on Jane. */
    twoAdminSessions: async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const catalog = await setupCatalog(container, store.publishableKey)
      const eve = await createAdmin(api as never, container, "eve@example.com", { first_name: "Eve", last_name: "Second" })
      const ada = await impersonate(api as never, store)
      const eves = await impersonate(api as never, { ...store, admin: eve })
      return { container, store, catalog, ada, eves }
    },
    sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
    /** Runs `send` while the database's owner holds `table` locked; returns what it returned (requests still in flight). */
    whileLocked: async <T>(table: string, send: () => Promise<T>): Promise<T> => {
      let sent!: T
      await getContainer()
        .resolve(ContainerRegistrationKeys.PG_CONNECTION)
        .transaction(async (trx: any) => {
          await trx.raw(`lock table "${table}" in access exclusive mode`)
          sent = await send()
        })
      return sent
    },
    /** The session's lines of cart completions (its path's, whatever route answered it). */
    completionLines: async (sessionId: string) =>
      (await logEntries({ action: "store_action", session_id: sessionId })).filter((line: any) =>
        String(line.details?.path).endsWith("/complete")
      ),
    /** The `order_placed` lines of the order. */
    orderLogRows: async (orderId: string) =>
      (await logEntries({ action: "order_placed" })).filter((row: any) => row.details?.order_id === orderId),
  }
}
