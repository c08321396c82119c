import { bannerText, readTicket } from ".."

describe("storefront helpers", () => {
  const ticket = "Zm9vYmFyYmF6cXV4LXRpY2tldC0xMjM0NTY3ODkwYWI"

  it("reads the ticket from a fragment or a whole URL", () => {
    expect(readTicket(`#ticket=${ticket}`)).toBe(ticket)
    expect(readTicket(`https://shop.example.com/assist?x=1#ticket=${ticket}`)).toBe(ticket)
    expect(readTicket(`#foo=1&ticket=${ticket}`)).toBe(ticket)
  })

  it("refuses anything that is not a ticket", () => {
    expect(readTicket("")).toBeNull()
    expect(readTicket("#ticket=")).toBeNull()
    expect(readTicket("#ticket=<script>")).toBeNull()
    expect(readTicket("#ticket=short")).toBeNull()
    expect(readTicket("https://shop.example.com/assist")).toBeNull()
  })

  it("writes the banner", () => {
    const session = {
      id: "lacs_1",
      mode: "full" as const,
      started_at: null,
      expires_at: null,
      ended_at: null,
      end_reason: null,
      customer: { id: "cus_1", email: "jane@example.com", first_name: "Jane", last_name: "Doe" },
      admin: { first_name: "Ada", last_name: null },
    }
    expect(bannerText(session)).toBe("You are logged in as Jane Doe — assisted by Ada")
    expect(
      bannerText({ ...session, customer: { ...session.customer, first_name: null, last_name: null }, admin: { first_name: null, last_name: null } })
    ).toBe("You are logged in as jane@example.com")
  })
})
