import { useQuery } from "@tanstack/react-query"
import { lacKeys } from "../lib/query-keys"
import { sdk } from "../lib/sdk"

/** The signed-in admin, as the query that reads them (its state tells whether their id is still coming). */
export function useCurrentUser() {
  return useQuery({
    queryKey: [...lacKeys.all, "me"],
    queryFn: () => sdk.admin.user.me(),
    staleTime: 5 * 60_000,
  })
}

/** The signed-in admin's id. */
export function useCurrentUserId(): string | undefined {
  return useCurrentUser().data?.user.id
}
