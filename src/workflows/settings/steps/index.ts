export * from "./save-settings"
export * from "./validate-settings-update"
