import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

type RunnerOptions = Parameters<typeof medusaIntegrationTestRunner>[0]

/** What a suite gets from the runner: `api`, `getContainer`, `dbConnection`, `dbUtils`, `utils`. */
export type SuiteContext = Parameters<RunnerOptions["testSuite"]>[0]

/** A file of HTTP tests (`*.suite.ts`): its tests, written against the app a group spec boots. */
export type Suite = (context: SuiteContext) => void

/**
 * Boots one Medusa app for several suites and runs each in a `describe` named
 * after it, so `-t "<suite> <test>"` still picks one test. The runner restores
 * the database from its template before every test, so suites share the app,
 * never data. Suites that need other plugin options or env at boot (read when
 * the app's config loads) belong to a group of their own.
 */
export function runSuites(
  suites: Record<string, Suite>,
  { timeout = 120_000, ...options }: Partial<Omit<RunnerOptions, "testSuite">> & { timeout?: number } = {}
) {
  jest.setTimeout(timeout)
  medusaIntegrationTestRunner({
    inApp: true,
    ...options,
    testSuite: (context) => {
      for (const [name, suite] of Object.entries(suites)) {
        describe(name, () => suite(context))
      }
    },
  })
}
