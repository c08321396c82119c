/** react-query keys of the plugin's admin data, one tree so mutations can invalidate broadly. */
export const lacKeys = {
  all: ["login-as-customer"] as const,
  customer: (customerId: string) => [...lacKeys.all, "customer", customerId] as const,
  settings: () => [...lacKeys.all, "settings"] as const,
  grants: () => [...lacKeys.all, "grants"] as const,
  sessions: (query: Record<string, unknown>) => [...lacKeys.all, "sessions", query] as const,
  log: (query: Record<string, unknown>) => [...lacKeys.all, "log", query] as const,
}
