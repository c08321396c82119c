import { fetchRemoteAssistance, RemoteAssistanceSection } from "medusa-plugin-login-as-customer-storefront/next"
import { updateConsent } from "@lib/assist"
import { listOrders, retrieveCustomer, signout } from "@lib/data"
import LoginForm from "./login-form"

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ history?: string }> }) {
  const customer = await retrieveCustomer()
  if (!customer) return <LoginForm />
  const [orders, assistance] = await Promise.all([
    listOrders(),
    fetchRemoteAssistance({ limit: 10, offset: Number((await searchParams).history ?? 0) }),
  ])
  return (
    <>
      <h1>Hello {customer.first_name}</h1>
      <h2>Orders</h2>
      {orders.length ? (
        <ul data-testid="orders">
          {orders.map((order) => (
            <li key={order.id}>Order #{order.display_id}</li>
          ))}
        </ul>
      ) : (
        <p>No orders yet.</p>
      )}
      <h2>Remote shopping assistance</h2>
      {assistance ? <RemoteAssistanceSection data={assistance} update={updateConsent} /> : null}
      <form action={signout}>
        <button type="submit">Sign out</button>
      </form>
    </>
  )
}
