import { FetchError } from "@medusajs/js-sdk"

/**
 * A refusal from the server with its `code` and `type`: the js-sdk's own
 * FetchError keeps only the English message, and the admin translates by code.
 */
export class ApiError extends FetchError {
  code?: string
  type?: string

  constructor(message: string, statusText: string, status: number, code?: string, type?: string) {
    super(message, statusText, status)
    this.name = "ApiError"
    this.code = code
    this.type = type
  }
}

type Query = Record<string, string | number | boolean | Array<string | number> | null | undefined>

const base = () => (__BACKEND_URL__ ?? "/").replace(/\/$/, "")

/**
 * A JSON call to the Medusa API with the admin's session cookie, as
 * `sdk.client.fetch` makes it, but a refusal is thrown as an ApiError that
 * keeps the server's `code`. Arrays in the query are sent as repeated keys.
 */
export async function apiFetch<T>(
  path: string,
  { method = "GET", body, query, signal }: { method?: string; body?: unknown; query?: Query; signal?: AbortSignal } = {}
): Promise<T> {
  const url = new URL(`${base()}${path}`, window.location.origin)
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item))
  }
  const headers: Record<string, string> = { accept: "application/json" }
  if (body !== undefined) headers["content-type"] = "application/json"
  const response = await fetch(url, {
    method,
    headers,
    credentials: "include",
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  })
  if (!response.ok) {
    const error = (await response.json().catch(() => ({}))) as { message?: string; code?: string; type?: string }
    throw new ApiError(error.message ?? response.statusText, response.statusText, response.status, error.code, error.type)
  }
  return (response.status === 204 ? undefined : await response.json()) as T
}
