import { FeatureFlag, registerFeatureFlag } from "@medusajs/framework/utils"
import RbacFeatureFlag from "@medusajs/medusa/feature-flags/rbac"
import { runSuites } from "../../helpers/suite"
import rbacRevocation from "./rbac-revocation.suite"
import rbacRoutes from "./rbac-routes.suite"

// Medusa's RBAC feature flag ON: the roles in an admin's token decide, both for
// Medusa's own routes and for the plugin's (src/policies + src/lib/permissions).
//
// The runner's `env` option alone does NOT give a working RBAC app. The runner
// evaluates medusa-config.js (configLoaderOverride) before it applies `env`,
// and even with MEDUSA_FF_RBAC already set, the `rbac` flag is not registered
// yet at that point: core flags are discovered from @medusajs/medusa's
// feature-flags dir only later, by the app loaders. defineConfig adds the RBAC
// module with `disable: !FeatureFlag.isFeatureEnabled("rbac")`, so the module
// stays off while the flag ends up on: tokens carry no roles, the user <>
// rbac_role link is missing and every policy-guarded route answers 403.
// (Medusa's own initializeContainer has the same order: featureFlagsLoader(root)
// → configLoader → featureFlagsLoader(@medusajs/medusa).) So the core flag is
// registered from the environment here, before the runner loads the config.
process.env.MEDUSA_FF_RBAC = "true"
registerFeatureFlag({ flag: RbacFeatureFlag, projectConfigFlags: {}, router: FeatureFlag })

/** The plugin's permissions under Medusa's RBAC: routes, and revocation. One app for both. */
runSuites({ "rbac-routes": rbacRoutes, "rbac-revocation": rbacRevocation }, { env: { MEDUSA_FF_RBAC: "true" } })
