import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"

/**
 * A signal that aborts when the client's connection closes before the answer
 * was written (the client gave up). Watched on the connection itself too: a
 * response queued behind another on the same connection (HTTP pipelining)
 * emits no "close" when the connection goes.
 */
export function abortedWithClient(req: MedusaRequest, res: MedusaResponse): AbortSignal {
  const controller = new AbortController()
  const socket = req.socket
  const gone = () => {
    socket.off("close", gone)
    if (!res.writableFinished) controller.abort()
  }
  res.once("close", gone)
  socket.once("close", gone)
  // A connection kept alive serves many requests: each takes its listener off once answered.
  res.once("finish", () => socket.off("close", gone))
  return controller.signal
}
