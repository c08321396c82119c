import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export const emitCommittedEventsStepId = "emit-login-as-customer-committed-events"

/**
 * Emits events about a change no compensation undoes (an ended session stays
 * ended), at once and outside the workflow's event group: Medusa's
 * `emitEventStep` holds events until the whole workflow succeeds and drops
 * them when it fails, which would hide a session ended by a workflow that
 * then fails (a refused ticket exchange). Not compensated.
 */
export const emitCommittedEventsStep = createStep(
  emitCommittedEventsStepId,
  async ({ eventName, data }: { eventName: string; data: object[] }, { container }) => {
    if (data.length) {
      await container.resolve(Modules.EVENT_BUS).emit(data.map((event) => ({ name: eventName, data: event })))
    }
    return new StepResponse(undefined)
  }
)
