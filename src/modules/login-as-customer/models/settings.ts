import { model } from "@medusajs/framework/utils"
import { ACCESS_MODES, CONSENT_MODES, STORE_SELECTIONS } from "../../../types"

/**
 * The feature's settings. There is one row (id `lacset_default`); until an admin
 * saves the settings page the plugin options' defaults apply.
 */
const Settings = model.define("login_as_customer_settings", {
  id: model.id({ prefix: "lacset" }).primaryKey(),
  enabled: model.boolean().default(false),
  disable_page_cache: model.boolean().default(true),
  store_selection: model.enum([...STORE_SELECTIONS]).default("auto"),
  ticket_ttl_seconds: model.number().default(60),
  session_ttl_seconds: model.number().default(3600),
  storefronts: model.json(),
  access: model.enum([...ACCESS_MODES]).default("all_admins"),
  consent_mode: model.enum([...CONSENT_MODES]).default("customer_or_admin"),
  require_reason: model.boolean().default(false),
  notify_customer: model.boolean().default(false),
  restricted_actions: model.json(),
  /** Days the log keeps its lines; null keeps them forever. */
  log_retention_days: model.number().nullable(),
})

export default Settings
