import Medusa from "@medusajs/js-sdk"
import http from "http"
import type { AddressInfo } from "net"
import {
  exchangeTicket,
  isImpersonationEnded,
  isImpersonationToken,
  onImpersonationEnded,
  watchImpersonationEnd,
} from ".."

/** A token shaped like the plugin's (the test server reads, never verifies, it). */
function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ actor_id: "cus_1", actor_type: "customer", ...claims })}.sig`
}
const impersonation = (sessionId: string) =>
  token({ app_metadata: { customer_id: "cus_1", login_as_customer: { session_id: sessionId, user_id: "user_1" } }, act: { sub: "user_1" } })
const customerOwn = token({ app_metadata: { customer_id: "cus_1" } })

/**
 * A local server that answers as a Medusa store with the plugin would: the
 * sessions listed in `ended` get `401 impersonation_ended` on every request,
 * a login with the wrong password gets a plain 401.
 */
function storeServer() {
  const ended = new Set<string>()
  const requests: string[] = []
  let releaseSlow: (() => void) | null = null
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost")
    requests.push(`${req.method} ${url.pathname}`)
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" })
      res.end(JSON.stringify(body))
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1]
    const sessionId = bearer
      ? JSON.parse(Buffer.from(bearer.split(".")[1], "base64url").toString()).app_metadata?.login_as_customer
          ?.session_id
      : undefined
    if (url.pathname === "/slow") {
      await new Promise<void>((resolve) => (releaseSlow = resolve))
    }
    if (req.method === "POST" && url.pathname === "/auth/customer/emailpass") {
      return send(401, { type: "unauthorized", message: "Invalid email or password" })
    }
    if (req.method === "POST" && url.pathname === "/store/login-as-customer/sessions") {
      return send(201, { token: impersonation("lacs_new"), session: { id: "lacs_new" } })
    }
    if (sessionId && ended.has(sessionId)) {
      return send(401, { type: "unauthorized", code: "impersonation_ended", message: "This Login as Customer session has ended" })
    }
    if (url.pathname === "/store/customers/me" && !bearer) {
      return send(401, { type: "unauthorized", message: "Unauthorized" })
    }
    send(200, { ok: true, path: url.pathname })
  })
  return new Promise<{
    baseUrl: string
    ended: Set<string>
    requests: string[]
    releaseSlow: () => void
    close: () => Promise<void>
  }>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        ended,
        requests,
        releaseSlow: () => releaseSlow?.(),
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  )
}

type Server = Awaited<ReturnType<typeof storeServer>>

describe("the end of an assisted session, seen by the storefront", () => {
  let store: Server
  beforeEach(async () => {
    store = await storeServer()
  })
  afterEach(async () => {
    await store.close()
  })

  it("recognises the plugin's answer and its tokens", () => {
    expect(isImpersonationEnded(401, { code: "impersonation_ended" })).toBe(true)
    expect(isImpersonationEnded(401, { message: "Unauthorized" })).toBe(false)
    expect(isImpersonationEnded(403, { code: "impersonation_ended" })).toBe(false)
    expect(isImpersonationEnded(401, null)).toBe(false)
    expect(isImpersonationToken(impersonation("lacs_1"))).toBe(true)
    expect(isImpersonationToken(customerOwn)).toBe(false)
    expect(isImpersonationToken("not a token")).toBe(false)
    expect(isImpersonationToken(null)).toBe(false)
  })

  describe("watchImpersonationEnd (a fetch wrapper)", () => {
    function watched() {
      const state = { token: impersonation("lacs_1") as string | null, cart: "cart_1" as string | null }
      const ended: string[] = []
      const storeFetch = watchImpersonationEnd(fetch, {
        clearToken: () => {
          state.token = null
        },
        clearCart: () => {
          state.cart = null
        },
        onEnded: (event) => {
          // Called after both are gone.
          expect(state).toEqual({ token: null, cart: null })
          ended.push(`${event.code}: ${event.message}`)
        },
      })
      const get = (path: string, bearer = impersonation("lacs_1")) =>
        storeFetch(store.baseUrl + path, { headers: { authorization: `Bearer ${bearer}` } })
      return { state, ended, storeFetch, get }
    }

    it("leaves a live session alone", async () => {
      const { state, ended, get } = watched()
      const res = await get("/store/customers/me")
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ ok: true, path: "/store/customers/me" })
      expect(state).toEqual({ token: impersonation("lacs_1"), cart: "cart_1" })
      expect(ended).toEqual([])
    })

    it("clears the token and the cart and calls back once, on any request, answer passed on unchanged", async () => {
      const { state, ended, get } = watched()
      store.ended.add("lacs_1")
      const first = await get("/store/carts/cart_1/line-items")
      expect(first.status).toBe(401)
      expect((await first.json()).code).toBe("impersonation_ended")
      expect(state).toEqual({ token: null, cart: null })
      expect(ended).toEqual(["impersonation_ended: This Login as Customer session has ended"])
      // More refusals of the same session: no second call.
      await get("/store/products")
      await get("/store/customers/me")
      expect(ended).toHaveLength(1)
    })

    it("reports requests already in flight when the session ended only once", async () => {
      const { ended, get } = watched()
      const slow = get("/slow")
      await new Promise<void>((resolve) => {
        const wait = () => (store.requests.includes("GET /slow") ? resolve() : setTimeout(wait, 5))
        wait()
      })
      store.ended.add("lacs_1")
      expect((await get("/store/customers/me")).status).toBe(401)
      store.releaseSlow()
      expect((await slow).status).toBe(401)
      expect(ended).toHaveLength(1)
    })

    it("reports a later session's end again", async () => {
      const { ended, get } = watched()
      store.ended.add("lacs_1")
      await get("/store/customers/me")
      store.ended.add("lacs_2")
      await get("/store/customers/me", impersonation("lacs_2"))
      expect(ended).toHaveLength(2)
    })

    it("ignores other 401s (signed out, wrong password)", async () => {
      const { state, ended, storeFetch } = watched()
      expect((await storeFetch(`${store.baseUrl}/store/customers/me`)).status).toBe(401)
      const login = await storeFetch(`${store.baseUrl}/auth/customer/emailpass`, {
        method: "POST",
        headers: { authorization: `Bearer ${impersonation("lacs_1")}` },
        body: "{}",
      })
      expect(login.status).toBe(401)
      expect(state).toEqual({ token: impersonation("lacs_1"), cart: "cart_1" })
      expect(ended).toEqual([])
    })

    it("reads the credential of a Request object too", async () => {
      const { ended, storeFetch } = watched()
      store.ended.add("lacs_1")
      const request = new Request(`${store.baseUrl}/store/customers/me`, {
        headers: { authorization: `Bearer ${impersonation("lacs_1")}` },
      })
      expect((await storeFetch(request)).status).toBe(401)
      expect((await storeFetch(request.clone())).status).toBe(401)
      expect(ended).toHaveLength(1)
    })
  })

  describe("onImpersonationEnded (the js-sdk hook)", () => {
    async function hooked() {
      const sdk = new Medusa({
        baseUrl: store.baseUrl,
        publishableKey: "pk_test",
        auth: { type: "jwt", jwtTokenStorageMethod: "memory" },
      })
      let cart: string | null = "cart_1"
      const ended: string[] = []
      const unhook = onImpersonationEnded(sdk, {
        clearCart: () => {
          cart = null
        },
        onEnded: async (event) => {
          expect(await sdk.client.getToken()).toBeFalsy()
          expect(cart).toBeNull()
          ended.push(event.code)
        },
      })
      await exchangeTicket(sdk, "a-ticket-of-forty-characters-aaaaaaaaaaaaa")
      return { sdk, ended, unhook, cart: () => cart }
    }

    it("clears the SDK's token and the cart once the session ended, on any call, and still rejects", async () => {
      const { sdk, ended, cart } = await hooked()
      expect(await sdk.client.fetch("/store/customers/me")).toEqual({ ok: true, path: "/store/customers/me" })
      expect(ended).toEqual([])

      store.ended.add("lacs_new")
      await expect(sdk.store.cart.createLineItem("cart_1", { variant_id: "variant_1", quantity: 1 })).rejects.toMatchObject({
        status: 401,
      })
      expect(ended).toEqual(["impersonation_ended"])
      expect(await sdk.client.getToken()).toBeFalsy()
      expect(cart()).toBeNull()
      // The token is gone: later calls are plain anonymous ones and report nothing.
      await sdk.client.fetch("/store/products")
      expect(ended).toHaveLength(1)
    })

    it("a 401 to a live session (a wrong password while assisting) ends nothing", async () => {
      const { sdk, ended, cart } = await hooked()
      await expect(
        sdk.auth.login("customer", "emailpass", { email: "jane@example.com", password: "wrong" })
      ).rejects.toMatchObject({ status: 401 })
      expect(ended).toEqual([])
      expect(isImpersonationToken(await sdk.client.getToken())).toBe(true)
      expect(cart()).toBe("cart_1")
      expect(store.requests).toContain("GET /store/login-as-customer/session")
    })

    it("a customer's own token is never treated as an assisted session", async () => {
      const sdk = new Medusa({ baseUrl: store.baseUrl, publishableKey: "pk_test", auth: { type: "jwt", jwtTokenStorageMethod: "memory" } })
      const ended: string[] = []
      onImpersonationEnded(sdk, { onEnded: (event) => void ended.push(event.code) })
      await sdk.client.setToken(customerOwn)
      await expect(sdk.auth.login("customer", "emailpass", { email: "jane@example.com", password: "wrong" })).rejects.toMatchObject({ status: 401 })
      expect(ended).toEqual([])
      expect(await sdk.client.getToken()).toBe(customerOwn)
    })

    it("sees a token passed per call (kept by the storefront, e.g. in a cookie) and has it cleared", async () => {
      const sdk = new Medusa({ baseUrl: store.baseUrl, publishableKey: "pk_test", auth: { type: "jwt", jwtTokenStorageMethod: "nostore" } })
      const kept = { token: impersonation("lacs_9") as string | null, cart: "cart_9" as string | null }
      const ended: string[] = []
      onImpersonationEnded(sdk, {
        clearToken: () => {
          kept.token = null
        },
        clearCart: () => {
          kept.cart = null
        },
        onEnded: (event) => void ended.push(event.code),
      })
      const headers = { authorization: `Bearer ${kept.token}` }
      expect(await sdk.client.fetch("/store/customers/me", { headers })).toMatchObject({ ok: true })
      store.ended.add("lacs_9")
      await expect(sdk.client.fetch("/store/customers/me", { headers })).rejects.toMatchObject({ status: 401 })
      await expect(sdk.client.fetch("/store/carts/cart_9", { headers })).rejects.toMatchObject({ status: 401 })
      expect(kept).toEqual({ token: null, cart: null })
      expect(ended).toEqual(["impersonation_ended"])
    })

    it("can be removed", async () => {
      const { sdk, ended, unhook } = await hooked()
      unhook()
      store.ended.add("lacs_new")
      await expect(sdk.client.fetch("/store/customers/me")).rejects.toMatchObject({ status: 401 })
      expect(ended).toEqual([])
    })
  })
})
