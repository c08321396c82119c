// The account: the customer's consent to remote shopping assistance and the
// "Who helped me" history of the store's sessions.
import { $, api, report, say } from "./api.js"
import { cell, day, dayValue, endOfDay, when } from "./format.js"

const HISTORY_PAGE_SIZE = 10
const ENDED_BY = { customer: "Ended by you", store: "Ended by the store", expired: "Expired" }

let historyOffset = 0

/** Back to the first page of the history (someone else signs in). */
export function resetHistory() {
  historyOffset = 0
}

const remoteAssistance = () =>
  api(`/store/customers/me/remote-assistance?limit=${HISTORY_PAGE_SIZE}&offset=${historyOffset}`)

export async function renderConsent(impersonating) {
  const { remote_assistance: consent, sessions, count } = await remoteAssistance()
  if (!sessions.length && historyOffset > 0 && count > 0) {
    // The page we were on is gone (fewer sessions now): show the last one.
    historyOffset = Math.floor((count - 1) / HISTORY_PAGE_SIZE) * HISTORY_PAGE_SIZE
    return renderConsent(impersonating)
  }
  $("consent-allowed").checked = consent.allowed
  // A last day, as the admin sets it: allowed until the end of that day.
  $("consent-expires").value = consent.expires_at ? dayValue(consent.expires_at) : ""
  $("consent-expires").min = dayValue(new Date().toISOString())
  $("consent-status").textContent = impersonating
    ? "Only the customer can change this."
    : consent.active
      ? consent.expires_at
        ? `Assistance allowed until ${day(consent.expires_at)}.`
        : "Assistance allowed."
      : consent.allowed
        ? "Your permission has expired."
        : "Assistance not allowed."
  for (const input of $("consent-form").querySelectorAll("input, button")) {
    input.disabled = impersonating
  }
  renderHistory(sessions, count)
}

function renderHistory(sessions, count) {
  const body = $("history").querySelector("tbody")
  body.replaceChildren()
  for (const s of sessions) {
    const row = document.createElement("tr")
    cell(row, s.admin.first_name || "Store staff", "Assisted by")
    cell(row, s.reason || "—", "Reason")
    cell(row, s.mode === "read_only" ? "Read-only" : "Full access", "Access")
    cell(row, when(s.started_at), "Started")
    const ended = cell(row, s.ended_at ? when(s.ended_at) : s.ended_by ? "" : "in progress", "Ended")
    if (s.ended_by) {
      const by = document.createElement("span")
      by.className = "ended-by"
      by.textContent = ENDED_BY[s.ended_by] || ""
      ended.appendChild(by)
    }
    const orders = (s.orders || []).map((o) => `#${o.display_id}`)
    cell(row, orders.join(", ") || "—", "Orders")
    body.appendChild(row)
  }
  $("history").hidden = sessions.length === 0
  $("history-empty").hidden = sessions.length > 0
  $("history-pager").hidden = count <= HISTORY_PAGE_SIZE
  const first = sessions.length ? historyOffset + 1 : 0
  $("history-range").textContent = `${first}–${historyOffset + sessions.length} of ${count}`
  $("history-previous").disabled = historyOffset === 0
  $("history-next").disabled = historyOffset + sessions.length >= count
}

async function showHistoryPage(offset) {
  historyOffset = Math.max(0, offset)
  const { sessions, count } = await remoteAssistance()
  renderHistory(sessions, count)
}

/** The consent form and the history's pager; `render` redraws the page after a change. */
export function bindAccount(render) {
  $("consent-form").addEventListener("submit", async (event) => {
    event.preventDefault()
    const allowed = $("consent-allowed").checked
    const until = $("consent-expires").value
    try {
      await api("/store/customers/me/remote-assistance", {
        method: "POST",
        body: { allowed, expires_at: allowed && until ? endOfDay(until).toISOString() : null },
      })
      say("Saved.")
      await render()
    } catch (error) {
      report(error)
    }
  })
  $("history-previous").addEventListener("click", () =>
    showHistoryPage(historyOffset - HISTORY_PAGE_SIZE).catch(report)
  )
  $("history-next").addEventListener("click", () =>
    showHistoryPage(historyOffset + HISTORY_PAGE_SIZE).catch(report)
  )
}
