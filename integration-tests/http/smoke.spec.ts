import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createAdmin, createPublishableKey, registerCustomer } from "../helpers/seed"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    it("boots", async () => {
      const container = getContainer()
      const admin = await createAdmin(api, container)
      const pk = await createPublishableKey(container)
      const jane = await registerCustomer(api, pk, "jane@example.com")
      const me = await api.get("/store/customers/me", jane.headers)
      expect(me.data.customer.email).toBe("jane@example.com")
      const users = await api.get("/admin/users/me", admin.headers)
      expect(users.data.user.email).toBe("admin@example.com")
    })
  },
})
