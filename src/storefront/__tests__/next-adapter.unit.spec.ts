// The Next.js adapter's pieces that run without Next.js: the token cookie's
// lifetime, the ticket and refusal codes, no-store for assisted requests (on a
// real js-sdk against a local server) and the middleware check.
import Medusa from "@medusajs/js-sdk"
import http from "http"
import type { AddressInfo } from "net"
import { assistedRefusal, ticketError } from ".."
import { assistedFetchInit, noStoreFetch, noStoreWhenAssisted } from "../next/fetch"
import { checkAssistedSession, endedCookieHeaders } from "../next/middleware"
import { readCookie, sessionCookieOptions } from "../next/shared"

function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ actor_id: "cus_1", actor_type: "customer", ...claims })}.sig`
}
const inAnHour = Math.floor(Date.now() / 1000) + 3600
const assisted = (sessionId = "lacs_1", exp = inAnHour) =>
  token({
    app_metadata: { customer_id: "cus_1", login_as_customer: { session_id: sessionId, user_id: "user_1" } },
    act: { sub: "user_1" },
    exp,
  })
const customerOwn = token({ app_metadata: { customer_id: "cus_1" }, exp: inAnHour })

describe("the Next.js adapter", () => {
  describe("the token's cookie", () => {
    const now = Date.parse("2026-12-01T10:00:00.000Z")

    it("expires with the session, not in the starters' 7 days", () => {
      const options = sessionCookieOptions("2026-12-01T11:00:00.000Z", now)
      expect(options).toEqual({
        maxAge: 3600,
        expires: new Date("2026-12-01T11:00:00.000Z"),
        httpOnly: true,
        sameSite: "strict",
        secure: false,
        path: "/",
      })
    })

    it("is gone at once for a session already over, and lives an hour when the answer has no end", () => {
      expect(sessionCookieOptions("2026-12-01T09:00:00.000Z", now).maxAge).toBe(0)
      expect(sessionCookieOptions(null, now).maxAge).toBe(3600)
      expect(sessionCookieOptions("not a date", now).maxAge).toBe(3600)
    })

    it("reads one cookie from a Cookie header", () => {
      expect(readCookie("a=1; _medusa_jwt=abc.def; b=2", "_medusa_jwt")).toBe("abc.def")
      expect(readCookie("a=1", "_medusa_jwt")).toBeNull()
      expect(readCookie(null, "_medusa_jwt")).toBeNull()
    })
  })

  describe("ticket errors", () => {
    it("tells the admin why, from the status and the code, never by throwing", () => {
      expect(ticketError(401, { code: "invalid_ticket" })).toEqual({
        code: "invalid_ticket",
        reason: "invalid_ticket",
        retry_after: null,
        message: "This login link was already used or has expired. Start again from the admin.",
      })
      expect(ticketError(403, { code: "wrong_storefront" }).code).toBe("wrong_storefront")
      expect(ticketError(403, { code: "assistance_not_allowed" })).toMatchObject({
        code: "not_allowed",
        reason: "assistance_not_allowed",
        message: "The customer no longer allows remote shopping assistance.",
      })
      expect(ticketError(400, { code: "feature_disabled" }).message).toBe("Login as Customer is switched off for this store.")
      expect(ticketError(400, { code: "invalid_data" }).code).toBe("missing_ticket")
      expect(ticketError(429, { code: "too_many_requests" }, "42")).toMatchObject({
        code: "rate_limited",
        retry_after: 42,
        message: "Too many login attempts. Try again in 42 seconds, from the admin.",
      })
      expect(ticketError(429, null, null)).toMatchObject({ code: "rate_limited", retry_after: null })
      expect(ticketError(500, null).code).toBe("unavailable")
      expect(ticketError(0, null).code).toBe("unavailable")
    })

    it("names the refusals of an assisted session, and nothing else", () => {
      expect(assistedRefusal(403, { code: "read_only_session" })?.message).toBe(
        "This is a read-only session: nothing can be changed for the customer."
      )
      expect(assistedRefusal(403, { code: "restricted_while_impersonating" })?.code).toBe("restricted_while_impersonating")
      expect(assistedRefusal(401, { code: "impersonation_ended" })?.code).toBe("impersonation_ended")
      expect(assistedRefusal(403, { code: "permission_denied" })).toBeNull()
      expect(assistedRefusal(401, { code: "unauthorized" })).toBeNull()
    })
  })

  describe("no-store for assisted requests", () => {
    it("forces no-store and drops revalidate (keeping the tags) when the request carries an impersonation token", () => {
      const init = {
        method: "GET",
        headers: { authorization: `Bearer ${assisted()}` },
        cache: "force-cache" as RequestCache,
        next: { revalidate: 3600, tags: ["customers-x"] },
      }
      expect(assistedFetchInit(init)).toEqual({ ...init, cache: "no-store", next: { tags: ["customers-x"] } })
      expect(init.cache).toBe("force-cache") // the caller's object is not changed
      const noTags = assistedFetchInit({ headers: { Authorization: `Bearer ${assisted()}` }, next: { revalidate: 60 } })
      expect(noTags).toEqual({ headers: { Authorization: `Bearer ${assisted()}` }, cache: "no-store" })
    })

    it("leaves every other request as it was", () => {
      const own = { headers: { authorization: `Bearer ${customerOwn}` }, cache: "force-cache" as RequestCache }
      expect(assistedFetchInit(own)).toBe(own)
      const anonymous = { cache: "force-cache" as RequestCache }
      expect(assistedFetchInit(anonymous)).toBe(anonymous)
      expect(assistedFetchInit(undefined)).toBeUndefined()
    })

    describe("on a real js-sdk and a plain fetch", () => {
      let server: http.Server
      let baseUrl: string
      const realFetch = globalThis.fetch
      const seen: Array<{ path: string; cache: string | undefined; revalidate: unknown }> = []

      beforeAll(async () => {
        server = http.createServer((req, res) => {
          res.writeHead(200, { "content-type": "application/json" })
          res.end(JSON.stringify({ customer: { id: "cus_1" } }))
        })
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
        // Records what each request asked of the cache (Next's fetch reads it; Node's ignores it).
        globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit & { next?: { revalidate?: unknown } }) => {
          seen.push({ path: new URL(String(input)).pathname, cache: init?.cache, revalidate: init?.next?.revalidate })
          const { next: _next, cache: _cache, ...rest } = init ?? {}
          return realFetch(input, rest)
        }) as typeof fetch
      })
      afterAll(async () => {
        globalThis.fetch = realFetch
        await new Promise((resolve) => server.close(resolve))
      })
      beforeEach(() => seen.splice(0))

      it("noStoreWhenAssisted makes the SDK's assisted requests no-store, however the page asked, until unhooked", async () => {
        const sdk = new Medusa({ baseUrl, publishableKey: "pk_test", auth: { type: "jwt", jwtTokenStorageMethod: "nostore" } })
        const unhook = noStoreWhenAssisted(sdk)
        const ask = (bearer: string) =>
          sdk.client.fetch("/store/customers/me", {
            headers: { authorization: `Bearer ${bearer}` },
            cache: "force-cache",
            next: { revalidate: 60 },
          } as any)
        await ask(assisted())
        await ask(customerOwn)
        await sdk.store.product.list({}, { authorization: `Bearer ${assisted()}` })
        unhook()
        await ask(assisted())
        expect(seen).toEqual([
          { path: "/store/customers/me", cache: "no-store", revalidate: undefined },
          { path: "/store/customers/me", cache: "force-cache", revalidate: 60 },
          { path: "/store/products", cache: "no-store", revalidate: undefined },
          { path: "/store/customers/me", cache: "force-cache", revalidate: 60 },
        ])
      })

      it("noStoreWhenAssisted also sees the SDK's own token (a browser SDK that stores it)", async () => {
        const sdk = new Medusa({ baseUrl, publishableKey: "pk_test", auth: { type: "jwt", jwtTokenStorageMethod: "memory" } })
        noStoreWhenAssisted(sdk)
        await sdk.client.setToken(assisted())
        await sdk.client.fetch("/store/customers/me", { cache: "force-cache" } as any)
        expect(seen).toEqual([{ path: "/store/customers/me", cache: "no-store", revalidate: undefined }])
      })

      it("noStoreFetch does the same for a plain fetch", async () => {
        const storeFetch = noStoreFetch(globalThis.fetch)
        await storeFetch(`${baseUrl}/store/orders`, { headers: { authorization: `Bearer ${assisted()}` }, cache: "force-cache" })
        await storeFetch(`${baseUrl}/store/orders`, { cache: "force-cache" })
        expect(seen.map((s) => s.cache)).toEqual(["no-store", "force-cache"])
      })
    })
  })

  describe("the middleware check", () => {
    const options = { backendUrl: "http://store.test", publishableKey: "pk_test" }
    function storeAnswering(status: number, body: unknown) {
      const calls: Array<{ url: string; headers: Record<string, string> }> = []
      const fake = (async (input: RequestInfo | URL, init?: RequestInit) => {
        calls.push({ url: String(input), headers: init?.headers as Record<string, string> })
        return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })
      }) as typeof fetch
      return { calls, options: { ...options, fetch: fake } }
    }
    const page = (jwt: string | null, headers: Record<string, string> = {}, method = "GET") =>
      new Request("http://shop.test/us/account?tab=orders", {
        method,
        headers: { ...(jwt ? { cookie: `_medusa_cart_id=cart_1; _medusa_jwt=${jwt}` } : {}), ...headers },
      })
    const ended = { type: "unauthorized", code: "impersonation_ended", message: "This Login as Customer session has ended" }

    it("costs nothing for visitors without an impersonation token", async () => {
      const store = storeAnswering(200, {})
      expect(await checkAssistedSession(page(null), store.options)).toBeNull()
      expect(await checkAssistedSession(page(customerOwn), store.options)).toBeNull()
      expect(store.calls).toEqual([])
    })

    it("lets an active session through after one check with its token and the publishable key", async () => {
      const store = storeAnswering(200, { session: { id: "lacs_1" } })
      expect(await checkAssistedSession(page(assisted()), store.options)).toBeNull()
      expect(store.calls).toEqual([
        {
          url: "http://store.test/store/login-as-customer/session",
          headers: { accept: "application/json", "x-publishable-api-key": "pk_test", authorization: `Bearer ${assisted()}` },
        },
      ])
    })

    it("signs an ended session out: the page loads again without the token and the cart, with the notice", async () => {
      const store = storeAnswering(401, ended)
      const response = await checkAssistedSession(page(assisted()), store.options)
      expect(response?.status).toBe(303)
      expect(response?.headers.get("location")).toBe("http://shop.test/us/account?tab=orders")
      expect(response?.headers.getSetCookie()).toEqual(endedCookieHeaders())
      expect(endedCookieHeaders()).toEqual([
        "_medusa_jwt=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
        "_medusa_cart_id=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
        "_lac_session_ended=1; Path=/; Max-Age=60; SameSite=Lax",
      ])
    })

    it("answers the client router's fetch with something it can't render, so it loads the whole page", async () => {
      const store = storeAnswering(401, ended)
      const response = await checkAssistedSession(page(assisted(), { rsc: "1" }), store.options)
      expect(response?.status).toBe(200)
      expect(response?.headers.get("content-type")).toMatch(/^text\/html/)
      expect(response?.headers.getSetCookie()).toEqual([])
    })

    it("tells the client router's fetch from a page load as Next.js middleware sees them (without the RSC headers, which Next.js removes)", async () => {
      const store = storeAnswering(401, ended)
      // A client navigation or a prefetch: the browser's fetch. No cookie changes, so
      // that a prefetch changes nothing; the page load that follows signs out.
      const fetched = await checkAssistedSession(page(assisted(), { "sec-fetch-mode": "cors", accept: "*/*" }), store.options)
      expect(fetched?.status).toBe(200)
      expect(fetched?.headers.get("content-type")).not.toMatch(/text\/x-component/)
      expect(fetched?.headers.getSetCookie()).toEqual([])
      const loaded = await checkAssistedSession(page(assisted(), { "sec-fetch-mode": "navigate", accept: "text/html" }), store.options)
      expect(loaded?.status).toBe(303)
      expect(loaded?.headers.getSetCookie()).toEqual(endedCookieHeaders())
    })

    it("knows an expired token without asking, and asks nothing for prefetches and server actions", async () => {
      const store = storeAnswering(200, { session: { id: "lacs_1" } })
      const expired = assisted("lacs_1", Math.floor(Date.now() / 1000) - 5)
      expect((await checkAssistedSession(page(expired), store.options))?.status).toBe(303)
      expect(await checkAssistedSession(page(assisted(), { "next-router-prefetch": "1" }), store.options)).toBeNull()
      expect(await checkAssistedSession(page(assisted(), { "next-action": "abc" }, "POST"), store.options)).toBeNull()
      expect(store.calls).toEqual([])
    })

    it("lets the page load when the store can't be asked or answers anything else", async () => {
      const down = { ...options, fetch: (async () => Promise.reject(new Error("ECONNREFUSED"))) as typeof fetch }
      expect(await checkAssistedSession(page(assisted()), down)).toBeNull()
      expect(await checkAssistedSession(page(assisted()), storeAnswering(401, { code: "unauthorized" }).options)).toBeNull()
      expect(await checkAssistedSession(page(assisted()), storeAnswering(500, {}).options)).toBeNull()
    })
  })
})
