import type { MedusaContainer } from "@medusajs/framework/types"
import { createMedusaContainer } from "@medusajs/framework/utils"
import { parsePluginOptions, settingsFieldsSchema } from "../options"

describe("plugin options", () => {
  it("accepts no options", () => {
    expect(parsePluginOptions(undefined)).toEqual({})
    expect(parsePluginOptions({})).toEqual({})
  })

  it("ignores the keys Medusa adds to every module's options", () => {
    expect(parsePluginOptions({ database: { clientUrl: "x" }, providers: [] })).toEqual({})
  })

  it("accepts every documented option", () => {
    const options = {
      enabled: true,
      disable_page_cache: false,
      store_selection: "manual",
      ticket_ttl_seconds: 30,
      session_ttl_seconds: 900,
      storefronts: [{ id: "main", name: "Main", login_url: "https://shop.example.com/login" }],
      access: "selected_admins",
      consent_mode: "customer_only",
      require_reason: true,
      notify_customer: true,
      restricted_actions: ["change_email", "place_order"],
      notification_template: "login-as-customer-started",
      notification_channel: "email",
    }
    expect(parsePluginOptions(options)).toEqual(options)
  })

  it.each([
    [{ ticket_ttl_seconds: 0 }, 'option "ticket_ttl_seconds"'],
    [{ ticket_ttl_seconds: -5 }, 'option "ticket_ttl_seconds"'],
    [{ session_ttl_seconds: 1.5 }, 'option "session_ttl_seconds"'],
    [{ store_selection: "sometimes" }, 'option "store_selection"'],
    [{ consent_mode: "never" }, 'option "consent_mode"'],
    [{ storefronts: [{ name: "x", login_url: "javascript:alert(1)" }] }, 'option "storefronts.0.login_url"'],
    [{ restricted_actions: ["fly"] }, 'option "restricted_actions.0"'],
    [{ enabeld: true }, "unknown option(s): enabeld"],
  ])("rejects %j naming the option", (options, fragment) => {
    expect(() => parsePluginOptions(options)).toThrow(fragment)
  })

  it("deduplicates restricted actions", () => {
    const parsed = settingsFieldsSchema.parse({
      restricted_actions: ["change_email", "change_email"],
    })
    expect(parsed.restricted_actions).toEqual(["change_email"])
  })

  it("refuses duplicate storefront ids", () => {
    const result = settingsFieldsSchema.safeParse({
      storefronts: [
        { id: "a", name: "A", login_url: "https://a.example.com" },
        { id: "a", name: "B", login_url: "https://b.example.com" },
      ],
    })
    expect(result.success).toBe(false)
  })
})

describe("boot-time validation", () => {
  it("is a loader of the module, so a bad option stops the app; good options reach the module's services", async () => {
    const definition = (await import("..")).default as unknown as {
      loaders: Array<(args: { options: unknown; container: MedusaContainer }) => Promise<void>>
    }
    const loaders = definition.loaders
    expect(loaders.length).toBeGreaterThan(0)
    await expect(
      Promise.all(loaders.map((load) => load({ options: { session_ttl_seconds: 0 }, container: createMedusaContainer() })))
    ).rejects.toThrow('option "session_ttl_seconds"')
    const container = createMedusaContainer()
    await Promise.all(loaders.map((load) => load({ options: { session_ttl_seconds: 60, database: {} }, container })))
    expect(container.resolve("loginAsCustomerOptions")).toEqual({ session_ttl_seconds: 60 })
  })
})
