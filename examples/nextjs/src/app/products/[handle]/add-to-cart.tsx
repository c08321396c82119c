"use client"

import { useState } from "react"
import { addToCart } from "@lib/data"

export default function AddToCart({ variantId }: { variantId: string }) {
  const [pending, setPending] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null)
  return (
    <div>
      <button
        type="button"
        disabled={pending}
        onClick={async () => {
          setPending(true)
          setResult(await addToCart(variantId))
          setPending(false)
        }}
      >
        Add to cart
      </button>
      {result ? <p role={result.ok ? "status" : "alert"}>{result.message}</p> : null}
    </div>
  )
}
