import fs from "fs"
import path from "path"

/**
 * Keeps a suite's figures (how many cases, faults, lines…) for the record in
 * `.logs/<name>.json`, out of the test output.
 */
export function recordFigures(name: string, figures: unknown): void {
  const dir = path.resolve(__dirname, "..", "..", ".logs")
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(figures, null, 2) + "\n")
}
