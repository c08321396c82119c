// The adapter's components rendered as a server renders them (react-dom/server):
// what the banner and the consent section show before any script runs.
import { createElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import type { StoreImpersonationSession, StoreRemoteAssistanceResponse } from ".."
import { AssistBanner } from "../next/banner"
import { AssistTicketLogin, RemoteAssistanceSection } from "../next/client"

const session: StoreImpersonationSession = {
  id: "lacs_1",
  mode: "full",
  started_at: "2026-12-01T10:00:00.000Z",
  expires_at: "2026-12-01T11:00:00.000Z",
  ended_at: null,
  end_reason: null,
  customer: { id: "cus_1", email: "jane@example.com", first_name: "Jane", last_name: "Doe" },
  admin: { first_name: "Ada", last_name: "Admin" },
}
const end = async () => undefined

describe("the adapter's components", () => {
  it("the banner names the customer and the admin, with an End session form that needs no script", () => {
    const html = renderToStaticMarkup(createElement(AssistBanner, { session, end }))
    expect(html).toContain('role="status"')
    expect(html).toContain("You are logged in as Jane Doe — assisted by Ada Admin")
    expect(html).toMatch(/<form[^>]*><button type="submit">End session<\/button><\/form>/)
    expect(html).not.toContain("read-only")
    expect(renderToStaticMarkup(createElement(AssistBanner, { session: { ...session, mode: "read_only" }, end }))).toContain(
      " (read-only)"
    )
  })

  it("the banner shows a hostile name as text", () => {
    const hostile = { ...session, customer: { ...session.customer, first_name: "<img src=x onerror=alert(1)>", last_name: null } }
    const html = renderToStaticMarkup(createElement(AssistBanner, { session: hostile, end }))
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;")
    expect(html).not.toContain("<img")
  })

  it("without a session the banner renders nothing until the ended notice finds its cookie (in the browser)", () => {
    expect(renderToStaticMarkup(createElement(AssistBanner, { session: null, end }))).toBe("")
  })

  it("the ticket page says it is signing in, not an error, before the exchange answers", () => {
    const html = renderToStaticMarkup(
      createElement(AssistTicketLogin, { exchange: async () => ({ ok: true as const, session }), redirectTo: "/us/account" })
    )
    expect(html).toBe('<p role="status" data-login-as-customer="ticket">Signing in…</p>')
  })

  it("the consent section shows the checkbox, one card per session and the pages", () => {
    const data: StoreRemoteAssistanceResponse = {
      remote_assistance: { allowed: true, expires_at: null, active: true, updated_by_type: "customer", updated_at: null },
      sessions: [
        {
          id: "lacs_2",
          admin: { first_name: "Ada" },
          reason: "Checkout help",
          mode: "read_only",
          started_at: "2026-12-01T10:00:00.000Z",
          ended_at: "2026-12-01T10:20:00.000Z",
          end_reason: "ended_by_admin",
          ended_by: "store",
          order_ids: ["order_1"],
          orders: [{ id: "order_1", display_id: 1001 }],
        },
        {
          id: "lacs_3",
          admin: { first_name: null },
          reason: null,
          mode: "full",
          started_at: "2026-12-01T11:00:00.000Z",
          ended_at: null,
          end_reason: null,
          ended_by: null,
          order_ids: [],
          orders: [],
        },
      ],
      count: 12,
      offset: 10,
      limit: 10,
    }
    const html = renderToStaticMarkup(
      createElement(RemoteAssistanceSection, { data, update: async () => ({ ok: false as const, code: "x", message: "x" }) })
    )
    expect(html).toMatch(/<input type="checkbox" checked=""\/> Allow remote shopping/)
    expect(html).toContain("Who helped me")
    expect(html).toContain(" · Checkout help · read-only · ended by the store · orders #1001")
    expect(html).toContain("Store staff")
    expect(html).toContain(" · full access · in progress")
    expect(html).toContain('<a href="?history=0">Previous</a>')
    expect(html).toContain("<span>11–12 of 12</span>")
    expect(html).not.toContain("Next</a>")
  })
})
