import { useQuery } from "@tanstack/react-query"
import { lacKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"

/** The store's sales channels (id and name), for the storefront settings' picker. */
export function useSalesChannels() {
  return useQuery({
    queryKey: [...lacKeys.all, "sales-channels"],
    queryFn: () => sdk.admin.salesChannel.list({ limit: 1000, fields: "id,name" }),
  })
}
