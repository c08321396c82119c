import { createRequire } from "module"
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, generateEntityId, Modules } from "@medusajs/framework/utils"
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../modules/login-as-customer"
import { DEFAULT_EXCHANGE_RATE_LIMIT, defaultStoreMaxFailures } from "../../modules/login-as-customer/options"
import type LoginAsCustomerModuleService from "../../modules/login-as-customer/service"
import { ExchangeLimitTrippedEventData, LoginAsCustomerEvents } from "../../types"
import { logEntriesForEvent } from "../../workflows/log/log-entries-for-event"
import { writeLogEntries } from "../../workflows/log/write-log-entries"

/** The table the plugin's migration creates for the Postgres store. */
export const RATE_LIMIT_TABLE = "login_as_customer_rate_limit"

/** The one key of the store-wide counters. */
const STORE_KEY = "store"

type Limit = { max_attempts: number; window_seconds: number; store_max_failures?: number | false }

type Limiters = {
  /** Attempts per client address, successes given back. */
  address: RateLimiterAbstract
  /** Attempts of the whole store, successes given back: its failures. */
  store: RateLimiterAbstract | null
  /** One point per store window: whoever takes it writes the log line. */
  tripped: RateLimiterAbstract | null
}

/** One set of limiters per app (per module service), built on first use. */
const built = new WeakMap<object, Limiters>()

/**
 * Counters shared by every instance: in Redis when the app has one
 * (`projectConfig.redisUrl` or `REDIS_URL`), else in the plugin's Postgres
 * table. Should the store fail, each instance counts in memory meanwhile
 * (rate-limiter-flexible's insurance limiter) rather than stop limiting.
 */
function buildLimiters(container: MedusaContainer, limit: Limit): Limiters {
  const { projectConfig } = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE)
  const redisUrl = projectConfig.redisUrl || process.env.REDIS_URL
  const redis = redisUrl ? redisClient(redisUrl, projectConfig.redisOptions) : null
  const prefix = redis ? `${projectConfig.redisPrefix ?? ""}login_as_customer:` : ""

  const limiter = (name: string, points: number, clearExpired: boolean) => {
    const common = {
      keyPrefix: `${prefix}exchange_${name}`,
      points,
      duration: limit.window_seconds,
      insuranceLimiter: new RateLimiterMemory({ points, duration: limit.window_seconds }),
    }
    return redis
      ? new RateLimiterRedis({ ...common, storeClient: redis, useRedisPackage: false })
      : new RateLimiterPostgres({
          ...common,
          storeClient: container.resolve(ContainerRegistrationKeys.PG_CONNECTION),
          storeType: "knex",
          tableName: RATE_LIMIT_TABLE,
          tableCreated: true,
          clearExpiredByTimeout: clearExpired,
        })
  }
  const storeMax = limit.store_max_failures ?? defaultStoreMaxFailures(limit.max_attempts)
  return {
    address: limiter("address", limit.max_attempts, true),
    store: storeMax === false ? null : limiter("store", storeMax, false),
    tripped: storeMax === false ? null : limiter("store_tripped", 1, false),
  }
}

/**
 * ioredis, as Medusa's own Redis modules use it: resolved from
 * @medusajs/framework, which depends on it, so the plugin adds no dependency.
 */
function redisClient(url: string, options: object | undefined) {
  const requireFromFramework = createRequire(require.resolve("@medusajs/framework"))
  const Redis = requireFromFramework("ioredis")
  return new (Redis.default ?? Redis)(url, { ...(options ?? {}), maxRetriesPerRequest: 1 })
}

/** `::ffff:203.0.113.7` (an IPv4 client on a dual-stack socket) is `203.0.113.7`. */
function normalizeAddress(address: string | undefined): string {
  const value = (address ?? "").trim().toLowerCase()
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(value)
  // A proxied address is whatever the header says: bounded, to fit the key column.
  return (mapped ? mapped[1] : value).slice(0, 100) || "unknown"
}

/**
 * The address the limit counts. `proxy`: Express's `req.ip`, which under
 * Medusa's `trust proxy` 1 is the last `X-Forwarded-For` hop (the one the
 * nearest proxy added), else the socket's. `socket`: the connection's own
 * address; X-Forwarded-For is ignored.
 */
export function clientAddress(req: MedusaRequest, mode: "proxy" | "socket" = "proxy"): string {
  return normalizeAddress(mode === "socket" ? req.socket?.remoteAddress : req.ip || req.socket?.remoteAddress)
}

function tooManyRequests(res: MedusaResponse, rejection: RateLimiterRes, what: string) {
  const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
  res.setHeader("Retry-After", String(retryAfter))
  return res.status(429).json({
    type: "not_allowed",
    code: "too_many_requests",
    message: `${what}; try again in ${retryAfter} s`,
  })
}

/** A limiter's refusal, or (a store error the insurance couldn't absorb) a thrown error. */
async function consume(limiter: RateLimiterAbstract, key: string, options?: { customDuration: number }) {
  try {
    await limiter.consume(key, 1, options)
    return null
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return rejection
    }
    throw rejection
  }
}

/**
 * The first refusal of a store window writes one `exchange_limit_tripped`
 * line (the `tripped` counter, shared like the others, lets one request per
 * window through to write it), then emits the event.
 */
async function reportTripped(
  req: MedusaRequest,
  limiters: Limiters,
  limit: Limit,
  maxFailures: number,
  rejection: RateLimiterRes,
  address: string
) {
  const secondsLeft = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
  if (!limiters.tripped || (await consume(limiters.tripped, STORE_KEY, { customDuration: secondsLeft }))) {
    return
  }
  const event: ExchangeLimitTrippedEventData = {
    event_id: generateEntityId(undefined, "lacev"),
    max_failures: maxFailures,
    window_seconds: limit.window_seconds,
    until: new Date(Date.now() + rejection.msBeforeNext).toISOString(),
    client_address: address,
  }
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
  logger.warn(
    `Login as Customer: ${maxFailures} failed ticket exchanges within ${limit.window_seconds} s; exchanges are refused until ${event.until}`
  )
  try {
    await writeLogEntries(req.scope, logEntriesForEvent(LoginAsCustomerEvents.EXCHANGE_LIMIT_TRIPPED, event))
    await req.scope.resolve(Modules.EVENT_BUS).emit({ name: LoginAsCustomerEvents.EXCHANGE_LIMIT_TRIPPED, data: event })
  } catch (error) {
    logger.error(`Login as Customer: could not record the exchange limit: ${(error as Error).message}`)
  }
}

/**
 * Limits ticket exchanges per client address, and the failed exchanges of
 * the whole store: an attempt counts from the moment it arrives (so a burst
 * can't slip in before the failures are known) and is given back when it
 * succeeds. Over either limit: `429 too_many_requests` with `Retry-After`;
 * the store-wide one also writes one `exchange_limit_tripped` log line.
 */
export async function exchangeRateLimit(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const options = service.getOptions()
    const limit = options.exchange_rate_limit ?? DEFAULT_EXCHANGE_RATE_LIMIT
    if (limit === false) {
      return next()
    }
    let limiters = built.get(service)
    if (!limiters) {
      limiters = buildLimiters(req.scope, limit)
      built.set(service, limiters)
    }
    const address = clientAddress(req, options.client_address)

    const perAddress = await consume(limiters.address, address)
    if (perAddress) {
      return tooManyRequests(res, perAddress, "Too many ticket exchanges from this address")
    }
    if (limiters.store) {
      const storeWide = await consume(limiters.store, STORE_KEY)
      if (storeWide) {
        const maxFailures = limiters.store.points
        await reportTripped(req, limiters, limit, maxFailures, storeWide, address)
        return tooManyRequests(res, storeWide, "Too many failed ticket exchanges on this store")
      }
    }

    const { address: addressLimiter, store } = limiters
    res.on("finish", () => {
      if (res.statusCode < 300) {
        // Best effort: a reward lost to a database hiccup costs one attempt.
        addressLimiter.reward(address).catch(() => undefined)
        store?.reward(STORE_KEY).catch(() => undefined)
      }
    })
    next()
  } catch (error) {
    next(error)
  }
}
