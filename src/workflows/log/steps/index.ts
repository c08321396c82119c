export * from "./record-log-entry"
export * from "./record-storefront-origins"
