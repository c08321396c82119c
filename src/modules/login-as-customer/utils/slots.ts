/** What `take` throws when `waitingAtMost` holders already wait their turn. */
export class SlotsFull extends Error {
  name = "SlotsFull"
}

/** Whether an error is a full queue's refusal (by name: the class may be loaded twice). */
export const isSlotsFull = (error: unknown): error is SlotsFull => (error as Error | null)?.name === "SlotsFull"

export type TakeSlot = {
  (signal?: AbortSignal): Promise<() => void>
  /** How many wait their turn now. */
  waiting(): number
}

/**
 * At most `size` holders at once in this process: `take()` waits for a free
 * slot (in the order asked) and answers its release, which frees it once
 * (later calls do nothing). Waiting holds nothing else: no connection.
 * At most `waitingAtMost` wait: one more is refused at once (SlotsFull).
 * Given an AbortSignal, a holder whose caller gave up (the admin closed the
 * page, the browser cancelled the request) leaves the queue at once, throwing
 * the signal's reason; a slot it is given as it gives up is passed on.
 */
export function slots(size: number, waitingAtMost = Infinity): TakeSlot {
  let running = 0
  const waiting: Array<() => void> = []
  const free = () => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
  const take = async (signal?: AbortSignal) => {
    signal?.throwIfAborted()
    if (running >= size) {
      if (waiting.length >= waitingAtMost) {
        throw new SlotsFull(`${waiting.length} already wait for one of ${size} slots`)
      }
      // A release hands its slot straight to the first waiting: `running` stays as it is.
      await new Promise<void>((resolve, reject) => {
        const leave = () => {
          waiting.splice(waiting.indexOf(turn), 1)
          reject(signal!.reason)
        }
        const turn = () => {
          signal?.removeEventListener("abort", leave)
          resolve()
        }
        waiting.push(turn)
        signal?.addEventListener("abort", leave, { once: true })
      })
    } else {
      running++
    }
    if (signal?.aborted) {
      free()
      throw signal.reason
    }
    let given = false
    return () => {
      if (given) return
      given = true
      free()
    }
  }
  return Object.assign(take, { waiting: () => waiting.length })
}
