import { RefObject, useEffect } from "react"

/**
 * Medusa UI's DataTable toolbar leaves two things unnamed for assistive
 * technology: the filter and sort menus' icon buttons (their tooltip only
 * shows on hover) and the search field's magnifier (role="img" without a
 * name). Inside `ref`, this names the menu buttons after their tooltips, in
 * order, and hides the decorative magnifier — again whenever the toolbar
 * re-renders them (after its loading skeleton, when filters change).
 */
export function useToolbarNames(ref: RefObject<HTMLElement | null>, menuNames: string[]) {
  const key = menuNames.join("\u0000")
  useEffect(() => {
    const root = ref.current
    if (!root) return
    const label = () => {
      root.querySelectorAll<HTMLButtonElement>('button[aria-haspopup="menu"]').forEach((button, i) => {
        const name = menuNames[i]
        if (name && button.getAttribute("aria-label") !== name) button.setAttribute("aria-label", name)
      })
      root.querySelectorAll('[role="img"]:not([aria-label]):not([aria-labelledby])').forEach((icon) => {
        if (icon.getAttribute("aria-hidden") !== "true") icon.setAttribute("aria-hidden", "true")
      })
    }
    label()
    const observer = new MutationObserver(label)
    observer.observe(root, { childList: true, subtree: true })
    return () => observer.disconnect()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ref, key])
}
