import { runSuites } from "../../helpers/suite"
import admin from "./admin.suite"
import cells from "./cells.suite"
import dates from "./dates.suite"
import exportSuite from "./export.suite"
import exportCopy from "./export-copy.suite"
import filters from "./filters.suite"
import large from "./large.suite"
import narrowed from "./narrowed.suite"
import queue from "./queue.suite"

/** The log's routes: listing, filters, CSV export, cells of tens of megabytes, a large log, texts with other filters, the searches' queue. One app for all. */
runSuites({ admin, cells, export: exportSuite, "export copy": exportCopy, filters, large, narrowed, dates, queue }, { timeout: 180_000 })
