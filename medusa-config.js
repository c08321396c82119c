// The host app used by the demo, the integration tests and the benchmarks.
// It loads ./src as project code, so the plugin runs here exactly as it does
// inside a store that installs it.
const { loadEnv, defineConfig } = require("@medusajs/framework/utils")

loadEnv(process.env.NODE_ENV || "development", process.cwd())

const DEV_SECRET = "supersecret-dev-only"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl:
      process.env.DATABASE_URL ||
      "postgres://postgres:postgres@localhost:5432/medusa-login-as-customer",
    redisUrl: process.env.REDIS_URL,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors:
        process.env.AUTH_CORS || "http://localhost:8000,http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || DEV_SECRET,
      cookieSecret: process.env.COOKIE_SECRET || DEV_SECRET,
    },
  },
  admin: {
    disable: process.env.MEDUSA_ADMIN_DISABLED === "true",
    backendUrl: process.env.MEDUSA_BACKEND_URL || "http://localhost:9000",
  },
  modules: [
    {
      // Customer notifications ("someone from the store logged in to your
      // account") go to the "email" channel; locally they are only logged.
      resolve: "@medusajs/medusa/notification",
      options: {
        providers: [
          {
            resolve: "@medusajs/medusa/notification-local",
            id: "local",
            options: { name: "Local notifications", channels: ["email", "feed"] },
          },
        ],
      },
    },
    {
      resolve: "./src/modules/login-as-customer",
      options: process.env.LOGIN_AS_CUSTOMER_OPTIONS
        ? JSON.parse(process.env.LOGIN_AS_CUSTOMER_OPTIONS)
        : {},
    },
  ],
})
