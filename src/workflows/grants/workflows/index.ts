export * from "./update-admin-grant"
