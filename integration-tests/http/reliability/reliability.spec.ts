import { runSuites } from "../../helpers/suite"
import appendOnly from "./append-only.suite"
import exchangeWorkflow from "./exchange-workflow.suite"
import logWrites from "./log-writes.suite"
import pitfalls from "./pitfalls.suite"
import readOnly from "./read-only.suite"
import redirects from "./redirects.suite"
import requestTargets from "./request-targets.suite"
import startFailures from "./start-failures.suite"
import tickets from "./tickets.suite"
import tokens from "./tokens.suite"

/**
 * Reliability with the plugin's default options: the log's writes and its
 * append-only table, failures while starting, tickets and tokens, the exchange
 * workflow run directly, redirects,
 * read-only sessions, request targets and known pitfalls. One app for all.
 * (unlimited-exchanges.spec.ts and tickets-direct.spec.ts boot with other options.)
 */
runSuites(
  {
    "append-only": appendOnly,
    "log-writes": logWrites,
    "start-failures": startFailures,
    tickets,
    "exchange-workflow": exchangeWorkflow,
    tokens,
    redirects,
    "read-only": readOnly,
    "request-targets": requestTargets,
    pitfalls,
  },
  { timeout: 900_000 }
)
