import { slots } from "../utils/slots"

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
})
