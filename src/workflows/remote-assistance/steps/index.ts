export * from "./set-remote-assistance"
export * from "./validate-remote-assistance-update"
