import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { updateAdminGrantWorkflow } from "../../../../../workflows/grants/workflows/update-admin-grant"
import type { AdminUpdateGrantType } from "../../validators"

/** Sets one admin's grant: `{ can_login, can_view_log }` (logged as `grant_updated`). */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminUpdateGrantType>,
  res: MedusaResponse
) => {
  const { result } = await updateAdminGrantWorkflow(req.scope).run({
    input: {
      ...req.validatedBody,
      user_id: req.params.user_id,
      actor_id: req.auth_context.actor_id,
    },
  })
  res.json({
    grant: {
      user_id: result.user_id,
      can_login: result.can_login,
      can_view_log: result.can_view_log,
      updated_at: result.updated_at,
    },
  })
}
