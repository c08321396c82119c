export * from "./record-log-entry"
