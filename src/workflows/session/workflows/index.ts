export * from "./end-login-as-customer-sessions"
export * from "./exchange-login-ticket"
export * from "./start-login-as-customer"
export * from "./record-login-denied"
