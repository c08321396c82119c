import type { MedusaResponse } from "@medusajs/framework/http"

/** A signal that aborts when the response's connection closes before the answer was written (the client gave up). */
export function abortedWithClient(res: MedusaResponse): AbortSignal {
  const controller = new AbortController()
  res.on("close", () => {
    if (!res.writableFinished) controller.abort()
  })
  return controller.signal
}
