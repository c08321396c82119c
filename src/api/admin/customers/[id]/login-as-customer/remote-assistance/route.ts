import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { updateRemoteAssistanceWorkflow } from "../../../../../../workflows/remote-assistance/workflows/update-remote-assistance"
import { formatRemoteAssistance } from "../../../../../utils/format"
import type { UpdateRemoteAssistanceType } from "../../../../../utils/schemas"

/** An admin sets a customer's consent (in `customer_only` mode, only withdraws it). */
export const POST = async (
  req: AuthenticatedMedusaRequest<UpdateRemoteAssistanceType>,
  res: MedusaResponse
) => {
  const { result } = await updateRemoteAssistanceWorkflow(req.scope).run({
    input: {
      allowed: req.validatedBody.allowed,
      expires_at: req.validatedBody.expires_at ?? null,
      customer_id: req.params.id,
      actor_type: "user",
      actor_id: req.auth_context.actor_id,
    },
  })
  res.json({ remote_assistance: formatRemoteAssistance(result) })
}
