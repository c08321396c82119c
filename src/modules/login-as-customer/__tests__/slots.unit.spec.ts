import { isSlotsFull, slots } from "../utils/slots"

describe("slots", () => {
  it("lets `size` holders in at once, the others in the order they asked, each release freeing one slot once", async () => {
    const take = slots(2)
    const order: string[] = []
    const first = await take()
    const second = await take()
    const waiting = ["c", "d"].map((name) => take().then((release) => (order.push(name), release)))
    await new Promise((resolve) => setImmediate(resolve))
    expect(order).toEqual([])
    first()
    first()
    const third = await waiting[0]
    await new Promise((resolve) => setImmediate(resolve))
    // A second release of the same slot freed nothing: d still waits.
    expect(order).toEqual(["c"])
    second()
    const fourth = await waiting[1]
    expect(order).toEqual(["c", "d"])
    third()
    fourth()
    // Both free again: two more at once without waiting.
    await Promise.all([take(), take()])
  })

  it("lets a holder whose caller gave up leave the queue at once, its place to the next", async () => {
    const take = slots(1)
    const first = await take()
    const gaveUp = new AbortController()
    const order: string[] = []
    const leaving = take(gaveUp.signal).then(
      () => order.push("left with a slot"),
      (error) => order.push(`left: ${error.name}`)
    )
    const staying = take().then((release) => (order.push("next"), release))
    expect(take.waiting()).toBe(2)
    gaveUp.abort()
    await leaving
    expect(order).toEqual(["left: AbortError"])
    expect(take.waiting()).toBe(1)
    first()
    const second = await staying
    expect(order).toEqual(["left: AbortError", "next"])
    // Asked with a signal already aborted: refused without a place in the queue or a slot.
    await expect(take(AbortSignal.abort())).rejects.toMatchObject({ name: "AbortError" })
    expect(take.waiting()).toBe(0)
    second()
    await take()
  })

  it("passes on a slot given to a holder that gives up in the same turn", async () => {
    const take = slots(1)
    const first = await take()
    const gaveUp = new AbortController()
    const leaving = take(gaveUp.signal)
    const next = take()
    // The slot is handed over, then the caller gives up before its holder runs.
    first()
    gaveUp.abort()
    await expect(leaving).rejects.toMatchObject({ name: "AbortError" })
    const release = await next
    expect(take.waiting()).toBe(0)
    release()
    await take()
  })

  it("refuses one more than `waitingAtMost` waiting, at once, and takes again once one leaves", async () => {
    const take = slots(1, 2)
    const first = await take()
    const waiting = [take(), take()]
    const refused = await take().catch((error) => error)
    expect(isSlotsFull(refused)).toBe(true)
    expect(refused.message).toBe("2 already wait for one of 1 slots")
    expect(take.waiting()).toBe(2)
    first()
    const second = await waiting[0]
    const third = take()
    expect(take.waiting()).toBe(2)
    second()
    ;(await waiting[1])()
    ;(await third)()
    expect(isSlotsFull(new Error("other"))).toBe(false)
  })
})
