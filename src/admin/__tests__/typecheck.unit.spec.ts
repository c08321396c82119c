import { spawnSync } from "child_process"
import path from "path"

/**
 * The admin's code type-checks under its own tsconfig (bundler resolution,
 * DOM). Neither `medusa plugin:build` (its tsconfig leaves src/admin out) nor
 * the admin's vite build checks types, so this is where an error shows.
 */
describe("the admin's types", () => {
  it("src/admin has no TypeScript error", () => {
    const tsc = require.resolve("typescript/bin/tsc")
    const result = spawnSync(process.execPath, [tsc, "--noEmit", "-p", path.resolve(__dirname, "../tsconfig.json")], {
      encoding: "utf8",
    })
    expect(result.stdout + result.stderr).toBe("")
    expect(result.status).toBe(0)
  }, 180_000)
})
