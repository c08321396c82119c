// The host app used by the demo, the integration tests and the benchmarks.
// It loads ./src as project code, so the plugin runs here exactly as it does
// inside a store that installs it.
const { loadEnv, defineConfig } = require("@medusajs/framework/utils")

loadEnv(process.env.NODE_ENV || "development", process.cwd())

const DEV_SECRET = "supersecret-dev-only"
const REDIS_URL = process.env.REDIS_URL

/**
 * Several server instances and a worker share state through Redis: events
 * (each subscriber runs once, on a worker), workflows, locks and the cache.
 * Without REDIS_URL everything stays in-process, as in development.
 */
const redisModules = REDIS_URL
  ? [
      { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl: REDIS_URL } },
      { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl: REDIS_URL } } },
      { resolve: "@medusajs/medusa/cache-redis", options: { redisUrl: REDIS_URL } },
      {
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [
            {
              resolve: "@medusajs/medusa/locking-redis",
              id: "locking-redis",
              is_default: true,
              options: { redisUrl: REDIS_URL },
            },
          ],
        },
      },
    ]
  : []

module.exports = defineConfig({
  projectConfig: {
    databaseUrl:
      process.env.DATABASE_URL ||
      "postgres://postgres:postgres@localhost:5432/medusa-login-as-customer",
    redisUrl: REDIS_URL,
    // "server" answers HTTP only, "worker" runs subscribers and jobs only.
    workerMode: process.env.MEDUSA_WORKER_MODE || "shared",
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
    ...redisModules,
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
