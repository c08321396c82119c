import Medusa from "@medusajs/js-sdk"
import { noStoreWhenAssisted } from "medusa-plugin-login-as-customer-storefront/next/fetch"

export const sdk = new Medusa({
  baseUrl: process.env.MEDUSA_BACKEND_URL || process.env.NEXT_PUBLIC_MEDUSA_BACKEND_URL || "http://localhost:9000",
  publishableKey: process.env.NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY,
})

// Login as Customer: requests of an assisted session never come from Next's data cache.
noStoreWhenAssisted(sdk)
