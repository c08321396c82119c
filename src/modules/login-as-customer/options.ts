import { z } from "@medusajs/framework/zod"
import {
  ACCESS_MODES,
  CONSENT_MODES,
  DEFAULT_RESTRICTED_ACTIONS,
  RESTRICTABLE_ACTIONS,
  STORE_SELECTIONS,
} from "../../types"
import { parseOrigin } from "../../lib/storefront-origins"

/** Longest a ticket may live: it only has to survive a new tab opening. */
export const MAX_TICKET_TTL_SECONDS = 600
/** Longest an impersonation session may live (24 h). */
export const MAX_SESSION_TTL_SECONDS = 86400

const LOOPBACK = /^(localhost|[^.]+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i

function parseUrl(value: string): URL | null {
  try {
    return new URL(value)
  } catch {
    return null
  }
}

/**
 * Where an admin's ticket is sent: an absolute https URL (plain http only on
 * this machine, for development), with no user name or password in it.
 */
const loginUrl = z
  .string()
  .trim()
  .min(1, "must be a URL")
  .max(2000)
  .refine((value) => {
    const url = parseUrl(value)
    return !!url && (url.protocol === "http:" || url.protocol === "https:") && !!url.host
  }, "must be an absolute http(s) URL")
  .refine((value) => {
    const url = parseUrl(value)
    return !url || url.protocol !== "http:" || LOOPBACK.test(url.hostname)
  }, "must use https (http only for localhost)")
  .refine((value) => {
    const url = parseUrl(value)
    return !url || (!url.username && !url.password)
  }, "must not contain a user name or password")

export const storefrontSchema = z
  .object({
    id: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, "may contain only letters, digits, - and _")
      .optional(),
    name: z.string().trim().min(1).max(200),
    sales_channel_id: z.string().trim().min(1).max(200).nullish(),
    login_url: loginUrl,
  })
  .strict()

const ttl = (max: number) =>
  z
    .number()
    .int("must be a whole number of seconds")
    .positive("must be greater than 0")
    .max(max, `must be at most ${max} seconds`)

/**
 * Every settings field, each optional: the shape of a settings update and of
 * the plugin options (which give the settings' defaults).
 */
export const settingsFieldsSchema = z
  .object({
    enabled: z.boolean(),
    disable_page_cache: z.boolean(),
    store_selection: z.enum(STORE_SELECTIONS),
    ticket_ttl_seconds: ttl(MAX_TICKET_TTL_SECONDS),
    session_ttl_seconds: ttl(MAX_SESSION_TTL_SECONDS),
    storefronts: z
      .array(storefrontSchema)
      .max(50)
      .refine(
        (list) => {
          const ids = list.map((s) => s.id).filter(Boolean)
          return new Set(ids).size === ids.length
        },
        { message: "storefront ids must be unique" }
      ),
    access: z.enum(ACCESS_MODES),
    consent_mode: z.enum(CONSENT_MODES),
    require_reason: z.boolean(),
    notify_customer: z.boolean(),
    restricted_actions: z
      .array(z.enum(RESTRICTABLE_ACTIONS))
      .max(RESTRICTABLE_ACTIONS.length * 2)
      .transform((list) => Array.from(new Set(list))),
    /** Days the log keeps its lines (whole sealed ranges are removed once older); null keeps them forever. */
    log_retention_days: z
      .number()
      .int("must be a whole number of days")
      .positive("must be greater than 0")
      .max(36_500, "must be at most 36500 days")
      .nullable(),
  })
  .partial()
  .strict()

export type SettingsFields = z.infer<typeof settingsFieldsSchema>

/** The plugin options: settings defaults plus the notification choices. */
export const pluginOptionsSchema = settingsFieldsSchema
  .extend({
    notification_template: z.string().trim().min(1).max(200).optional(),
    notification_channel: z.string().trim().min(1).max(50).optional(),
    /**
     * The storefront origins tickets may be sent to (`https://shop.example.com`),
     * fixed at deploy time: a storefront whose `login_url` is elsewhere can't be
     * saved and gets no ticket. Unset: LOGIN_AS_CUSTOMER_STOREFRONT_ORIGINS,
     * else Medusa's `http.storeCors`.
     */
    storefront_origins: z
      .array(
        z
          .string()
          .max(2000)
          .refine((value) => parseOrigin(value) !== null, "must be an origin: https://host[:port], nothing after it (http only for localhost)")
      )
      .max(100)
      .optional(),
    /**
     * Ticket exchanges one client address may attempt per window, not
     * counting the ones that succeed, and failed exchanges the whole store
     * may see per window (`store_max_failures`); `false` turns both off
     * (e.g. when a proxy in front already limits them).
     */
    exchange_rate_limit: z
      .union([
        z.literal(false),
        z
          .object({
            max_attempts: z.number().int().positive().max(100_000),
            window_seconds: z.number().int().positive().max(86_400),
            store_max_failures: z.union([z.literal(false), z.number().int().positive().max(100_000_000)]).optional(),
          })
          .strict(),
      ])
      .optional(),
    /**
     * Whose address the exchange limit counts: `proxy` (default) is Express's
     * `req.ip`, the last `X-Forwarded-For` hop under Medusa's `trust proxy` 1,
     * right when one proxy stands in front; `socket` is the connection's own
     * address, for a server its clients reach directly.
     */
    client_address: z.enum(["proxy", "socket"]).optional(),
    /**
     * The key that signs the log's checkpoints (HMAC-SHA256), at least 32
     * characters; unset: LOGIN_AS_CUSTOMER_LOG_KEY. Without either the
     * checkpoints are chained but unsigned.
     */
    log_key: z.string().min(32, "must be at least 32 characters").max(1000).optional(),
  })
  .strict()

export type PluginOptions = z.infer<typeof pluginOptionsSchema>

/** By default an address may fail 10 ticket exchanges a minute. */
export const DEFAULT_EXCHANGE_RATE_LIMIT = { max_attempts: 10, window_seconds: 60 }

/**
 * The store-wide ceiling when `store_max_failures` is not given: 20 times the
 * per-address limit, at least 200 failed exchanges per window.
 */
export function defaultStoreMaxFailures(maxAttempts: number): number {
  return Math.max(200, 20 * maxAttempts)
}

export const SETTINGS_DEFAULTS = {
  enabled: false,
  disable_page_cache: true,
  store_selection: "auto" as const,
  ticket_ttl_seconds: 60,
  session_ttl_seconds: 3600,
  storefronts: [] as Array<{
    id: string
    name: string
    sales_channel_id: string | null
    login_url: string
  }>,
  access: "all_admins" as const,
  consent_mode: "customer_or_admin" as const,
  require_reason: false,
  notify_customer: false,
  restricted_actions: [...DEFAULT_RESTRICTED_ACTIONS],
  log_retention_days: null as number | null,
}

const MEDUSA_MODULE_KEYS = ["database", "providers"]

/**
 * Parses plugin options and reports the first problem by option name, so a bad
 * option stops the app with a message that says which option to fix.
 */
export function parsePluginOptions(raw: unknown): PluginOptions {
  // Medusa adds keys of its own (the module's database config, providers).
  const input = { ...((raw as Record<string, unknown>) ?? {}) }
  for (const key of MEDUSA_MODULE_KEYS) {
    delete input[key]
  }
  const result = pluginOptionsSchema.safeParse(input)
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const path = issue.path.length ? issue.path.join(".") : "(options)"
      if (issue.code === "unrecognized_keys") {
        return `unknown option(s): ${(issue as { keys: string[] }).keys.join(", ")}`
      }
      return `option "${path}": ${issue.message}`
    })
    throw new Error(
      `medusa-plugin-login-as-customer: invalid plugin options: ${lines.join("; ")}`
    )
  }
  return result.data
}
