import { useQuery } from "@tanstack/react-query"
import { useMemo } from "react"
import { personLabel } from "../../components/log/person-picker"
import type { Person } from "../../hooks/api/log"
import { apiFetch, ApiError } from "../../lib/api"
import { lacKeys } from "../../lib/query-keys"

/** Admins or customers by id, through Medusa's own list routes: their names as the pickers show them. */
function useNamesById(kind: "user" | "customer", ids: string[]) {
  return useQuery<Record<string, string>, ApiError>({
    queryKey: [...lacKeys.all, "people-by-id", kind, ids],
    queryFn: async () => {
      const answer = await apiFetch<Record<string, unknown>>(kind === "user" ? "/admin/users" : "/admin/customers", {
        query: {
          id: ids,
          limit: ids.length,
          fields: kind === "user" ? "id,email,first_name,last_name" : "id,email,first_name,last_name,company_name",
        },
      })
      const people = (answer[kind === "user" ? "users" : "customers"] ?? []) as Person[]
      return Object.fromEntries(people.map((person) => [person.id, personLabel(person)]))
    },
    enabled: ids.length > 0,
    staleTime: 60_000,
    retry: 1,
  })
}

/**
 * The names of the admins and customers a filter holds, by id: those picked
 * on the page are known already; those read from the address (a reload, Back,
 * a link) are looked up. One that can't be found (deleted) keeps its id.
 */
export function usePickedNames(picked: { user_id: string[]; customer_id: string[] }, known: Record<string, string>) {
  const users = useNamesById("user", picked.user_id.filter((id) => !(id in known)))
  const customers = useNamesById("customer", picked.customer_id.filter((id) => !(id in known)))
  return useMemo(() => ({ ...users.data, ...customers.data, ...known }), [users.data, customers.data, known])
}
