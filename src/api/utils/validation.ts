import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import {
  validateAndTransformBody,
  validateAndTransformQuery,
} from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { z } from "@medusajs/framework/zod"

type Middleware = (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => unknown

/**
 * Medusa's validators answer 400 without an error `code`; the plugin's
 * contract promises `{ type, code, message }` on every error.
 */
function withInvalidDataCode(middleware: Middleware): Middleware {
  return (req, res, next) =>
    middleware(req, res, ((error?: unknown) => {
      const e = error as MedusaError | undefined
      if (e && e.type === MedusaError.Types.INVALID_DATA && !e.code) {
        return next(new MedusaError(MedusaError.Types.INVALID_DATA, e.message, "invalid_data"))
      }
      if (e && e.type === MedusaError.Types.INVALID_ARGUMENT) {
        return next(new MedusaError(MedusaError.Types.INVALID_DATA, e.message, "invalid_data"))
      }
      return next(error as Error)
    }) as MedusaNextFunction)
}

/** Validates `req.body` with a zod schema into `req.validatedBody`. */
export function validateBody(schema: z.ZodType) {
  return withInvalidDataCode(validateAndTransformBody(schema as never) as Middleware)
}

/** Validates the query string with a zod schema into `req.validatedQuery`. */
export function validateQuery(schema: z.ZodType) {
  return withInvalidDataCode(
    validateAndTransformQuery(schema as never, { defaults: [], isList: true }) as Middleware
  )
}
