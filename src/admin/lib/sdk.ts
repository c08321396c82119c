import Medusa from "@medusajs/js-sdk"

/** The admin's js-sdk client: the admin's own session cookie authenticates it. */
export const sdk = new Medusa({
  baseUrl: __BACKEND_URL__ ?? "/",
  auth: { type: "session" },
})
