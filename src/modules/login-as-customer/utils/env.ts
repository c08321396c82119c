/** A positive number of milliseconds from the environment variable `name`, or `fallback` when it is unset or not one. */
export function msFromEnv(name: string, fallback: number): number {
  const ms = Number(process.env[name])
  return Number.isFinite(ms) && ms > 0 ? ms : fallback
}
