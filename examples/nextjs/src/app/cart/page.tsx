import { retrieveCart } from "@lib/data"

export default async function CartPage() {
  const cart = await retrieveCart()
  if (!cart?.items?.length) return <p>Your cart is empty.</p>
  return (
    <>
      <h1>Cart</h1>
      <ul data-testid="cart-items">
        {cart.items.map((item) => (
          <li key={item.id}>
            {item.product_title ?? item.title} × {item.quantity}
          </li>
        ))}
      </ul>
    </>
  )
}
