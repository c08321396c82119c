import { readdirSync, readFileSync } from "fs"
import { join } from "path"
import {
  ACCESS_MODES,
  ASSISTANCE_ACTOR_TYPES,
  CONSENT_MODES,
  END_REASONS,
  SESSION_MODES,
  STORE_SELECTIONS,
} from "../../../types"
import RemoteAssistance from "../models/remote-assistance"
import Session from "../models/session"
import Settings from "../models/settings"

const MIGRATIONS = join(__dirname, "..", "migrations")

/** Each enum column, the model that holds it and the constant it must equal. */
const ENUMS = [
  { table: "login_as_customer_session", column: "mode", model: Session, values: SESSION_MODES },
  { table: "login_as_customer_session", column: "end_reason", model: Session, values: END_REASONS },
  { table: "login_as_customer_settings", column: "store_selection", model: Settings, values: STORE_SELECTIONS },
  { table: "login_as_customer_settings", column: "access", model: Settings, values: ACCESS_MODES },
  { table: "login_as_customer_settings", column: "consent_mode", model: Settings, values: CONSENT_MODES },
  {
    table: "login_as_customer_remote_assistance",
    column: "updated_by_type",
    model: RemoteAssistance,
    values: ASSISTANCE_ACTOR_TYPES,
  },
]

/**
 * The values each column's check constraint allows once every migration has
 * run: the last `check ("column" in (…))` of the migrations' `up()`, in the
 * order Medusa runs them (by file name).
 */
function checkConstraintsAfterMigrations(): Map<string, string[]> {
  const allowed = new Map<string, string[]>()
  const files = readdirSync(MIGRATIONS).filter((f) => /^Migration\d+\.ts$/.test(f)).sort()
  for (const file of files) {
    const source = readFileSync(join(MIGRATIONS, file), "utf8")
    const up = source.slice(source.indexOf("async up("), source.indexOf("async down("))
    for (const match of up.matchAll(/check\s*\(\s*"(\w+)"\s+in\s*\(([^)]*)\)\s*\)/g)) {
      allowed.set(match[1], [...match[2].matchAll(/'([^']*)'/g)].map((value) => value[1]))
    }
  }
  return allowed
}

/** The enum values of each column in the schema snapshot that `plugin:db:generate` diffs against. */
function snapshotEnums(): Map<string, string[]> {
  const snapshot = JSON.parse(
    readFileSync(join(MIGRATIONS, ".snapshot-medusa-login-as-customer.json"), "utf8")
  ) as { tables: Array<{ name: string; columns: Record<string, { enumItems?: string[] }> }> }
  const enums = new Map<string, string[]>()
  for (const table of snapshot.tables) {
    for (const [column, definition] of Object.entries(table.columns)) {
      if (definition.enumItems?.length) {
        enums.set(`${table.name}.${column}`, definition.enumItems)
      }
    }
  }
  return enums
}

describe("enum columns", () => {
  const constraints = checkConstraintsAfterMigrations()
  const snapshot = snapshotEnums()

  it.each(ENUMS)("$column of $table: the model, the migrations and the snapshot allow exactly the constant's values", ({ table, column, model, values }) => {
    const property = model.parse().schema[column] as unknown as {
      parse: (name: string) => { dataType: { name: string; options?: { choices?: string[] } } }
    }
    const dataType = property.parse(column).dataType
    expect(dataType.name).toBe("enum")
    expect(dataType.options?.choices).toEqual([...values])
    expect(constraints.get(column)).toEqual([...values])
    expect(snapshot.get(`${table}.${column}`)).toEqual([...values])
  })

  it("covers every enum column the migrations constrain", () => {
    const mine = new Set(ENUMS.map((e) => e.column))
    // The log's checkpoint kinds are not a column of the public types.
    const others = [...constraints.keys()].filter((column) => !mine.has(column) && column !== "kind")
    expect(others).toEqual([])
  })
})
