import { checkAssistedSession } from "medusa-plugin-login-as-customer-storefront/next/middleware"
import { NextResponse, type NextRequest } from "next/server"

export async function middleware(request: NextRequest) {
  // Login as Customer: an ended session is signed out before the page renders.
  const ended = await checkAssistedSession(request)
  if (ended) return ended
  return NextResponse.next()
}

export const config = {
  matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)"],
}
