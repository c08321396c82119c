import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Socket } from "net"

/** What to do when a connection closes, per connection: one listener each, however many requests it carries. */
const onClose = new WeakMap<Socket, Set<() => void>>()

function whenClosed(socket: Socket, run: () => void): () => void {
  let runs = onClose.get(socket)
  if (!runs) {
    const set = new Set<() => void>()
    onClose.set(socket, set)
    socket.once("close", () => {
      onClose.delete(socket)
      set.forEach((each) => each())
    })
    runs = set
  }
  runs.add(run)
  return () => runs.delete(run)
}

/**
 * A signal that aborts when the client's connection closes before the answer
 * was written (the client gave up). Watched on the connection itself too: a
 * response queued behind another on the same connection (HTTP pipelining)
 * emits no "close" when the connection goes.
 */
export function abortedWithClient(req: MedusaRequest, res: MedusaResponse): AbortSignal {
  const controller = new AbortController()
  const gone = () => {
    forget()
    if (!res.writableFinished) controller.abort()
  }
  // A connection kept alive serves many requests: each is forgotten once answered.
  const forget = req.socket.destroyed ? () => true : whenClosed(req.socket, gone)
  res.once("close", gone)
  res.once("finish", forget)
  if (req.socket.destroyed) gone()
  return controller.signal
}

/**
 * Resolves once `res` is the response its connection sends now (the ones
 * pipelined before it on the connection are sent), or once `gone` aborts.
 */
export async function answeringNow(res: MedusaResponse, gone: AbortSignal): Promise<void> {
  if (res.socket || gone.aborted) return
  await new Promise<void>((resolve) => {
    const now = () => {
      res.off("socket", now)
      gone.removeEventListener("abort", now)
      resolve()
    }
    res.once("socket", now)
    gone.addEventListener("abort", now, { once: true })
  })
}
