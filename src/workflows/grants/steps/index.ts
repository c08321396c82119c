export * from "./set-admin-grant"
