import { runSuites } from "../../helpers/suite"
import admin from "./admin.suite"
import dates from "./dates.suite"
import exportSuite from "./export.suite"
import filters from "./filters.suite"
import large from "./large.suite"

/** The log's routes: listing, filters, CSV export, a large log. One app for all. */
runSuites({ admin, export: exportSuite, filters, large, dates }, { timeout: 180_000 })
