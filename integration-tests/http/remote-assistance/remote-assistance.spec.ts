import { runSuites } from "../../helpers/suite"
import admin from "./admin.suite"
import customer from "./customer.suite"
import customerLimits from "./customer-limits.suite"

/** Consent (remote assistance): as the admin and as the customer sees it. One app for both. */
runSuites({ admin, customer, "customer-limits": customerLimits })
