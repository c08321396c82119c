import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"

export const burnTicketStepId = "burn-login-as-customer-ticket"

/** Marks a ticket used, so it can't be exchanged. Not compensated: a burnt ticket stays burnt. */
export const burnTicketStep = createStep(burnTicketStepId, async ({ ticket }: { ticket: string }, { container }) => {
  await container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).burnTicket(ticket)
  return new StepResponse(undefined)
})
