/** @jsxRuntime automatic */ // (for transpilers that default to the classic runtime, as the tests do)
/**
 * The banner "You are logged in as Jane Doe — assisted by Ada" with its "End
 * session" button. No hooks and no client code: render it from a server
 * layout (or a client component) with the session from `getAssistedSession()`.
 * Without a session it renders `AssistEndedNotice`, which says once that a
 * session has just ended.
 */
import type { CSSProperties, ReactElement } from "react"
import { bannerText, type StoreImpersonationSession } from "../index"
import { AssistEndedNotice } from "./client"

export type AssistBannerProps = {
  session: StoreImpersonationSession | null
  /**
   * The server action behind "End session": the storefront's own
   * `"use server"` wrapper of `endAssistedSession({ redirectTo: "/" })`.
   */
  end: (formData: FormData) => void | Promise<void>
  /** Replaces the built-in style (a sticky yellow bar). */
  className?: string
  endLabel?: string
  /** The text after the names in a read-only session (default " (read-only)"). */
  readOnlyLabel?: string
  /** What the notice says after a session ended; false: no notice. */
  endedMessage?: string | false
}

const BAR: CSSProperties = {
  position: "sticky",
  top: 0,
  zIndex: 50,
  background: "#fef9c3",
  borderBottom: "1px solid #facc15",
  padding: "0.5rem",
  textAlign: "center",
}

export function AssistBanner({
  session,
  end,
  className,
  endLabel = "End session",
  readOnlyLabel = " (read-only)",
  endedMessage,
}: AssistBannerProps): ReactElement | null {
  if (!session) {
    return endedMessage === false ? null : <AssistEndedNotice message={endedMessage} className={className} />
  }
  return (
    <div role="status" data-login-as-customer="banner" className={className} style={className ? undefined : BAR}>
      <span>{bannerText(session)}</span>
      {session.mode === "read_only" ? <span>{readOnlyLabel}</span> : null}
      {/* A form, so that ending works before the page's scripts have loaded. */}
      <form action={end as unknown as string} style={{ display: "inline", marginLeft: "1em" }}>
        <button type="submit">{endLabel}</button>
      </form>
    </div>
  )
}
