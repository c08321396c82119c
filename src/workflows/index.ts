export * from "./log"
export * from "./remote-assistance"
export * from "./settings"
