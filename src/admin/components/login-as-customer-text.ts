import type { TFunction } from "i18next"
import type { AdminSession, CustomerLoginAsCustomer } from "../lib/types"

/** The acting admin's name, else their email, else their id. */
export const adminName = (session: AdminSession) =>
  [session.admin?.first_name, session.admin?.last_name].filter(Boolean).join(" ") ||
  session.admin?.email ||
  session.user_id

export { formatDate } from "../lib/locale"

/**
 * Whether the customer's Login as Customer bar and card show at all: to
 * admins who may log in, and to those who may view the log (they see the
 * status, who is helping and the log link, with the button off). An admin
 * with neither sees nothing, as on Medusa's pages they can't use.
 */
export const cardShown = (permissions: Pick<CustomerLoginAsCustomer["permissions"], "can_login" | "can_view_log">) =>
  permissions.can_login === true || permissions.can_view_log === true

/**
 * Why the button can't be used. An admin without the permission is told so
 * first (whatever else would also stop them); consent withdrawn by an admin
 * is said to be so, not blamed on the customer.
 */
export function denialText(
  t: TFunction,
  data: Pick<CustomerLoginAsCustomer, "reason" | "remote_assistance"> & {
    permissions?: Pick<CustomerLoginAsCustomer["permissions"], "can_login">
  }
): string {
  if (data.permissions && !data.permissions.can_login) {
    return t("loginAsCustomer.reasons.permission_denied")
  }
  if (
    data.reason === "assistance_not_allowed" &&
    !data.remote_assistance.allowed &&
    data.remote_assistance.updated_by_type === "user"
  ) {
    return t("loginAsCustomer.reasons.assistance_withdrawn_by_admin")
  }
  return t(`loginAsCustomer.reasons.${data.reason}`, { defaultValue: t("loginAsCustomer.reasons.unknown") })
}

/**
 * How a session ended, for a sentence ("This session had already ended (…)");
 * null for a reason with no words (none recorded, or one this version doesn't
 * know): the sentence is then said without it.
 */
export const endReasonText = (t: TFunction, reason: string | null | undefined): string | null => {
  if (!reason) return null
  const text = t(`loginAsCustomer.endReasons.${reason}`, { defaultValue: "" })
  return text || null
}
