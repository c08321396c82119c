// The token and the cart id in cookies, as Medusa's Next.js starters keep them.
import { cookies } from "next/headers"

export async function getAuthHeaders(): Promise<{ authorization: string } | Record<string, never>> {
  const token = (await cookies()).get("_medusa_jwt")?.value
  return token ? { authorization: `Bearer ${token}` } : {}
}

export async function setAuthToken(token: string) {
  ;(await cookies()).set("_medusa_jwt", token, {
    maxAge: 60 * 60 * 24 * 7,
    httpOnly: true,
    sameSite: "strict",
    secure: process.env.NODE_ENV === "production",
  })
}

export async function removeAuthToken() {
  ;(await cookies()).delete("_medusa_jwt")
}

export async function getCartId() {
  return (await cookies()).get("_medusa_cart_id")?.value
}

export async function setCartId(id: string) {
  ;(await cookies()).set("_medusa_cart_id", id, {
    maxAge: 60 * 60 * 24 * 7,
    httpOnly: true,
    sameSite: "strict",
    secure: process.env.NODE_ENV === "production",
  })
}

export async function removeCartId() {
  ;(await cookies()).delete("_medusa_cart_id")
}
