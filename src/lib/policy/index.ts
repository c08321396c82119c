/**
 * Every allow/deny of Login as Customer, as pure functions over plain data
 * that deny by default. Callers gather the facts, ask, and act.
 */
export * from "./decision"
export * from "./states"
export * from "./start"
export * from "./session"
export * from "./store-request"
export * from "./consent"
export * from "./permissions"
