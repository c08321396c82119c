import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { endCartCompletion, startCartCompletion } from "../../../lib/cart-completion"
import { MEDUSA_ID } from "../../utils/schemas"
import type { GuardedRequest } from "../../impersonation/types"

const loggerOf = (req: MedusaRequest) => req.scope.resolve(ContainerRegistrationKeys.LOGGER)

/**
 * `POST /store/carts/:id/complete` outside an impersonation session (the
 * customer's own, a guest's): notes the completion while it runs, and ends
 * the note with the order it was answered with, just before the answer
 * goes out. A session's completion taken while it runs, and answered with
 * its order, didn't create that order (completionBehindAnother): Medusa
 * holds the cart's lock through a completion, and answers one waiting on
 * it with the order the first created. A session's own completion is
 * noted by the store guard. A note that can't be written is said in the
 * server's log; the completion goes on.
 */
export async function noteCartCompletion(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const cartId = (req.params as Record<string, string> | undefined)?.[0]
  if ((req as GuardedRequest).login_as_customer || typeof cartId !== "string" || !MEDUSA_ID.test(cartId)) {
    return next()
  }
  let noteId: string
  try {
    noteId = await startCartCompletion(req.scope, cartId, null)
  } catch (error) {
    loggerOf(req).error(`Login as Customer: could not note a completion of cart ${cartId}: ${(error as Error)?.message ?? error}`)
    return next()
  }
  let orderId: string | null = null
  const json = res.json.bind(res)
  res.json = ((body: unknown) => {
    const answer = body as { type?: unknown; order?: { id?: unknown } } | null
    if (res.statusCode < 300 && answer?.type === "order" && typeof answer.order?.id === "string") orderId = answer.order.id
    return json(body)
  }) as typeof res.json
  const end = res.end.bind(res) as (...args: unknown[]) => MedusaResponse
  let ended = false
  res.end = ((...args: unknown[]) => {
    if (ended) return end(...args)
    ended = true
    endCartCompletion(req.scope, noteId, orderId)
      .catch((error: unknown) =>
        loggerOf(req).error(`Login as Customer: could not end the note of a completion of cart ${cartId}: ${(error as Error)?.message ?? error}`)
      )
      .finally(() => end(...args))
    return res
  }) as typeof res.end
  next()
}
