import { notFound } from "next/navigation"
import { retrieveProduct } from "@lib/data"
import AddToCart from "./add-to-cart"

export default async function ProductPage({ params }: { params: Promise<{ handle: string }> }) {
  const product = await retrieveProduct((await params).handle)
  if (!product) notFound()
  const variant = product.variants?.[0]
  const price = variant?.calculated_price
  return (
    <>
      <h1>{product.title}</h1>
      <p>{product.description}</p>
      {price?.calculated_amount != null ? (
        <p>
          {price.calculated_amount} {price.currency_code?.toUpperCase()}
        </p>
      ) : null}
      {variant ? <AddToCart variantId={variant.id} /> : null}
    </>
  )
}
