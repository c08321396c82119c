import { spawn } from "child_process"
import path from "path"
import type { SuiteContext } from "../../helpers/suite"
import { integrityFixtures, LOG } from "./integrity-helpers"

const ROOT = path.resolve(__dirname, "../../..")

/** Runs `node scripts/verify-log.js ...args` against the suite's database, as an operator would. */
function verifyLogCli(clientUrl: string, args: string[]) {
  return run(clientUrl, process.execPath, [path.join(ROOT, "scripts/verify-log.js"), ...args])
}

/** Runs `command ...args` in the project with the suite's database as the app's. */
function run(clientUrl: string, command: string, args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: clientUrl, LOG_LEVEL: "error", MEDUSA_DISABLE_TELEMETRY: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })
}

/** The JSON answer the script prints (its own lines `{` … `}`, whatever Medusa logs around them). */
function answer(stdout: string) {
  const lines = stdout.split("\n")
  const start = lines.indexOf("{")
  const end = lines.indexOf("}", start)
  if (start < 0 || end < 0) {
    throw new Error(`no JSON answer in the output:\n${stdout}`)
  }
  return JSON.parse(lines.slice(start, end + 1).join("\n"))
}

/**
 * `node scripts/verify-log.js [--full]`, the command-line verification
 * README.md and SECURITY.md document: `--full` recomputes every line, no
 * option a quick verification; an option it doesn't know is refused with a
 * message and exit code 2, before anything runs.
 */
export default function verifyCliSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const clientUrl = () => (context as any).dbConfig.clientUrl as string

  it("--full runs a full verification (every line recomputed), no option a quick one, and a mismatch exits 1", async () => {
    const lines = await fx.chain()

    const full = await verifyLogCli(clientUrl(), ["--full"])
    expect(full.code).toBe(0)
    const fullAnswer = answer(full.stdout)
    expect(fullAnswer).toMatchObject({ verified: true, mode: "full", lines: 9, recomputed_lines: 9, first_mismatch: null })

    const quick = await verifyLogCli(clientUrl(), [])
    expect(quick.code).toBe(0)
    expect(answer(quick.stdout)).toMatchObject({ verified: true, mode: "quick", lines: 9, recomputed_lines: 0, first_mismatch: null })

    await fx.tamper(`update ${LOG} set "action" = 'nothing_happened' where "id" = ?`, [lines[4]])
    const tampered = await verifyLogCli(clientUrl(), ["--full"])
    expect(tampered.code).toBe(1)
    expect(answer(tampered.stdout)).toMatchObject({ verified: false, mode: "full", first_mismatch: { kind: "line_altered", line_id: lines[4] } })
  })

  it("refuses an option it doesn't know with a clear message and exit code 2, verifying nothing", async () => {
    for (const args of [["--ful"], ["full"], ["--full=yes"], ["--full", "--quick"]]) {
      const refused = await verifyLogCli(clientUrl(), args)
      expect({ args, code: refused.code, stdout: refused.stdout }).toEqual({ args, code: 2, stdout: "" })
      expect(refused.stderr).toMatch(/^verify-log: unknown (option|argument) /)
      expect(refused.stderr).toContain("Usage: node scripts/verify-log.js [--full]")
      // A message, not a stack trace from an argument parser.
      expect(refused.stderr).not.toMatch(/\n\s+at |yargs/)
    }

    // The script `medusa exec` runs (as an app that installed the plugin runs
    // it) takes `full` or nothing, and refuses anything else the same way.
    const exec = await run(clientUrl(), "npx", ["medusa", "exec", "./src/scripts/verify-login-as-customer-log.ts", "ful"])
    expect(exec.code).toBe(2)
    expect(exec.stdout).not.toContain('"mode"')
    expect(exec.stderr).toContain('unknown argument "ful"; nothing was verified')
  })

  it("--anchor <seq>:<digest> checks a checkpoint kept outside the database: exit 0 when the chain holds it, 1 when not, 2 for one that isn't one", async () => {
    await fx.chain()
    const { rows: [kept] } = await fx.knex().raw(`select "seq"::int as "seq", "digest" from login_as_customer_log_checkpoint where "seq" = 2`)

    const held = await verifyLogCli(clientUrl(), ["--anchor", `${kept.seq}:${kept.digest}`])
    expect(held.code).toBe(0)
    expect(answer(held.stdout)).toMatchObject({ verified: true, mode: "quick", anchor: { seq: 2, digest: kept.digest, status: "matched" } })

    const other = await verifyLogCli(clientUrl(), ["--full", `--anchor=2:${"0".repeat(64)}`])
    expect(other.code).toBe(1)
    expect(answer(other.stdout)).toMatchObject({ verified: false, mode: "full", first_mismatch: { kind: "anchor_mismatch", checkpoint: 2 } })

    // No value: refused by the command itself; a value that isn't a kept checkpoint: by the script medusa exec runs.
    for (const args of [["--anchor"], ["--anchor", "--full"]]) {
      const refused = await verifyLogCli(clientUrl(), args)
      expect({ args, code: refused.code, stdout: refused.stdout }).toEqual({ args, code: 2, stdout: "" })
      expect(refused.stderr).toContain("verify-log: --anchor needs a value, <seq>:<digest>; nothing was verified.")
    }
    const malformed = await verifyLogCli(clientUrl(), ["--anchor", "2:xyz"])
    expect(malformed.code).toBe(2)
    expect(malformed.stdout).not.toContain('"mode"')
    expect(malformed.stderr).toContain('"anchor=2:xyz" is not anchor=<seq>:<digest>')
  })
}
