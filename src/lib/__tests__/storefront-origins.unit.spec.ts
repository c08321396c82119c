import { parsePluginOptions } from "../../modules/login-as-customer/options"
import {
  assertStorefrontOriginsEnv,
  isAllowedLoginUrl,
  parseOrigin,
  resolveStorefrontOrigins,
} from "../storefront-origins"

describe("parseOrigin", () => {
  it.each([
    ["https://shop.example.com", "https://shop.example.com"],
    ["https://shop.example.com/", "https://shop.example.com"],
    [" https://SHOP.Example.com ", "https://shop.example.com"],
    ["https://shop.example.com:443", "https://shop.example.com"],
    ["https://shop.example.com:8443", "https://shop.example.com:8443"],
    ["http://localhost:8000", "http://localhost:8000"],
    ["http://127.0.0.1:8000/", "http://127.0.0.1:8000"],
    ["http://[::1]:8000", "http://[::1]:8000"],
  ])("%s is the origin %s", (entry, origin) => {
    expect(parseOrigin(entry)).toBe(origin)
  })

  it.each([
    ["a path", "https://shop.example.com/assist"],
    ["a query", "https://shop.example.com?x=1"],
    ["a fragment", "https://shop.example.com#x"],
    ["plain http off this machine", "http://shop.example.com"],
    ["credentials", "https://user:pass@shop.example.com"],
    ["another scheme", "ftp://shop.example.com"],
    ["a wildcard", "*"],
    ["a pattern", "/.*\\.example\\.com/"],
    ["a host alone", "shop.example.com"],
    ["nothing", ""],
  ])("refuses %s", (_label, entry) => {
    expect(parseOrigin(entry)).toBeNull()
  })
})

describe("resolveStorefrontOrigins", () => {
  const storeCors = "http://localhost:8000, https://shop.example.com,/.*\\.example\\.com/,*,http://staging.example.com"

  it("defaults to Medusa's storeCors, leaving out what can't be a login target", () => {
    expect(resolveStorefrontOrigins({ storeCors })).toEqual({
      origins: ["http://localhost:8000", "https://shop.example.com"],
      source: "store_cors",
      ignored: ["/.*\\.example\\.com/", "*", "http://staging.example.com"],
    })
  })

  it("takes the environment over storeCors, and the plugin option over both", () => {
    const env = "https://b2b.example.com,https://shop.example.com/"
    expect(resolveStorefrontOrigins({ env, storeCors })).toMatchObject({
      origins: ["https://b2b.example.com", "https://shop.example.com"],
      source: "env",
    })
    expect(resolveStorefrontOrigins({ option: ["https://only.example.com"], env, storeCors })).toMatchObject({
      origins: ["https://only.example.com"],
      source: "options",
    })
    // An empty option is a choice: no origin at all.
    expect(resolveStorefrontOrigins({ option: [], env, storeCors })).toMatchObject({ origins: [], source: "options" })
    // A blank env variable is unset.
    expect(resolveStorefrontOrigins({ env: "  ", storeCors }).source).toBe("store_cors")
  })

  it("always allows the origins of storefronts given in the plugin options (fixed at deploy time too)", () => {
    const optionStorefronts = [{ login_url: "https://outlet.example.com/assist?x=1" }]
    expect(resolveStorefrontOrigins({ option: ["https://shop.example.com"], optionStorefronts }).origins).toEqual([
      "https://outlet.example.com",
      "https://shop.example.com",
    ])
    expect(resolveStorefrontOrigins({ storeCors: "", optionStorefronts }).origins).toEqual(["https://outlet.example.com"])
  })

  it("lists each origin once, sorted", () => {
    expect(
      resolveStorefrontOrigins({ option: ["https://b.example.com", "https://a.example.com/", "https://B.example.com"] }).origins
    ).toEqual(["https://a.example.com", "https://b.example.com"])
  })
})

describe("isAllowedLoginUrl", () => {
  const origins = ["https://shop.example.com", "http://localhost:8000"]

  it.each([
    ["https://shop.example.com/assist", true],
    ["https://SHOP.example.com:443/x?y#z", true],
    ["http://localhost:8000/", true],
    ["https://shop.example.com.evil.example.com/", false],
    ["https://evil.example.com/?https://shop.example.com", false],
    ["https://shop.example.com:8443/", false],
    ["http://shop.example.com/", false],
    ["http://localhost:8001/", false],
    ["javascript:alert(1)", false],
    ["not a url", false],
  ])("%s → %s", (url, allowed) => {
    expect(isAllowedLoginUrl(url, origins)).toBe(allowed)
  })
})

describe("configuration mistakes stop the app at boot", () => {
  it("a storefront_origins option entry that is not an origin", () => {
    expect(() => parsePluginOptions({ storefront_origins: ["https://shop.example.com/assist"] })).toThrow(
      /option "storefront_origins\.0": must be an origin/
    )
    expect(() => parsePluginOptions({ storefront_origins: ["*"] })).toThrow(/storefront_origins\.0/)
    expect(parsePluginOptions({ storefront_origins: ["https://shop.example.com"] }).storefront_origins).toEqual([
      "https://shop.example.com",
    ])
  })

  it("a LOGIN_AS_CUSTOMER_STOREFRONT_ORIGINS entry that is not an origin", () => {
    expect(() => assertStorefrontOriginsEnv("https://shop.example.com,http://shop.example.com")).toThrow(
      /LOGIN_AS_CUSTOMER_STOREFRONT_ORIGINS.*http:\/\/shop\.example\.com/
    )
    expect(() => assertStorefrontOriginsEnv("https://shop.example.com, http://localhost:8000/")).not.toThrow()
    expect(() => assertStorefrontOriginsEnv(undefined)).not.toThrow()
  })
})
