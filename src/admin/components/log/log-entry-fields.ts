import type { LogEntry } from "../../lib/types"

/** The reason an admin gave, kept in the details of session and denial lines. */
export function entryReason(entry: LogEntry): string | null {
  const reason = entry.details?.reason
  return typeof reason === "string" && reason.trim() ? reason : null
}

/** The session's mode (`full` or `read_only`), where the line records one. */
export function entryMode(entry: LogEntry): "full" | "read_only" | null {
  const mode = entry.details?.mode
  return mode === "full" || mode === "read_only" ? mode : null
}
