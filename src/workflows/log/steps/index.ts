export * from "./record-event-log"
export * from "./record-log-entry"
export * from "./record-storefront-origins"
