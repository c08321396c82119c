import { z } from "@medusajs/framework/zod"
import { settingsFieldsSchema } from "../../../modules/login-as-customer/options"
import { LOG_ACTIONS } from "../../../types"
import { isoDate } from "../../utils/schemas"

/** A settings update: any subset of the settings fields, nothing else. */
export const AdminUpdateSettings = settingsFieldsSchema
export type AdminUpdateSettingsType = z.infer<typeof AdminUpdateSettings>


const id = z.string().trim().min(1).max(200)

/** The log's longest search text, in Unicode code points. */
export const LOG_MAX_SEARCH = 320

/** How many admins, customers or sessions one log filter may name. */
export const LOG_FILTER_MAX_IDS = 100

/**
 * One value or several, in any form a client sends them: repeated
 * (`a=x&a=y`), bracketed (`a[0]=x&a[1]=y`, also past qs's 20 indexes, where
 * it becomes an object) or comma-separated (`a=x,y`). Duplicates count once.
 */
const listOf = <T extends z.ZodTypeAny>(item: T, max: number) =>
  z.preprocess((value) => {
    const parts =
      typeof value === "string"
        ? [value]
        : Array.isArray(value)
          ? value
          : value && typeof value === "object" && Object.keys(value).every((key) => /^\d+$/.test(key))
            ? Object.values(value)
            : null
    if (!parts || !parts.every((part) => typeof part === "string")) {
      return value
    }
    return [...new Set((parts as string[]).flatMap((part) => part.split(",")).map((part) => part.trim()).filter(Boolean))]
  }, z.array(item).min(1, "must name at least one value").max(max, `must name at most ${max} values`))

/** Filters shared by the log list and its CSV export (one validator for both routes). */
export const logFilters = {
  action: listOf(z.enum(LOG_ACTIONS), LOG_ACTIONS.length).optional(),
  user_id: listOf(id, LOG_FILTER_MAX_IDS).optional(),
  customer_id: listOf(id, LOG_FILTER_MAX_IDS).optional(),
  session_id: listOf(id, LOG_FILTER_MAX_IDS).optional(),
  created_at: z
    .object({ gte: isoDate.optional(), lte: isoDate.optional() })
    .strict()
    .optional(),
  // Long enough for any email address (64 + 1 + 255), so a whole one can be searched for;
  // counted in code points (😀 is one), not in UTF-16 units.
  q: z
    .string()
    .trim()
    .refine((text) => [...text].length <= LOG_MAX_SEARCH, `must be at most ${LOG_MAX_SEARCH} characters`)
    .optional(),
}

const toInt = (value: unknown) =>
  typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value

export const AdminListLog = z
  .object({
    ...logFilters,
    limit: z.preprocess(toInt, z.number().int().min(1).max(200)).default(50),
    offset: z.preprocess(toInt, z.number().int().min(0).max(10_000_000)).default(0),
    order: z.enum(["created_at", "-created_at"]).default("-created_at"),
  })
  .strict()
export type AdminListLogType = z.infer<typeof AdminListLog>

const booleanString = z.preprocess(
  (value) => (value === "true" ? true : value === "false" ? false : value),
  z.boolean()
)

export const AdminListSessions = z
  .object({
    customer_id: id.optional(),
    user_id: id.optional(),
    active: booleanString.optional(),
    limit: z.preprocess(toInt, z.number().int().min(1).max(200)).default(50),
    offset: z.preprocess(toInt, z.number().int().min(0).max(10_000_000)).default(0),
    order: z.enum(["created_at", "-created_at"]).default("-created_at"),
  })
  .strict()
export type AdminListSessionsType = z.infer<typeof AdminListSessions>

export const AdminUpdateGrant = z
  .object({
    can_login: z.boolean().optional(),
    can_view_log: z.boolean().optional(),
  })
  .strict()
  .refine((body) => body.can_login !== undefined || body.can_view_log !== undefined, {
    message: "give can_login and/or can_view_log",
  })
export type AdminUpdateGrantType = z.infer<typeof AdminUpdateGrant>

/** Ending a session takes no fields: one sent (a reason, say) would otherwise be dropped unseen. */
export const AdminEndSession = z.object({}).strict()

export const AdminExportLog = z
  .object({
    ...logFilters,
    order: z.enum(["created_at", "-created_at"]).default("-created_at"),
  })
  .strict()
export type AdminExportLogType = z.infer<typeof AdminExportLog>

export const AdminLogStats = z
  .object({
    days: z.preprocess(toInt, z.number().int().min(1).max(366)).default(30),
  })
  .strict()
export type AdminLogStatsType = z.infer<typeof AdminLogStats>
