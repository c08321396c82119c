import { runSuites } from "../../helpers/suite"
import adminLogout from "./admin-logout.suite"
import admin from "./admin.suite"
import exchange from "./exchange.suite"
import flow from "./flow.suite"
import guardCredentials from "./guard-credentials.suite"
import guardEnds from "./guard-ends.suite"
import guard from "./guard.suite"
import startContext from "./start-context.suite"
import start from "./start.suite"

// The exchange suite fails exchanges on purpose, many at once, all from
// 127.0.0.1: the per-address limit (tested in reliability/tickets.suite.ts) is
// raised. Read when the app's config loads; jest gives each test file its own
// process.env.
process.env.LOGIN_AS_CUSTOMER_OPTIONS = JSON.stringify({
  exchange_rate_limit: { max_attempts: 1000, window_seconds: 60 },
})

/** Sessions: start, exchange, the store guard, the admin's list and logout, a whole flow. One app for all. */
runSuites(
  {
    start,
    "start-context": startContext,
    exchange,
    flow,
    guard,
    "guard-ends": guardEnds,
    "guard-credentials": guardCredentials,
    admin,
    "admin-logout": adminLogout,
  },
  { timeout: 180_000 }
)
