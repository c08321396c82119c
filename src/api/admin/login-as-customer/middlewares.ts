import type { MiddlewareRoute } from "@medusajs/framework/http"
import { LOGIN_POLICY, MANAGE_POLICY, VIEW_LOG_POLICY } from "../../../lib/admin-permissions"
import { policyCheckpoint, requirePermission } from "../../utils/require-permission"
import { validateBody, validateQuery } from "../../utils/validation"
import {
  AdminEndSession,
  AdminExportLog,
  AdminLogStats,
  AdminListLog,
  AdminListSessions,
  AdminUpdateGrant,
  AdminUpdateSettings,
} from "./validators"
import { AdminErasableLines, AdminEraseCustomerFromLog } from "./log/erase/validators"
import { AdminVerifyLog, refuseVerifyQuery } from "./log/verify/validators"

// Each route checks its permission first (so a refusal carries the code
// `permission_denied`), then declares the RBAC policy Medusa checks when its
// RBAC flag is on.
export const adminLoginAsCustomerMiddlewares: MiddlewareRoute[] = [
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/settings",
    middlewares: [requirePermission("can_manage")],
  },
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/settings",
    policies: [MANAGE_POLICY],
    middlewares: [validateBody(AdminUpdateSettings)],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/log",
    middlewares: [requirePermission("can_view_log")],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/log",
    policies: [VIEW_LOG_POLICY],
    middlewares: [validateQuery(AdminListLog)],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/log/export",
    middlewares: [requirePermission("can_view_log")],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/log/export",
    policies: [VIEW_LOG_POLICY],
    middlewares: [validateQuery(AdminExportLog)],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/log/stats",
    middlewares: [requirePermission("can_view_log")],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/log/stats",
    policies: [VIEW_LOG_POLICY],
    middlewares: [validateQuery(AdminLogStats)],
  },
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/log/verify",
    middlewares: [requirePermission("can_view_log")],
  },
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/log/verify",
    policies: [VIEW_LOG_POLICY],
    middlewares: [policyCheckpoint, refuseVerifyQuery, validateBody(AdminVerifyLog)],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/log/health",
    middlewares: [requirePermission("can_view_log", "can_manage")],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/log/erase",
    middlewares: [requirePermission("can_view_log", "can_manage")],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/log/erase",
    middlewares: [validateQuery(AdminErasableLines)],
  },
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/log/erase",
    middlewares: [requirePermission("can_manage")],
  },
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/log/erase",
    policies: [MANAGE_POLICY],
    middlewares: [validateBody(AdminEraseCustomerFromLog)],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/sessions",
    middlewares: [requirePermission("can_login", "can_view_log")],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/sessions",
    middlewares: [validateQuery(AdminListSessions)],
  },
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/sessions/:id/end",
    middlewares: [requirePermission("can_login")],
  },
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/sessions/:id/end",
    policies: [LOGIN_POLICY],
    middlewares: [policyCheckpoint, validateBody(AdminEndSession)],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/grants",
    middlewares: [requirePermission("can_manage")],
  },
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/grants/:user_id",
    middlewares: [requirePermission("can_manage")],
  },
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/grants/:user_id",
    policies: [MANAGE_POLICY],
    middlewares: [validateBody(AdminUpdateGrant)],
  },
]
