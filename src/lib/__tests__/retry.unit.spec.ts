import { MedusaError } from "@medusajs/framework/utils"
import { isNoProviderError } from "../../subscribers/notify-customer"
import { isTransientDbError, LOG_LINE_REFUSED, withRetry } from "../retry"

describe("withRetry", () => {
  it("tries again until the call succeeds", async () => {
    let calls = 0
    const result = await withRetry(
      async () => {
        calls++
        if (calls < 3) throw new Error("connection refused")
        return "done"
      },
      { delay_ms: 1 }
    )
    expect(result).toBe("done")
    expect(calls).toBe(3)
  })

  it("gives up after its attempts with the last error", async () => {
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error(`failure ${calls}`)
        },
        { attempts: 4, delay_ms: 1 }
      )
    ).rejects.toThrow("failure 4")
    expect(calls).toBe(4)
  })

  it("caps every wait at LOGIN_AS_CUSTOMER_RETRY_MAX_DELAY_MS when it is set, with the same number of tries", async () => {
    const waits: number[] = []
    const realSetTimeout = global.setTimeout
    const spy = jest.spyOn(global, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      waits.push(ms ?? 0)
      return realSetTimeout(fn, 0)
    }) as typeof setTimeout)
    const run = () =>
      withRetry(
        async () => {
          throw new Error("the log is unavailable")
        },
        { attempts: 5, delay_ms: 100, max_delay_ms: 5_000 }
      ).catch(() => undefined)
    process.env.LOGIN_AS_CUSTOMER_RETRY_MAX_DELAY_MS = "20"
    try {
      await run()
    } finally {
      delete process.env.LOGIN_AS_CUSTOMER_RETRY_MAX_DELAY_MS
    }
    expect(waits).toEqual([20, 20, 20, 20])
    waits.length = 0
    await run()
    spy.mockRestore()
    expect(waits).toEqual([100, 200, 400, 800])
  })

  it("does not retry an error retryIf rules out", async () => {
    let calls = 0
    const mistake = new MedusaError(
      MedusaError.Types.NOT_FOUND,
      "Could not find a notification provider for channel: email for notification id noti_1"
    )
    await expect(
      withRetry(
        async () => {
          calls++
          throw mistake
        },
        { delay_ms: 1, retryIf: (error) => !isNoProviderError(error) }
      )
    ).rejects.toBe(mistake)
    expect(calls).toBe(1)
  })
})

describe("isNoProviderError", () => {
  it("knows the Notification Module's missing or disabled provider, nothing else", () => {
    expect(
      isNoProviderError(new MedusaError(MedusaError.Types.NOT_FOUND, "Could not find a notification provider for channel: email for notification id noti_1"))
    ).toBe(true)
    expect(
      isNoProviderError(new MedusaError(MedusaError.Types.NOT_FOUND, "Notification provider local is not enabled. To enable it, configure it as a provider in the notification module options."))
    ).toBe(true)
    expect(isNoProviderError(new MedusaError(MedusaError.Types.NOT_FOUND, "Customer with id: cus_1 was not found"))).toBe(false)
    expect(isNoProviderError(new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Failed to send notification with id noti_1"))).toBe(false)
    expect(isNoProviderError(new Error("connect ECONNREFUSED"))).toBe(false)
  })
})

describe("isTransientDbError", () => {
  it("rules out data errors (SQLSTATE class 22) and program limits (class 54), also wrapped, and leaves every other error to retry", () => {
    expect(isTransientDbError(Object.assign(new Error("invalid input syntax for type json"), { code: "22P02" }))).toBe(false)
    expect(isTransientDbError(Object.assign(new Error("index row size 2720 exceeds btree version 4 maximum 2704"), { code: "54000" }))).toBe(false)
    expect(isTransientDbError({ sqlState: "22023" })).toBe(false)
    expect(isTransientDbError(new Error("wrapped", { cause: { code: "22021" } }))).toBe(false)
    expect(isTransientDbError(Object.assign(new Error("the log is unavailable"), { code: "P0001" }))).toBe(true)
    expect(isTransientDbError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(true)
    expect(isTransientDbError(new Error("anything"))).toBe(true)
  })

  it("rules out the log writer's refusal of a line (LOG_LINE_REFUSED), also wrapped, and leaves other MedusaErrors to retry", () => {
    const refused = new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "the log line was dropped by the database on its way in", LOG_LINE_REFUSED)
    expect(isTransientDbError(refused)).toBe(false)
    expect(isTransientDbError(new Error("step failed", { cause: refused }))).toBe(false)
    // A database error wrapped by the framework is still one to try again.
    expect(isTransientDbError(new MedusaError(MedusaError.Types.DB_ERROR, "the log is unavailable"))).toBe(true)
  })
})
