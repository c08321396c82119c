import { sql } from "../integration-tests/processes/client"

const ACTIONS = [
  "store_action", "store_action", "store_action", "store_action",
  "session_started", "session_ended", "ticket_issued", "order_placed",
  "assistance_updated", "login_denied", "settings_updated", "grant_updated",
]

/**
 * Writes `count` log rows in one statement, generated inside PostgreSQL: 20
 * admins, 5 000 customers, a row every ~30 s over a year, the action mix of a
 * busy store. Returns how long it took and values to filter on.
 */
export async function seedLog(database: string, count: number, real: { admins: string[]; customers: string[] }) {
  const t0 = Date.now()
  await sql(
    database,
    `insert into login_as_customer_log_entry
       (id, event_id, action, actor_type, actor_id, user_id, user_email, customer_id, customer_email, session_id, details, created_at, updated_at)
     select 'lacl_bench_' || g,
            'bench_' || g,
            ($2::text[])[1 + (g % array_length($2::text[], 1))],
            'user',
            'user_bench_' || (g % 20),
            'user_bench_' || (g % 20),
            'support' || (g % 20) || '@example.com',
            'cus_bench_' || (g % 5000),
            'shopper' || (g % 5000) || '@example.com',
            'lacs_bench_' || (g / 20),
            jsonb_build_object('method', 'POST', 'path', '/store/carts', 'status', 200, 'resource_ids', jsonb_build_array('cart_bench_' || g)),
            now() - make_interval(secs => (g * 31.5)::double precision),
            now() - make_interval(secs => (g * 31.5)::double precision)
       from generate_series(1, $1::int) g`,
    [count, ACTIONS]
  )
  await sql(database, "analyze login_as_customer_log_entry")
  const to = new Date(Date.now() - 100 * 86400_000)
  const from = new Date(to.getTime() - 7 * 86400_000)
  return {
    ms: Date.now() - t0,
    sample: {
      user_id: "user_bench_7",
      customer_id: "cus_bench_4242",
      from: from.toISOString(),
      to: to.toISOString(),
      text: "shopper4242@",
      real,
    },
  }
}
