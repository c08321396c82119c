import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../modules/login-as-customer"
import { DEFAULT_EXCHANGE_RATE_LIMIT } from "../../modules/login-as-customer/options"
import type LoginAsCustomerModuleService from "../../modules/login-as-customer/service"

/** Addresses tracked at most; the least recently seen are forgotten first. */
const MAX_ADDRESSES = 10_000

/**
 * Per-address attempt windows (timestamps in ms). Each server instance keeps
 * its own: with N instances behind a balancer an address gets up to N times
 * the limit, still far too few to guess a 32-byte ticket.
 */
const attempts = new Map<string, number[]>()

function clientAddress(req: MedusaRequest): string {
  // Express's req.ip honours Medusa's trust proxy setting.
  return req.ip || req.socket?.remoteAddress || "unknown"
}

/**
 * Limits ticket exchanges per IP address: an attempt counts from the moment it
 * arrives (so a burst can't slip in before the failures are known) and stops
 * counting when it succeeds. Over the limit: `429 too_many_requests` with
 * `Retry-After`.
 */
export async function exchangeRateLimit(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const options = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).getOptions()
  const limit = options.exchange_rate_limit ?? DEFAULT_EXCHANGE_RATE_LIMIT
  if (limit === false) {
    return next()
  }
  const windowMs = limit.window_seconds * 1000
  const now = Date.now()
  const address = clientAddress(req)
  const recent = (attempts.get(address) ?? []).filter((at) => at > now - windowMs)
  attempts.delete(address)
  if (recent.length >= limit.max_attempts) {
    attempts.set(address, recent)
    const retryAfter = Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000))
    res.setHeader("Retry-After", String(retryAfter))
    return res.status(429).json({
      type: "not_allowed",
      code: "too_many_requests",
      message: `Too many ticket exchanges from this address; try again in ${retryAfter} s`,
    })
  }
  recent.push(now)
  attempts.set(address, recent)
  if (attempts.size > MAX_ADDRESSES) {
    attempts.delete(attempts.keys().next().value as string)
  }
  res.on("finish", () => {
    if (res.statusCode < 300) {
      const list = attempts.get(address)
      const index = list?.indexOf(now) ?? -1
      if (list && index >= 0) list.splice(index, 1)
    }
  })
  next()
}
