/** What a policy answers: allowed, or refused with the code the caller answers with. */
export type Decision<Code extends string = string> = { allowed: true } | { allowed: false; code: Code }

export const ALLOWED = { allowed: true } as const

export const deny = <Code extends string>(code: Code): { allowed: false; code: Code } => ({ allowed: false, code })

/** Whether a date is set and has come (at `now` or before). */
export function hasPassed(date: Date | string | null | undefined, now: Date): boolean {
  return !!date && new Date(date).getTime() <= now.getTime()
}
