import { useState } from "react"

/**
 * For a dialog or drawer opened without a Radix trigger (rendered when a
 * button sets some state): Radix then moves the focus nowhere when it closes.
 * Pass the result as the content's `onCloseAutoFocus`: the focus goes back to
 * whatever had it when the dialog mounted — the button that opened it.
 */
export function useReturnFocus(): (event: Event) => void {
  const [opener] = useState(() => (typeof document === "undefined" ? null : (document.activeElement as HTMLElement | null)))
  return (event: Event) => {
    if (opener && opener !== document.body && opener.isConnected) {
      event.preventDefault()
      opener.focus()
    }
  }
}
