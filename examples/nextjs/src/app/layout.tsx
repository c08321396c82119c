import { AssistBanner, getAssistedSession } from "medusa-plugin-login-as-customer-storefront/next"
import Link from "next/link"
import type { ReactNode } from "react"
import { endAssistance } from "@lib/assist"
import { retrieveCustomer } from "@lib/data"

export const metadata = { title: "Login as Customer — Next.js example" }

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [session, customer] = await Promise.all([getAssistedSession(), retrieveCustomer()])
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", margin: 0 }}>
        <AssistBanner session={session} end={endAssistance} />
        <nav style={{ display: "flex", gap: "1rem", padding: "1rem", borderBottom: "1px solid #ddd" }}>
          <Link href="/">Shop</Link>
          <Link href="/cart">Cart</Link>
          <Link href="/account">Account</Link>
          <span data-testid="who" style={{ marginLeft: "auto" }}>
            {customer ? `Signed in as ${customer.first_name ?? customer.email}` : "Not signed in"}
          </span>
        </nav>
        <main style={{ padding: "1rem" }}>{children}</main>
      </body>
    </html>
  )
}
