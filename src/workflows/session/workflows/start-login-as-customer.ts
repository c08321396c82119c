import { emitEventStep } from "@medusajs/medusa/core-flows"
import {
  createHook,
  createWorkflow,
  transform,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { isBlankText } from "../../../lib/policy"
import type { StartSessionInput } from "../../../modules/login-as-customer/service"
import { LoginAsCustomerEvents, SessionMode, StorefrontDTO } from "../../../types"
import { toSessionEvent } from "../events"
import { createLoginTicketStep } from "../steps/create-login-ticket"
import { sessionsAsIssuedStep } from "../steps/sessions-as-issued"
import { resolveLoginContextStep } from "../steps/resolve-login-context"
import { validateLoginAsCustomerStep } from "../steps/validate-login-as-customer"
import { recordEventLogStep } from "../../log/steps/record-event-log"
import { recordStorefrontOriginsStep } from "../../log/steps/record-storefront-origins"

export type StartLoginAsCustomerWorkflowInput = {
  /** The acting admin and whether the permission check let them log in as customers. */
  admin: { id: string; can_login: boolean }
  customer_id: string
  storefront_id?: string | null
  /** The order page the admin came from; its sales channel picks the storefront. */
  order_id?: string | null
  /** A ticket reference or a sentence; required when the settings say so. */
  reason?: string | null
  mode?: SessionMode
  /** Ticket lifetime override; defaults to the settings'. */
  ticket_ttl_seconds?: number
}

export type StartLoginAsCustomerWorkflowOutput = {
  redirect_url: string
  expires_at: string
  session_id: string
}

export const startLoginAsCustomerWorkflowId = "start-login-as-customer"

/** The storefront's login URL carrying the ticket in its fragment, never in the query. */
export function buildRedirectUrl(storefront: StorefrontDTO, ticket: string): string {
  const url = new URL(storefront.login_url)
  url.hash = `ticket=${ticket}`
  return url.toString()
}

/**
 * An admin asks to log in as a customer: checks every rule (plus any added
 * through the `validateLoginAsCustomer` hook), opens a pending session with a
 * one-time ticket and returns the storefront URL that carries it.
 */
export const startLoginAsCustomerWorkflow = createWorkflow(
  startLoginAsCustomerWorkflowId,
  (input: WorkflowData<StartLoginAsCustomerWorkflowInput>) => {
    const context = resolveLoginContextStep(input)
    // The storefront origins the decision uses are on record before it is made.
    recordStorefrontOriginsStep()
    const storefront = validateLoginAsCustomerStep({ input, context })
    const validateLoginAsCustomer = createHook("validateLoginAsCustomer", {
      input,
      context,
      storefront,
    })

    const sessionInput = transform({ input, context, storefront }, (data): StartSessionInput => ({
      user_id: data.input.admin.id,
      customer_id: data.input.customer_id,
      storefront_id: data.storefront.id,
      context: data.context.order ? { order_id: data.context.order.id } : null,
      reason: isBlankText(data.input.reason) ? null : data.input.reason!.trim(),
      mode: data.input.mode ?? "full",
      ticket_ttl_seconds: data.input.ticket_ttl_seconds ?? data.context.settings.ticket_ttl_seconds,
    }))
    const started = createLoginTicketStep(sessionInput)

    const superseded = sessionsAsIssuedStep(transform({ started }, ({ started }) => started.superseded))
    const events = transform({ started, superseded, input }, ({ started, superseded, input }) => ({
      issued: toSessionEvent("ticket_issued", started.session),
      superseded: superseded.map((session) =>
        toSessionEvent("session_ended", session, { actor_type: "user", actor_id: input.admin.id })
      ),
    }))
    recordEventLogStep({
      eventName: LoginAsCustomerEvents.TICKET_ISSUED,
      data: events.issued,
    }).config({ name: "log-ticket-issued" })
    recordEventLogStep({
      eventName: LoginAsCustomerEvents.SESSION_ENDED,
      data: events.superseded,
    }).config({ name: "log-superseded-sessions-ended" })
    emitEventStep({
      eventName: LoginAsCustomerEvents.TICKET_ISSUED,
      data: events.issued,
    }).config({ name: "emit-ticket-issued" })
    emitEventStep({
      eventName: LoginAsCustomerEvents.SESSION_ENDED,
      data: events.superseded,
    }).config({ name: "emit-superseded-sessions-ended" })

    const response = transform(
      { started, storefront },
      ({ started, storefront }): StartLoginAsCustomerWorkflowOutput => ({
        redirect_url: buildRedirectUrl(storefront, started.ticket),
        expires_at: new Date(started.ticket_expires_at).toISOString(),
        session_id: started.session.id,
      })
    )
    return new WorkflowResponse(response, { hooks: [validateLoginAsCustomer] })
  }
)
