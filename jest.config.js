const { loadEnv } = require("@medusajs/framework/utils")

loadEnv("test", process.cwd())

const transform = {
  "^.+\\.[jt]sx?$": [
    "@swc/jest",
    {
      jsc: {
        parser: { syntax: "typescript", decorators: true, tsx: true },
        transform: { decoratorMetadata: true, legacyDecorator: true },
        target: "es2021",
      },
    },
  ],
}

const common = {
  transform,
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/", "<rootDir>/.demo/", "<rootDir>/.pgdata/"],
  setupFiles: ["<rootDir>/integration-tests/setup.js"],
}

/**
 * Test projects: `unit` (pure), `modules` (module service on real Postgres),
 * `http` (whole app), `e2e` (the admin and storefront in Chromium).
 */
module.exports = {
  globalSetup: "<rootDir>/integration-tests/global-setup.js",
  globalTeardown: "<rootDir>/integration-tests/global-teardown.js",
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["<rootDir>/src/**/__tests__/**/*.unit.spec.[jt]s", "<rootDir>/scripts/__tests__/*.unit.spec.[jt]s"],
    },
    {
      ...common,
      displayName: "modules",
      testMatch: ["<rootDir>/src/modules/*/__tests__/**/*.spec.[jt]s"],
      testPathIgnorePatterns: ["\\.unit\\.spec\\.[jt]s$"],
    },
    {
      ...common,
      displayName: "http",
      testMatch: ["<rootDir>/integration-tests/http/**/*.spec.[jt]s"],
    },
    // The packed tarballs: their contents and types, a storefront install,
    // and fresh Medusa apps that install the plugin (`npm test -- package`).
    {
      ...common,
      displayName: "package",
      testMatch: ["<rootDir>/integration-tests/package/**/*.spec.[jt]s"],
      setupFiles: [],
    },
    // Real processes (Postgres restarts, SIGKILL, several servers on Redis),
    // only when run through `npm test -- processes`; they bring their own Postgres.
    ...(process.env.LAC_PROCESSES
      ? [{ ...common, displayName: "processes", testMatch: ["<rootDir>/integration-tests/processes/**/*.spec.[jt]s"] }]
      : []),
    // Browser tests, only when run through `node e2e/run.js`, which starts the stack.
    ...(process.env.E2E
      ? [{ ...common, displayName: "e2e", testMatch: ["<rootDir>/e2e/**/*.spec.[jt]s"], setupFiles: [] }]
      : []),
  ],
}
