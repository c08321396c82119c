"use client"

import { useActionState } from "react"
import { login } from "@lib/data"

export default function LoginForm() {
  const [error, action, pending] = useActionState(login, null)
  return (
    <form action={action}>
      <h1>Sign in</h1>
      <label>
        Email <input name="email" type="email" required />
      </label>{" "}
      <label>
        Password <input name="password" type="password" required />
      </label>{" "}
      <button type="submit" disabled={pending}>
        Sign in
      </button>
      {error ? <p role="alert">{error}</p> : null}
    </form>
  )
}
