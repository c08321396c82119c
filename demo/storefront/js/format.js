// How the reference storefront writes names, times, days and money, and its table cells.
export const fullName = (p) => [p.first_name, p.last_name].filter(Boolean).join(" ")
export const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—")
/** A day as the shopper's locale writes it ("Dec 31, 2026"). */
export const day = (iso) => new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" })
/** The input's value for the day an ISO time falls on, in the shopper's time zone (YYYY-MM-DD). */
export const dayValue = (iso) => {
  const date = new Date(iso)
  const pad = (n) => String(n).padStart(2, "0")
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
/** The last moment of a chosen day (YYYY-MM-DD) in the shopper's time zone: "until 31 Dec" includes 31 Dec. */
export const endOfDay = (value) => {
  const [year, month, date] = value.split("-").map(Number)
  return new Date(year, month - 1, date, 23, 59, 59, 999)
}
export const money = (amount, currency) =>
  new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(amount)

/** A country's name in the page's language ("de" → "Germany"). */
export const countryName = (code) => {
  try {
    return new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "region" }).of(code.toUpperCase())
  } catch {
    return code.toUpperCase()
  }
}

/** A table cell; returns its value element, for more lines under the text. */
export function cell(row, text, label) {
  const td = document.createElement("td")
  const value = document.createElement("span")
  value.className = "value"
  value.textContent = text
  td.appendChild(value)
  // The label a phone shows in front of the value (the table's head is hidden there).
  if (label) td.dataset.label = label
  row.appendChild(td)
  return value
}
