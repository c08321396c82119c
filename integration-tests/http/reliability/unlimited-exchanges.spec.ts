import { runSuites } from "../../helpers/suite"
import fuzz from "./fuzz.suite"
import races from "./races.suite"

// Both suites send thousands of exchanges from 127.0.0.1 (losing races, made-up
// tickets): the per-address limit (tested in tickets.suite.ts) would answer 429
// to most of them. Read when the app's config loads; jest gives each test file
// its own process.env.
process.env.LOGIN_AS_CUSTOMER_OPTIONS = JSON.stringify({
  exchange_rate_limit: { max_attempts: 100_000, window_seconds: 60 },
})

/** Races (concurrent exchanges and ends) and the fuzzing of every route. One app for both. */
runSuites({ races, fuzz }, { timeout: 600_000 })
