import { runSuites } from "../../helpers/suite"
import admin from "./admin.suite"
import storefrontOrigins from "./storefront-origins.suite"

/** The settings routes, and the storefront origins tickets may go to. One app for both. */
runSuites({ admin, "storefront-origins": storefrontOrigins })
