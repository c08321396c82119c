// The few Next.js functions the adapter calls, typed for compiling this
// repository, which doesn't install Next.js. The adapter's published
// declarations never mention them; at run time they are the storefront's own.
declare module "next/headers" {
  type CookieOptions = {
    maxAge?: number
    expires?: Date
    httpOnly?: boolean
    sameSite?: "strict" | "lax" | "none"
    secure?: boolean
    path?: string
  }
  type CookieStore = {
    get(name: string): { name: string; value: string } | undefined
    set(name: string, value: string, options?: CookieOptions): unknown
    delete(name: string): unknown
  }
  /** Next 14 returns the store; Next 15 and 16 a promise of it. */
  export function cookies(): CookieStore | Promise<CookieStore>
}

declare module "next/navigation" {
  export function redirect(url: string): never
}
