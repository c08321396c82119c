export * from "./update-remote-assistance"
