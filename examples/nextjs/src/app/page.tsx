import Link from "next/link"
import { listProducts } from "@lib/data"

export default async function Home() {
  const products = await listProducts()
  return (
    <>
      <h1>Shop</h1>
      <ul>
        {products.map((product) => (
          <li key={product.id}>
            <Link href={`/products/${product.handle}`}>{product.title}</Link>
          </li>
        ))}
      </ul>
    </>
  )
}
