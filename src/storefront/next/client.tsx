/** @jsxRuntime automatic */ // (for transpilers that default to the classic runtime, as the tests do)
"use client"
/**
 * The adapter's client components:
 * `import { … } from "medusa-plugin-login-as-customer-storefront/next/client"`
 * (also exported by `/next`, for server components to render). Each takes
 * the server action it needs as a prop: the storefront's own `"use server"`
 * wrapper of the matching function of `/next`.
 */
import { type ChangeEvent, type ReactElement, useEffect, useRef, useState } from "react"
import {
  ASSISTED_REFUSAL_MESSAGES,
  readTicket,
  type StoreAssistanceSession,
  type StoreRemoteAssistanceResponse,
  TICKET_ERROR_MESSAGES,
} from "../index"
import { type ConsentResult, DEFAULT_COOKIE_NAMES, type ExchangeResult } from "./shared"

export type AssistEndedNoticeProps = {
  /** Default: "The assistance session has ended." */
  message?: string
  /** Default `_lac_session_ended`, the cookie the adapter sets when a session ends. */
  cookieName?: string
  className?: string
}

/**
 * True when the "session ended" marker cookie is there, which it removes:
 * true once per end.
 */
export function takeEndedMarker(doc: { cookie: string }, cookieName: string = DEFAULT_COOKIE_NAMES.ended): boolean {
  const present = doc.cookie.split(";").some((part) => part.trim().startsWith(`${cookieName}=`))
  if (present) doc.cookie = `${cookieName}=; Path=/; Max-Age=0; SameSite=Lax`
  return present
}

type AddressWindow = {
  location: { pathname: string; search: string }
  addEventListener(type: "popstate", listener: () => void): void
  removeEventListener(type: "popstate", listener: () => void): void
  setInterval(handler: () => void, ms: number): unknown
  clearInterval(id: never): void
}

/**
 * Calls `onChange` once, when the page's address (path or query, not the
 * fragment) changes: Back/Forward (`popstate`) or an in-app navigation, which
 * the App Router makes with `history.pushState` and no event, so the address
 * is also looked at every `everyMs`. Returns a function that stops watching.
 */
export function watchAddressChange(win: AddressWindow, onChange: () => void, everyMs = 250): () => void {
  const address = () => `${win.location.pathname}${win.location.search}`
  const start = address()
  let stopped = false
  const check = () => {
    if (stopped || address() === start) return
    stop()
    onChange()
  }
  const timer = win.setInterval(check, everyMs)
  win.addEventListener("popstate", check)
  function stop() {
    if (stopped) return
    stopped = true
    win.clearInterval(timer as never)
    win.removeEventListener("popstate", check)
  }
  return stop
}

/**
 * Says "The assistance session has ended." once, on the first page loaded
 * after a session ended (the middleware, the banner's button or the sign-out
 * leave a short-lived cookie, which this reads and removes), until the next
 * navigation: the App Router keeps a layout mounted across in-app
 * navigations, so the notice hides itself when the address changes.
 */
export function AssistEndedNotice({
  message = ASSISTED_REFUSAL_MESSAGES.impersonation_ended,
  cookieName = DEFAULT_COOKIE_NAMES.ended,
  className,
}: AssistEndedNoticeProps): ReactElement | null {
  const [shown, setShown] = useState(false)
  useEffect(() => {
    if (!takeEndedMarker(document, cookieName)) return
    setShown(true)
    return watchAddressChange(window, () => setShown(false))
  }, [cookieName])
  if (!shown) return null
  return (
    <div role="status" data-login-as-customer="ended" className={className}>
      {message}
    </div>
  )
}

export type AssistTicketLoginProps = {
  /** The storefront's `"use server"` wrapper of `exchangeAssistTicket(ticket)`. */
  exchange: (ticket: string) => Promise<ExchangeResult>
  /** Where to go once signed in, e.g. `/${countryCode}/account`: a full page load. */
  redirectTo: string
  /** Shown while the ticket is exchanged (default "Signing in…"). */
  pendingText?: string
  className?: string
}

/**
 * The ticket page: reads the ticket from the address's fragment and removes
 * it from the address bar at once (before anything else on the page can read
 * it), exchanges it, then loads `redirectTo` afresh; on failure it shows the
 * reason (used or expired link, other storefront, too many attempts, …). A
 * second ticket link opened in the same tab (only the fragment changes) is
 * exchanged as well.
 */
export function AssistTicketLogin({
  exchange,
  redirectTo,
  pendingText = "Signing in…",
  className,
}: AssistTicketLoginProps): ReactElement {
  const [error, setError] = useState<string | null>(null)
  const last = useRef<string | null>(null)
  useEffect(() => {
    let active = true
    const handle = () => {
      const hash = window.location.hash
      if (hash) {
        // Out of the address bar before anything else runs; the router's state is kept.
        window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search)
      } else if (last.current !== null) {
        return // Already handled (React runs effects twice in development).
      }
      const ticket = readTicket(hash)
      if (!ticket) {
        setError(TICKET_ERROR_MESSAGES.missing_ticket)
        return
      }
      if (last.current === ticket) return
      last.current = ticket
      setError(null)
      exchange(ticket).then(
        (result) => {
          if (result.ok) window.location.replace(redirectTo)
          else if (active || last.current === ticket) setError(result.message)
        },
        () => setError(TICKET_ERROR_MESSAGES.unavailable)
      )
    }
    handle()
    window.addEventListener("hashchange", handle)
    return () => {
      active = false
      window.removeEventListener("hashchange", handle)
    }
  }, [exchange, redirectTo])
  return (
    <p role={error ? "alert" : "status"} data-login-as-customer="ticket" className={className}>
      {error ?? pendingText}
    </p>
  )
}

export type RemoteAssistanceSectionProps = {
  /** From `fetchRemoteAssistance({ limit, offset })`. */
  data: StoreRemoteAssistanceResponse
  /** The storefront's `"use server"` wrapper of `updateRemoteAssistance(body)`. */
  update: (body: { allowed: boolean; expires_at?: string | null }) => Promise<ConsentResult>
  /** The query parameter the history's pages use (default `history`: `?history=20`). */
  historyParam?: string
  className?: string
}

const ENDED_BY: Record<NonNullable<StoreAssistanceSession["ended_by"]>, string> = {
  customer: "ended by you",
  store: "ended by the store",
  expired: "expired",
}

function When({ iso }: { iso: string }): ReactElement {
  // The server and the browser may format dates differently (time zone, language).
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {new Date(iso).toLocaleString()}
    </time>
  )
}

/**
 * "Allow remote shopping assistance" and "Who helped me" (a page of the
 * history, with links to the other pages). A refusal (while someone is
 * logged in on the customer's behalf, only the customer may change it) is
 * shown next to the checkbox, which goes back to its state.
 */
export function RemoteAssistanceSection({
  data,
  update,
  historyParam = "history",
  className,
}: RemoteAssistanceSectionProps): ReactElement {
  const [consent, setConsent] = useState(data.remote_assistance)
  const [pending, setPending] = useState(false)
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null)
  const { sessions, count, offset, limit } = data

  const onChange = async (event: ChangeEvent<HTMLInputElement>) => {
    const allowed = event.target.checked
    setPending(true)
    setNotice(null)
    try {
      const result = await update({ allowed, expires_at: null })
      if (result.ok) {
        setConsent(result.remote_assistance)
        setNotice({ text: result.remote_assistance.allowed ? "Saved: assistance allowed." : "Saved: assistance not allowed.", error: false })
      } else {
        setNotice({ text: result.message, error: true })
      }
    } catch {
      setNotice({ text: "The setting could not be saved. Try again.", error: true })
    } finally {
      setPending(false)
    }
  }

  return (
    <section data-login-as-customer="remote-assistance" className={className}>
      <label>
        <input type="checkbox" checked={consent.allowed} disabled={pending} onChange={onChange} /> Allow remote shopping
        assistance
      </label>
      {consent.allowed && consent.expires_at ? (
        <p>
          Until <When iso={consent.expires_at} />
        </p>
      ) : null}
      {notice ? <p role={notice.error ? "alert" : "status"}>{notice.text}</p> : null}
      <h3>Who helped me</h3>
      {sessions.length === 0 ? <p>Nobody from the store has logged in to your account.</p> : null}
      {/* Cards, not a wide table: it must fit a phone. */}
      <ul style={{ listStyle: "none", padding: 0 }}>
        {sessions.map((s) => (
          <li key={s.id} style={{ border: "1px solid #ddd", borderRadius: 4, padding: "0.5rem", marginBottom: "0.5rem", overflowWrap: "anywhere" }}>
            {s.admin.first_name ?? "Store staff"} · <When iso={s.started_at} />
            {s.reason ? ` · ${s.reason}` : ""}
            {s.mode === "read_only" ? " · read-only" : " · full access"}
            {s.ended_by ? ` · ${ENDED_BY[s.ended_by]}` : " · in progress"}
            {s.orders.length ? ` · orders ${s.orders.map((o) => `#${o.display_id}`).join(", ")}` : ""}
          </li>
        ))}
      </ul>
      {count > limit ? (
        <nav aria-label="Assistance history pages" style={{ display: "flex", gap: "1rem" }}>
          {offset > 0 ? <a href={`?${historyParam}=${Math.max(0, offset - limit)}`}>Previous</a> : null}
          <span>
            {offset + 1}–{offset + sessions.length} of {count}
          </span>
          {offset + sessions.length < count ? <a href={`?${historyParam}=${offset + limit}`}>Next</a> : null}
        </nav>
      ) : null}
    </section>
  )
}
