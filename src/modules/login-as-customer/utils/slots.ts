/**
 * At most `size` holders at once in this process: `take()` waits for a free
 * slot (in the order asked) and answers its release, which frees it once
 * (later calls do nothing). Waiting holds nothing else: no connection.
 */
export function slots(size: number): () => Promise<() => void> {
  let running = 0
  const waiting: Array<() => void> = []
  return async () => {
    if (running >= size) {
      // A release hands its slot straight to the first waiting: `running` stays as it is.
      await new Promise<void>((resolve) => waiting.push(resolve))
    } else {
      running++
    }
    let given = false
    return () => {
      if (given) return
      given = true
      const next = waiting.shift()
      if (next) next()
      else running--
    }
  }
}
