import type { SuiteContext } from "../../helpers/suite"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { impersonate, lacService, saveSettings, setupStore, Store } from "../../helpers/fixtures"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { BACKGROUND_TABLES, changedTables, STORE_TABLES, tableChecksums } from "../../helpers/db"
import { PASSWORD } from "../../helpers/seed"
import { rawRequest, RawResponse } from "../../helpers/raw-http"
import { RESTRICTABLE_ACTIONS } from "../../../src/types"

/**
 * What a request-target form must get, compared with the plain form:
 * - `same`: the plain form's answer (the same status and code);
 * - `refused`: 400, from the plugin (`invalid_data`) or from Node's HTTP parser
 *   (no body), with nothing changed anywhere;
 * - `nowhere`: Express routes it to no route at all, not even below /store or
 *   /auth (`/%73tore/…` is not `/store/…` to Express), so no rule has anything
 *   to guard: 404, nothing changed.
 */
type Expected = "same" | "refused" | "nowhere"

type Form = {
  name: string
  expect: Expected
  target: string
  method?: string
  headers?: Record<string, string>
}

/**
 * Every request-target form of a route (`/store/carts/:id/customer` with its
 * ids) we could think of: absolute-form with any scheme and host, backslashes
 * with and without a fragment, fragments, encoded separators and dots, dot
 * segments, doubled slashes, a trailing slash, case changes, `;` parameters,
 * encoded letters, NUL, whitespace and control characters, non-ASCII bytes,
 * and headers some servers take a path or method from.
 */
function formsOf(template: string, params: Record<string, string>, port: number): Form[] {
  const templateSegments = template.split("/").slice(1)
  const segments = templateSegments.map((s) => (s.startsWith(":") ? params[s.slice(1)] : s))
  const literal = templateSegments.map((s) => !s.startsWith(":"))
  const path = "/" + segments.join("/")
  const last = segments.length - 1
  const before = "/" + segments.slice(0, last).join("/")
  const backslashed = "/" + segments.join("\\")
  const cased = (change: (s: string, i: number) => string) =>
    "/" + segments.map((s, i) => (literal[i] ? change(s, i) : s)).join("/")
  const firstLiteral = literal.lastIndexOf(true)
  const encodedLetter =
    "/" +
    segments
      .map((s, i) => (i === firstLiteral ? `%${s.charCodeAt(0).toString(16).toUpperCase()}${s.slice(1)}` : s))
      .join("/")
  return [
    { name: "plain", expect: "same", target: path },
    { name: "absolute-form, this server", expect: "same", target: `http://localhost:${port}${path}` },
    { name: "absolute-form, https and another host", expect: "same", target: `https://evil.example.com${path}` },
    { name: "absolute-form, another scheme, userinfo and port", expect: "same", target: `ftp://user:pw@other.example:21${path}` },
    { name: "absolute-form with a query", expect: "same", target: `http://localhost:${port}${path}?fields=id` },
    { name: "absolute-form, upper-case scheme and host", expect: "same", target: `HTTP://LOCALHOST:${port}${path}` },
    { name: "trailing slash", expect: "same", target: `${path}/` },
    { name: "upper-case literal segments", expect: "same", target: cased((s) => s.toUpperCase()) },
    { name: "mixed-case literal segments", expect: "same", target: cased((s) => s.charAt(0).toUpperCase() + s.slice(1)) },
    { name: "query", expect: "same", target: `${path}?fields=id` },
    { name: "empty query", expect: "same", target: `${path}?` },
    { name: "path-like headers (X-Original-URL, X-Rewrite-URL)", expect: "same", target: path, headers: { "X-Original-URL": "/store/regions", "X-Rewrite-URL": "/store/regions" } },
    { name: "method override header", expect: "same", target: path, headers: { "X-HTTP-Method-Override": "GET", "X-HTTP-Method": "GET" } },

    { name: "backslashes and a fragment", expect: "refused", target: `${backslashed}#` },
    { name: "backslashes", expect: "refused", target: backslashed },
    { name: "one backslash and a fragment", expect: "refused", target: `${before}\\${segments[last]}#` },
    { name: "absolute-form with backslashes", expect: "refused", target: `http://localhost:${port}${backslashed}` },
    { name: "absolute-form with backslashes and a fragment", expect: "refused", target: `http://evil.example.com${backslashed}#x` },
    { name: "fragment", expect: "refused", target: `${path}#x` },
    { name: "empty fragment", expect: "refused", target: `${path}#` },
    { name: "fragment holding a path", expect: "refused", target: `${path}#/../../store/regions` },
    { name: "query, then a fragment", expect: "refused", target: `${path}?#` },
    { name: "encoded slash %2F", expect: "refused", target: `${before}%2F${segments[last]}` },
    { name: "encoded slash %2f", expect: "refused", target: `${before}%2f${segments[last]}` },
    { name: "encoded backslash %5C", expect: "refused", target: `${before}%5C${segments[last]}` },
    { name: "encoded dot segment %2E", expect: "refused", target: `${before}/%2E/${segments[last]}` },
    { name: "encoded dot-dot segment %2E%2E", expect: "refused", target: `${before}/x/%2e%2E/${segments[last]}` },
    { name: "dot segment", expect: "refused", target: `${before}/./${segments[last]}` },
    { name: "dot-dot segment", expect: "refused", target: `${before}/x/../${segments[last]}` },
    { name: "trailing dot segment", expect: "refused", target: `${path}/.` },
    { name: "doubled slash inside", expect: "refused", target: `/${segments[0]}//${segments.slice(1).join("/")}` },
    { name: "trailing doubled slash", expect: "refused", target: `${path}//` },
    { name: "matrix parameter on the last segment", expect: "refused", target: `${path};x=1` },
    { name: "percent-encoded letter", expect: "refused", target: encodedLetter },
    { name: "encoded NUL", expect: "refused", target: `${path}%00` },
    { name: "encoded tab", expect: "refused", target: `${before}/%09${segments[last]}` },
    { name: "tab", expect: "refused", target: `${path}\t` },
    { name: "space inside", expect: "refused", target: `${before}/ ${segments[last]}` },
    { name: "vertical tab", expect: "refused", target: `${path}\x0b` },
    { name: "raw non-ASCII byte", expect: "refused", target: `${path}\xa0` },
    { name: "raw UTF-8 letter", expect: "refused", target: `${path}\xc3\xa9` },
    { name: "lower-case method", expect: "refused", target: path, method: "lower" },

    { name: "leading doubled slash", expect: "refused", target: `/${path}` },
    { name: "leading backslash", expect: "refused", target: `\\${path.slice(1)}` },
    { name: "matrix parameter on the first segment", expect: "refused", target: `/${segments[0]};x/${segments.slice(1).join("/")}` },
    { name: "encoded slash after the first segment", expect: "refused", target: `/${segments[0]}%2F${segments.slice(1).join("/")}` },

    { name: "percent-encoded letter in the first segment", expect: "nowhere", target: `/%${segments[0].charCodeAt(0).toString(16)}${path.slice(2)}` },
  ]
}

type Row = {
  name: string
  method: string
  template: string
  params?: Record<string, string>
  body?: unknown
  /** The plain form's answer. */
  status: number
  code?: string
  headers: Record<string, string>
}

type Outcome = { row: string; form: string; target: string; status: number; code: string | null; changed: Record<string, string> }

export default function requestTargetsSuite({ api, getContainer }: SuiteContext) {
  const port = () => Number(new URL(api.defaults.baseURL as string).port)

  /** The store tables and the plugin's own (whatever they are now), the cart → session table included when it exists. */
  const watchedTables = async (container: MedusaContainer) => {
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const { rows } = await knex.raw(
      "select table_name from information_schema.tables where table_schema = 'public' and table_name like 'login_as_customer_%'"
    )
    // The log's checkpoints and verifications are written by the minute's jobs, whatever the requests.
    const plugin = rows.map((r: { table_name: string }) => r.table_name).filter((table: string) => !BACKGROUND_TABLES.includes(table))
    return Array.from(new Set([...STORE_TABLES, ...plugin]))
  }

  /** Whether the guard marked the cart as changed in the session (in the plugin's table, or on the cart as it used to). */
  const isMarked = async (container: MedusaContainer, cartId: string, sessionId: string) => {
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const { rows } = await knex.raw("select to_regclass('login_as_customer_session_cart') is not null as present")
    if (rows[0].present) {
      const found = await knex.raw(
        "select 1 from login_as_customer_session_cart where cart_id = ? and session_id = ? and deleted_at is null",
        [cartId, sessionId]
      )
      if (found.rows.length) return true
    }
    const [cart] = await container.resolve(Modules.CART).listCarts({ id: cartId }, { select: ["id", "metadata"] })
    return (cart?.metadata as any)?.login_as_customer?.session_id === sessionId
  }

  const send = (form: Form, row: { method: string; headers: Record<string, string>; body?: unknown }) =>
    rawRequest(port(), {
      method: form.method === "lower" ? row.method.toLowerCase() : form.method ?? row.method,
      target: form.target,
      headers: { ...row.headers, ...(form.headers ?? {}) },
      body: row.body,
    })

  /** How a form's answer compares with what it must be; null when it is right. */
  const mismatch = (form: Form, response: RawResponse, plain: { status: number; code: string | null }, changed: Record<string, string>, allowedChanges: string[]) => {
    const code = response.body?.code ?? null
    const unexpectedChanges = Object.keys(changed).filter((t) => !allowedChanges.includes(t))
    if (form.expect === "same") {
      if (response.status !== plain.status || code !== plain.code) return `expected ${plain.status} ${plain.code}`
      if (unexpectedChanges.length) return `changed ${unexpectedChanges.join(", ")}`
      return null
    }
    if (Object.keys(changed).length) return `changed ${Object.keys(changed).join(", ")}`
    if (form.expect === "nowhere") return response.status === 404 ? null : "expected 404 (routed nowhere)"
    const byPlugin = response.body?.type === "invalid_data" && code === "invalid_data"
    const byParser = response.text === ""
    return response.status === 400 && (byPlugin || byParser) ? null : "expected 400 invalid_data"
  }

  /** Things of jane's made before the session: a cart ready to complete, an address; a guest's cart and john's. */
  const setup = async (store: Store) => {
    const container = getContainer()
    const catalog = await setupCatalog(container, store.publishableKey)
    const janeCart = await prepareCart(api, store.jane.headers, catalog)
    const address = await api.post("/store/customers/me/addresses", { address_1: "1 Main St", city: "Berlin", country_code: "de" }, store.jane.headers)
    const pk = { headers: { "x-publishable-api-key": store.publishableKey } }
    const guest = await api.post("/store/carts", { region_id: catalog.region.id }, pk)
    await api.post(`/store/carts/${guest.data.cart.id}/line-items`, { variant_id: catalog.variantId, quantity: 2 }, pk)
    const line = (await api.get(`/store/carts/${guest.data.cart.id}`, pk)).data.cart.items[0].id as string
    const john = await api.post("/store/carts", { region_id: catalog.region.id }, store.john.headers)
    return {
      catalog,
      janeCart,
      address: address.data.customer.addresses[0].id as string,
      guestCart: guest.data.cart.id as string,
      guestLine: line,
      johnCart: john.data.cart.id as string,
    }
  }

  it("every restricted action, always-refused route and foreign cart gets the plain form's answer (or 400) whatever the request-target form; refused requests change nothing", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    await saveSettings(api as never, store, { restricted_actions: [...RESTRICTABLE_ACTIONS] })
    const mine = await setup(store)
    const imp = await impersonate(api as never, store)
    const bearer = imp.headers.headers
    const tables = await watchedTables(container)
    const refusedIn = (code: string) => ({ status: 403, code, headers: bearer })
    const restricted = refusedIn("restricted_while_impersonating")

    const rows: Row[] = [
      { name: "change_email", method: "POST", template: "/store/customers/me", body: { email: "mallory@example.com" }, ...restricted },
      { name: "change_email (the cart's contact email)", method: "POST", template: "/store/carts/:id", params: { id: mine.janeCart }, body: { email: "mallory@example.com" }, ...restricted },
      { name: "update_profile", method: "POST", template: "/store/customers/me", body: { first_name: "Mallory" }, ...restricted },
      { name: "change_password (update)", method: "POST", template: "/auth/customer/emailpass/update", body: { password: "stolen-password" }, ...restricted },
      { name: "change_password (reset)", method: "POST", template: "/auth/customer/emailpass/reset-password", body: { identifier: store.jane.email }, ...restricted },
      { name: "change_remote_assistance", method: "POST", template: "/store/customers/me/remote-assistance", body: { allowed: false }, ...restricted },
      { name: "manage_auth_identities (register)", method: "POST", template: "/auth/customer/emailpass/register", body: { email: "mallory@example.com", password: PASSWORD }, ...restricted },
      { name: "manage_auth_identities (log in)", method: "POST", template: "/auth/customer/emailpass", body: { email: store.jane.email, password: PASSWORD }, ...restricted },
      { name: "manage_addresses (add)", method: "POST", template: "/store/customers/me/addresses", body: { address_1: "2 Elm St", city: "Paris", country_code: "fr" }, ...restricted },
      { name: "manage_addresses (delete)", method: "DELETE", template: "/store/customers/me/addresses/:address_id", params: { address_id: mine.address }, ...restricted },
      { name: "place_order", method: "POST", template: "/store/carts/:id/complete", params: { id: mine.janeCart }, ...restricted },
      { name: "always refused: POST /auth/session", method: "POST", template: "/auth/session", ...restricted },
      { name: "always refused: POST /auth/token/refresh", method: "POST", template: "/auth/token/refresh", ...restricted },
      { name: "always refused: cart transfer", method: "POST", template: "/store/carts/:id/customer", params: { id: mine.guestCart }, ...restricted },
      { name: "foreign cart: a guest's cart, its email", method: "POST", template: "/store/carts/:id", params: { id: mine.guestCart }, body: { email: store.jane.email }, ...restricted },
      { name: "foreign cart: a guest's cart, a line", method: "POST", template: "/store/carts/:id/line-items", params: { id: mine.guestCart }, body: { variant_id: mine.catalog.variantId, quantity: 1 }, ...restricted },
      { name: "foreign cart: a guest's cart, a line removed", method: "DELETE", template: "/store/carts/:id/line-items/:line_id", params: { id: mine.guestCart, line_id: mine.guestLine }, ...restricted },
      { name: "foreign cart: john's cart", method: "POST", template: "/store/carts/:id/promotions", params: { id: mine.johnCart }, body: { promo_codes: ["X"] }, ...restricted },
      // Not impersonating: jane's own read answers 200 in every agreeing form, and odd forms are refused for her too.
      { name: "jane's own read", method: "GET", template: "/store/customers/me", status: 200, headers: store.jane.headers.headers },
    ]

    const outcomes: Outcome[] = []
    const problems: string[] = []
    for (const row of rows) {
      let plain: { status: number; code: string | null } | null = null
      for (const form of formsOf(row.template, row.params ?? {}, port())) {
        const before = await tableChecksums(container, tables)
        const response = await send(form, row)
        const changed = changedTables(before, await tableChecksums(container, tables))
        const code = response.body?.code ?? null
        outcomes.push({ row: row.name, form: form.name, target: form.target, status: response.status, code, changed })
        if (form.name === "plain") {
          plain = { status: response.status, code }
          if (response.status !== row.status || (row.code && code !== row.code)) {
            problems.push(`${row.name}, plain: ${response.status} ${code}, expected ${row.status} ${row.code}`)
          }
        }
        // A refusal of the guard writes its log line and nothing else.
        const wrong = mismatch(form, response, plain!, changed, row.status === 403 ? ["login_as_customer_log_entry"] : [])
        if (wrong) {
          problems.push(`${row.name} × ${form.name} (${JSON.stringify(form.target)}): ${response.status} ${code ?? response.text.slice(0, 80)}: ${wrong}`)
        }
      }
    }
    expect(problems).toEqual([])
    // The tables really were checked: a row of every kind and every form answered.
    expect(outcomes.length).toBe(rows.length * formsOf("/x", {}, 0).length)
    expect(new Set(outcomes.filter((o) => o.form !== "plain" && o.status === 403).map((o) => o.row)).size).toBe(rows.length - 1)
    // Nothing of jane's moved: her email, addresses, consent, the carts.
    const [jane] = await container.resolve(Modules.CUSTOMER).listCustomers({ id: store.jane.id }, { relations: ["addresses"] })
    expect({ email: jane.email, first_name: jane.first_name, addresses: jane.addresses.length }).toEqual({ email: store.jane.email, first_name: "Jane", addresses: 1 })
    expect((await lacService(container).getRemoteAssistance(store.jane.id)).allowed).toBe(true)
    const carts = await container.resolve(Modules.CART).listCarts({ id: [mine.guestCart, mine.johnCart, mine.janeCart] }, { select: ["id", "customer_id", "email", "completed_at"] })
    expect(Object.fromEntries(carts.map((c: any) => [c.id, [c.customer_id, c.completed_at]]))).toEqual({
      [mine.guestCart]: [null, null],
      [mine.johnCart]: [store.john.id, null],
      [mine.janeCart]: [store.jane.id, null],
    })
    expect(carts.find((c: any) => c.id === mine.janeCart).email).toBe(store.jane.email)
  })

  it("a cart changed or made in the session is marked in every form that changes it, and only then", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const imp = await impersonate(api as never, store)
    const bearer = imp.headers.headers
    const tables = await watchedTables(container)
    const cartsModule = container.resolve(Modules.CART)
    const janesCarts = async () => (await cartsModule.listCarts({ customer_id: store.jane.id }, { select: ["id"] })).map((c: { id: string }) => c.id)

    const problems: string[] = []
    for (const [i, { name }] of formsOf("/store/carts/:id/line-items", { id: "x" }, port()).entries()) {
      // A fresh cart of jane's own, made without the session.
      const { data } = await api.post("/store/carts", { region_id: catalog.region.id }, store.jane.headers)
      const cartId = data.cart.id as string
      const target = formsOf("/store/carts/:id/line-items", { id: cartId }, port())[i]
      const form = target
      expect(form.name).toBe(name)
      const before = await tableChecksums(container, tables)
      const response = await send(target, { method: "POST", headers: bearer, body: { variant_id: catalog.variantId, quantity: 1 } })
      const changed = changedTables(before, await tableChecksums(container, tables))
      const marked = await isMarked(container, cartId, imp.session.id)
      const lines = (await cartsModule.listLineItems({ cart_id: cartId }, { select: ["id"] })).length
      const ok =
        form.expect === "same"
          ? response.status === 200 && marked && lines === 1
          : form.expect === "refused"
            ? response.status === 400 && !marked && !Object.keys(changed).length
            : response.status === 404 && !marked && !Object.keys(changed).length
      if (!ok) problems.push(`line × ${form.name} (${JSON.stringify(target.target)}): ${response.status} ${response.body?.code ?? ""} marked=${marked} changed=${Object.keys(changed)}`)
    }
    for (const form of formsOf("/store/carts", {}, port())) {
      const known = new Set(await janesCarts())
      const before = await tableChecksums(container, tables)
      const response = await send(form, { method: "POST", headers: bearer, body: { region_id: catalog.region.id } })
      const changed = changedTables(before, await tableChecksums(container, tables))
      const made = (await janesCarts()).filter((id) => !known.has(id))
      const ok =
        form.expect === "same"
          ? response.status === 200 && made.length === 1 && made[0] === response.body.cart.id && (await isMarked(container, made[0], imp.session.id))
          : (form.expect === "refused" ? response.status === 400 : response.status === 404) && !made.length && !Object.keys(changed).length
      if (!ok) problems.push(`new cart × ${form.name} (${JSON.stringify(form.target)}): ${response.status} ${response.body?.code ?? ""} made=${made.length} changed=${Object.keys(changed)}`)
    }
    expect(problems).toEqual([])
  })

  it("a read-only session is refused in every form, and can be ended in every form that agrees with the plain one", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const janeCart = await prepareCart(api, store.jane.headers, catalog)
    const tables = await watchedTables(container)
    const readOnly = await impersonate(api as never, store, store.jane, { mode: "read_only" })
    const rows: Row[] = [
      { name: "profile", method: "POST", template: "/store/customers/me", body: { first_name: "Mallory" }, status: 403, code: "read_only_session", headers: readOnly.headers.headers },
      { name: "cart line", method: "POST", template: "/store/carts/:id/line-items", params: { id: janeCart }, body: { variant_id: catalog.variantId, quantity: 1 }, status: 403, code: "read_only_session", headers: readOnly.headers.headers },
      { name: "place order", method: "POST", template: "/store/carts/:id/complete", params: { id: janeCart }, status: 403, code: "read_only_session", headers: readOnly.headers.headers },
    ]
    const problems: string[] = []
    for (const row of rows) {
      const plain = { status: row.status, code: row.code ?? null }
      for (const form of formsOf(row.template, row.params ?? {}, port())) {
        const before = await tableChecksums(container, tables)
        const response = await send(form, row)
        const changed = changedTables(before, await tableChecksums(container, tables))
        const wrong = mismatch(form, response, plain, changed, ["login_as_customer_log_entry"])
        if (wrong) problems.push(`${row.name} × ${form.name} (${JSON.stringify(form.target)}): ${response.status} ${response.body?.code ?? ""}: ${wrong}`)
      }
    }

    // Ending: each form tried on a session of its own.
    for (const form of formsOf("/store/login-as-customer/session", {}, port())) {
      const imp = await impersonate(api as never, store, store.jane, { mode: "read_only" })
      const response = await send(form, { method: "DELETE", headers: imp.headers.headers })
      const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
      const ok =
        form.expect === "same"
          ? response.status === 200 && session.end_reason === "logout"
          : (form.expect === "refused" ? response.status === 400 : response.status === 404) && session.ended_at === null
      if (!ok) problems.push(`end × ${form.name} (${JSON.stringify(form.target)}): ${response.status} ${response.body?.code ?? ""} ended=${session.end_reason}`)
    }
    expect(problems).toEqual([])
  })
}
