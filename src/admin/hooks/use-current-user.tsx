import { useQuery } from "@tanstack/react-query"
import { lacKeys } from "../lib/query-keys"
import { sdk } from "../lib/sdk"

/** The signed-in admin's id. */
export function useCurrentUserId(): string | undefined {
  const { data } = useQuery({
    queryKey: [...lacKeys.all, "me"],
    queryFn: () => sdk.admin.user.me(),
    staleTime: 5 * 60_000,
  })
  return data?.user.id
}
