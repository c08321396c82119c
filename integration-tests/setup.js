// Each suite boots its own app; MikroORM's metadata must not leak between them.
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// The storefront origins the tests' storefronts use. With neither the plugin
// option storefront_origins nor LOGIN_AS_CUSTOMER_STOREFRONT_ORIGINS set, the
// plugin sends tickets only to Medusa's storeCors origins.
process.env.STORE_CORS ??= "http://localhost:8000,https://shop.example.com,https://b2b.example.com"
