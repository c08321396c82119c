// The "session ended" notice is shown once: on the first page after the end,
// and gone at the next in-app navigation (the App Router keeps the layout, and
// the notice's state with it, across client-side navigations).
import { takeEndedMarker, watchAddressChange } from "../next/client"

type FakeWindow = Parameters<typeof watchAddressChange>[0] & {
  location: { pathname: string; search: string; hash: string }
  fire(type: string): void
  listeners: number
}

function fakeWindow(pathname: string, search = ""): FakeWindow {
  const listeners = new Map<string, Set<() => void>>()
  const win = {
    location: { pathname, search, hash: "" },
    addEventListener(type: string, fn: () => void) {
      if (!listeners.has(type)) listeners.set(type, new Set())
      listeners.get(type)!.add(fn)
    },
    removeEventListener(type: string, fn: () => void) {
      listeners.get(type)?.delete(fn)
    },
    setInterval: (fn: () => void, ms: number) => setInterval(fn, ms),
    clearInterval: (id: ReturnType<typeof setInterval>) => clearInterval(id),
    fire(type: string) {
      for (const fn of [...(listeners.get(type) ?? [])]) fn()
    },
    get listeners() {
      return [...listeners.values()].reduce((n, set) => n + set.size, 0)
    },
  }
  return win as unknown as FakeWindow
}

describe("the ended notice", () => {
  beforeEach(() => jest.useFakeTimers())
  afterEach(() => jest.useRealTimers())

  it("takes the marker cookie once: present the first time, removed for the next page", () => {
    // document.cookie as a browser has it: reading lists the cookies, assigning sets (or with Max-Age=0 removes) one
    const jar = new Map([["_medusa_cart_id", "cart_1"], ["_lac_session_ended", "1"]])
    const browserDoc = {
      get cookie() {
        return [...jar].map(([k, v]) => `${k}=${v}`).join("; ")
      },
      set cookie(value: string) {
        const [pair, ...attrs] = value.split(";")
        const [name, v] = pair.split("=")
        if (attrs.some((a) => a.trim().toLowerCase() === "max-age=0")) jar.delete(name.trim())
        else jar.set(name.trim(), v)
      },
    }
    expect(takeEndedMarker(browserDoc, "_lac_session_ended")).toBe(true)
    expect(browserDoc.cookie).toBe("_medusa_cart_id=cart_1")
    expect(takeEndedMarker(browserDoc, "_lac_session_ended")).toBe(false)
  })

  it("is hidden at the next in-app navigation (pushState changes the path, no event), once", () => {
    const win = fakeWindow("/de/account")
    const hide = jest.fn()
    const stop = watchAddressChange(win, hide)
    jest.advanceTimersByTime(2000)
    expect(hide).not.toHaveBeenCalled()
    win.location.hash = "#top" // same page
    jest.advanceTimersByTime(2000)
    expect(hide).not.toHaveBeenCalled()
    win.location.pathname = "/de/store" // the App Router's pushState
    jest.advanceTimersByTime(500)
    expect(hide).toHaveBeenCalledTimes(1)
    win.location.pathname = "/de/cart"
    jest.advanceTimersByTime(2000)
    expect(hide).toHaveBeenCalledTimes(1)
    expect(win.listeners).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
    stop()
  })

  it("is hidden on Back/Forward and on a query change; stop() leaves nothing running", () => {
    const win = fakeWindow("/de/store", "?page=1")
    const hide = jest.fn()
    watchAddressChange(win, hide)
    win.location.search = "?page=2"
    win.fire("popstate")
    expect(hide).toHaveBeenCalledTimes(1)
    expect(jest.getTimerCount()).toBe(0)

    const other = fakeWindow("/de")
    const never = jest.fn()
    const stop = watchAddressChange(other, never)
    stop()
    other.location.pathname = "/de/store"
    other.fire("popstate")
    jest.advanceTimersByTime(2000)
    expect(never).not.toHaveBeenCalled()
    expect(other.listeners).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })
})
