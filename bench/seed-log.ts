import { sql } from "../integration-tests/processes/client"

/** The action mix of a busy store: mostly store actions, every action present. */
const ACTIONS = [
  "store_action", "store_action", "store_action", "store_action",
  "session_started", "session_ended", "ticket_issued", "order_placed",
  "assistance_updated", "login_denied", "settings_updated", "grant_updated",
]
const PATHS = ["/store/carts", "/store/carts/{id}/line-items", "/store/customers/me/addresses", "/store/carts/{id}/complete"]
const TABLE = "login_as_customer_log_entry"
const FIRST = ["olivia", "liam", "emma", "noah", "amelia", "oliver", "ava", "elijah", "sophia", "lucas", "mia", "levi", "isabella", "mateo", "luna", "ezra", "harper", "asher", "evelyn", "james", "aurora", "leo", "ella", "jack", "nora", "owen", "zoe", "hugo", "lea", "jonas", "anna", "paul", "ines", "tomas", "sara", "ivan", "maja", "felix", "ida", "karl"]
const LAST = ["smith", "garcia", "muller", "rossi", "dubois", "nowak", "jensen", "silva", "kowalski", "novak", "horvat", "murphy", "schmidt", "martin", "lopez", "bernard", "ferrari", "janssen", "peeters", "larsen", "nielsen", "andersson", "virtanen", "popescu", "ivanova", "papadopoulos", "yilmaz", "kim", "tanaka", "chen", "wang", "singh", "khan", "ali", "cohen", "levi", "brown", "taylor", "wilson", "walker"]
const DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "web.de", "orange.fr"]

/**
 * Writes `count` log rows generated inside PostgreSQL in one statement: 20
 * admins, 5 000 customers, a session every 20 rows, a row every ~31 s over a
 * year, the action mix of a busy store, details as the guard writes them.
 * Like any bulk load, it drops the table's secondary indexes first and builds
 * them again afterwards (the same definitions, read from the catalog), then
 * VACUUMs and ANALYZEs. Returns how long it took and values to filter on.
 */
export type SeededLog = Awaited<ReturnType<typeof seedLog>>

export async function seedLog(database: string, count: number) {
  const t0 = Date.now()
  const indexes = await sql<{ name: string; definition: string }>(
    database,
    `select i.indexname as name, i.indexdef as definition
       from pg_indexes i
      where i.tablename = $1
        and i.indexname not in (select conname from pg_constraint where conrelid = $1::regclass)`,
    [TABLE]
  )
  for (const index of indexes) await sql(database, `drop index "${index.name}"`)
  // Two statements at once, each a half of the rows: the insert trigger
  // (which stamps and hashes each row) is most of the time, one core each.
  const half = Math.ceil(count / 2)
  const insert = (from: number, to: number) => sql(
    database,
    `insert into ${TABLE}
       (id, event_id, action, actor_type, actor_id, user_id, user_email, customer_id, customer_email, session_id, details, created_at, updated_at)
     select 'lacl_bench' || lpad(g::text, 20, '0'),
            'lacev_bench' || lpad(g::text, 20, '0'),
            a.action,
            case when a.action in ('assistance_updated') and g % 2 = 0 then 'customer' else 'user' end,
            'user_bench' || (g % 20),
            'user_bench' || (g % 20),
            ($4::text[])[1 + (g % 20)] || '.' || ($5::text[])[1 + (g % 20) * 2] || '@shop.example',
            'cus_bench' || (g % 5000),
            ($4::text[])[1 + (g % 5000) % 40] || '.' || ($5::text[])[1 + ((g % 5000) / 40) % 40] || (g % 5000) || '@' || ($6::text[])[1 + (g % 5000) % 7],
            'lacs_bench' || (g / 20),
            case when a.action = 'store_action'
                 then jsonb_build_object('method', 'POST', 'path', replace(($3::text[])[1 + (g % 4)], '{id}', 'cart_bench' || (g / 20)),
                                         'status', 200, 'resource_ids', jsonb_build_array('cart_bench' || (g / 20)))
                 else jsonb_build_object('storefront_id', 'web', 'reason', 'Customer asked for help by phone') end,
            t.at,
            t.at
       from generate_series($7::int, $1::int) g
       cross join lateral (select ($2::text[])[1 + (g % array_length($2::text[], 1))] as action) a
       cross join lateral (select now() - make_interval(secs => (g * 31.5)::double precision) as at) t`,
    [to, ACTIONS, PATHS, FIRST, LAST, DOMAINS, from]
  )
  await Promise.all([insert(1, half), ...(half < count ? [insert(half + 1, count)] : [])])
  for (const index of indexes) await sql(database, index.definition)
  // A log that grew over months has been vacuumed by autovacuum (its
  // visibility map lets counts read the indexes alone); a bulk load hasn't,
  // and autovacuum would do it in the middle of the measurements.
  await sql(database, `vacuum (analyze) ${TABLE}`)
  // A support agent searching for a customer types part of the email.
  const [{ email }] = await sql<{ email: string }>(database, `select customer_email as email from ${TABLE} where customer_id = 'cus_bench4242' limit 1`)
  const to = new Date(Date.now() - 100 * 86400_000)
  const from = new Date(to.getTime() - 7 * 86400_000)
  return {
    ms: Date.now() - t0,
    indexes: indexes.length,
    sample: {
      user_id: "user_bench7",
      customer_id: "cus_bench4242",
      action: "order_placed",
      from: from.toISOString(),
      to: to.toISOString(),
      text: email.slice(0, email.indexOf("@") + 1),
      // An action's name: a text in a third of the lines.
      common: "store_action",
    },
  }
}

/** The log's size on disk: the table (with its TOAST), the trigram index, the other indexes together. */
export async function logSizes(database: string) {
  const [size] = await sql<{ table: string; trgm: string; other: string; count: string }>(
    database,
    `select pg_catalog.pg_table_size($1::regclass) as "table",
            coalesce(sum(pg_catalog.pg_relation_size(i.indexrelid)) filter (where c.relname like '%search_trgm'), 0) as "trgm",
            coalesce(sum(pg_catalog.pg_relation_size(i.indexrelid)) filter (where c.relname not like '%search_trgm'), 0) as "other",
            count(*) filter (where c.relname not like '%search_trgm') as "count"
       from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = $1::regclass`,
    [TABLE]
  )
  const mb = (bytes: string) => `${Math.round(Number(bytes) / 2 ** 20).toLocaleString("en")} MB`
  return {
    measure: `size on disk: the log table / its trigram index / its ${size.count} other indexes together`,
    baseline: "",
    plugin: `${mb(size.table)} / ${mb(size.trgm)} / ${mb(size.other)}`,
    ratio: null,
    target: "",
    pass: true,
  }
}
