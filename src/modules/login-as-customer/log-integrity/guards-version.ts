import { toIso } from "../../../lib/dates"
import type { Sql } from "./checkpoint"
import { GUARDED_TABLES } from "./guards"

/**
 * The version of what keeps the log append-only, as the database's catalog
 * holds it: the md5 over, for each of the log's tables, whether its
 * triggers, rules and row level security are on (`relhastriggers`,
 * `relhasrules`, `relrowsecurity`, `relforcerowsecurity`); every trigger on
 * it (the plugin's and any other) and its function; every rule and policy
 * on it; every table inheriting it; its constraints and indexes (a check
 * can make failing verification records fail to be written; a unique
 * index made again with an operator class of one's own makes the writer's
 * insert loop); its columns; its row type and its
 * schema (renaming a table, or moving it to another schema, renames its
 * row type; renaming the schema rewrites its row: the plugin's trigger
 * functions find the tables by schema and name, so a table put in one's
 * place for a moment would answer them); and PostgreSQL's own functions
 * (`pg_catalog`, which a superuser can replace: `now()`, `sha256()`, …),
 * its operators, operator classes and families and their operators and
 * functions (a superuser's edit of `pg_opclass` once made erasure's rule
 * take any row), its types (each type's send and output functions) and
 * every cast, its aggregates (`max` picks the newest tombstone), the
 * procedural languages (a superuser who points plpgsql's call handler at
 * another function switches every one of the log's triggers off without
 * touching them: a cold review rewrote and deleted lines so, and put it
 * back) and the access methods, and the columns' defaults. Triggers
 * PostgreSQL marks internal are in it too (a superuser can mark one so).
 * Each catalog row by its oid
 * and the transaction that wrote it (`xmin`), so any change to one gives
 * another version, even one undone in the same transaction: `DISABLE
 * TRIGGER` then `ENABLE TRIGGER`, a function replaced and put back, a
 * trigger dropped and made again, a table renamed and back, a column's
 * values rewritten by `ALTER COLUMN … TYPE … USING`. Each seal keeps it in
 * its checkpoint (`guards_digest`, covered by the digest and signature), so
 * verification names the seals between which it changed. Some maintenance
 * writes those rows too: a `GRANT` or `REVOKE` on the trigger functions or
 * on single columns or on the schema, `ALTER COLUMN … SET STATISTICS`,
 * `ALTER TABLE … OWNER TO`, an index made or made again (`CREATE INDEX`,
 * `REINDEX CONCURRENTLY`; a plain `REINDEX` keeps the index's row),
 * `CLUSTER`, and the tables' own `pg_class` rows: their `xmin` too, since a
 * superuser who set `relhastriggers` false and back in one transaction
 * switched every trigger of a table off and left its values as they were
 * (a cold review rewrote an unsealed line so); PostgreSQL rewrites those
 * rows for some maintenance as well (`VACUUM FULL`, `CLUSTER`, a `GRANT`
 * on the table, `ALTER TABLE`), not for `VACUUM`, `ANALYZE` or the
 * statistics it keeps in place. Every function and
 * operator it uses is named with its schema, so none the database's owner
 * adds elsewhere on the search path computes it instead.
 */
const CATALOG_FAMILIES = `select f."oid" from pg_catalog.pg_opfamily f where f."opfnamespace" operator(pg_catalog.=) 'pg_catalog'::regnamespace`

const GUARDS_VERSION_SQL = `
  with "tables" as (
    select c."oid", c."xmin", c."relname", c."reltype", c."relnamespace", c."relhastriggers", c."relhasrules", c."relrowsecurity", c."relforcerowsecurity"
      from pg_catalog.unnest(?::text[]) as g("table")
      join pg_catalog.pg_class c on c."oid" operator(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.quote_ident(g."table")))
  select pg_catalog.md5(coalesce(pg_catalog.string_agg("v", ';' order by "v"), '')) as "version"
    from (
      select pg_catalog.concat_ws(':', 'c', t."relname", t."oid", t."xmin", t."relhastriggers", t."relhasrules", t."relrowsecurity", t."relforcerowsecurity") as "v"
        from "tables" t
      union all
      select pg_catalog.concat_ws(':', 'n', n."oid", n."xmin")
        from (select distinct "relnamespace" from "tables") t join pg_catalog.pg_namespace n on n."oid" operator(pg_catalog.=) t."relnamespace"
      union all
      select pg_catalog.concat_ws(':', 'b', pg_catalog.md5(pg_catalog.string_agg(pg_catalog.concat_ws(':', b."oid", b."xmin"), ',' order by b."oid")))
        from pg_catalog.pg_proc b where b."pronamespace" operator(pg_catalog.=) 'pg_catalog'::regnamespace
      union all
      select pg_catalog.concat_ws(':', 'o', pg_catalog.md5(pg_catalog.string_agg(o."v", ',' order by o."v")))
        from (select pg_catalog.concat_ws(':', 'op', p."oid", p."xmin") from pg_catalog.pg_operator p
               where p."oprnamespace" operator(pg_catalog.=) 'pg_catalog'::regnamespace
              union all
              select pg_catalog.concat_ws(':', 'oc', p."oid", p."xmin") from pg_catalog.pg_opclass p
               where p."opcnamespace" operator(pg_catalog.=) 'pg_catalog'::regnamespace
              union all
              select pg_catalog.concat_ws(':', 'of', p."oid", p."xmin") from pg_catalog.pg_opfamily p
               where p."opfnamespace" operator(pg_catalog.=) 'pg_catalog'::regnamespace
              union all
              select pg_catalog.concat_ws(':', 'ao', p."oid", p."xmin") from pg_catalog.pg_amop p
               where p."amopfamily" operator(pg_catalog.=) any(array(${CATALOG_FAMILIES}))
              union all
              select pg_catalog.concat_ws(':', 'ap', p."oid", p."xmin") from pg_catalog.pg_amproc p
               where p."amprocfamily" operator(pg_catalog.=) any(array(${CATALOG_FAMILIES}))
              union all
              select pg_catalog.concat_ws(':', 'ty', p."oid", p."xmin") from pg_catalog.pg_type p
               where p."typnamespace" operator(pg_catalog.=) 'pg_catalog'::regnamespace
              union all
              select pg_catalog.concat_ws(':', 'ca', p."oid", p."xmin") from pg_catalog.pg_cast p
              union all
              select pg_catalog.concat_ws(':', 'la', p."oid", p."xmin") from pg_catalog.pg_language p
              union all
              select pg_catalog.concat_ws(':', 'am', p."oid", p."xmin") from pg_catalog.pg_am p
              union all
              select pg_catalog.concat_ws(':', 'ag', p."aggfnoid"::pg_catalog.oid, p."xmin") from pg_catalog.pg_aggregate p
               join pg_catalog.pg_proc f on f."oid" operator(pg_catalog.=) p."aggfnoid"
               where f."pronamespace" operator(pg_catalog.=) 'pg_catalog'::regnamespace) o("v")
      union all
      select pg_catalog.concat_ws(':', 'd', d."adrelid", d."oid", d."xmin")
        from "tables" t join pg_catalog.pg_attrdef d on d."adrelid" operator(pg_catalog.=) t."oid"
      union all
      select pg_catalog.concat_ws(':', 'y', ty."oid", ty."xmin")
        from "tables" t join pg_catalog.pg_type ty on ty."oid" operator(pg_catalog.=) t."reltype"
      union all
      select pg_catalog.concat_ws(':', 't', tg."tgrelid", tg."oid", tg."xmin", p."oid", p."xmin")
        from "tables" t
        join pg_catalog.pg_trigger tg on tg."tgrelid" operator(pg_catalog.=) t."oid"
        join pg_catalog.pg_proc p on p."oid" operator(pg_catalog.=) tg."tgfoid"
      union all
      select pg_catalog.concat_ws(':', 'r', r."ev_class", r."oid", r."xmin")
        from "tables" t join pg_catalog.pg_rewrite r on r."ev_class" operator(pg_catalog.=) t."oid"
      union all
      select pg_catalog.concat_ws(':', 'p', p."polrelid", p."oid", p."xmin")
        from "tables" t join pg_catalog.pg_policy p on p."polrelid" operator(pg_catalog.=) t."oid"
      union all
      select pg_catalog.concat_ws(':', 'i', i."inhparent", i."inhrelid", i."xmin")
        from "tables" t join pg_catalog.pg_inherits i on i."inhparent" operator(pg_catalog.=) t."oid"
      union all
      select pg_catalog.concat_ws(':', 'k', k."conrelid", k."oid", k."xmin")
        from "tables" t join pg_catalog.pg_constraint k on k."conrelid" operator(pg_catalog.=) t."oid"
      union all
      select pg_catalog.concat_ws(':', 'x', x."indrelid", x."indexrelid", x."xmin")
        from "tables" t join pg_catalog.pg_index x on x."indrelid" operator(pg_catalog.=) t."oid"
      union all
      select pg_catalog.concat_ws(':', 'a', a."attrelid", a."attnum", a."xmin")
        from "tables" t join pg_catalog.pg_attribute a on a."attrelid" operator(pg_catalog.=) t."oid"
       where a."attnum" operator(pg_catalog.>) 0
    ) x`

/** The catalog's version of the log's guards now (GUARDS_VERSION_SQL). */
export async function guardsVersion(sql: Sql): Promise<string> {
  const { rows } = await sql.raw(GUARDS_VERSION_SQL, [GUARDED_TABLES])
  return rows[0].version as string
}

/**
 * Between two seals, the log's triggers, their functions, its rules or its
 * columns were written in the catalog: switched off, replaced or altered,
 * even if put back before the second seal. Lines not sealed at the time
 * may have been removed or rewritten with nothing refusing it. A plugin
 * upgrade whose migration changes them shows here too.
 * `checkpoint` is the first seal that saw the new version (null: none has
 * yet, it changed after the newest seal), `after` and `before` the times
 * the two seals were written (before: null when none has since).
 */
export type GuardsRewrite = { checkpoint: number | null; after: string | null; before: string | null }

/** The most rewrites a verification lists. */
const MOST = 100

/** Follows a walk of the chain's seals, in order, and lists where their guards' version changed. */
export class GuardsRewrites {
  readonly list: GuardsRewrite[] = []
  private last: { digest: string | null; at: string | null } | null = null

  see(checkpoint: { kind: string; seq: string; guards_digest?: string | null; sealed_at?: Date | string | null }): void {
    if (checkpoint.kind !== "seal") {
      return
    }
    const at = checkpoint.sealed_at == null ? null : toIso(checkpoint.sealed_at)
    const digest = checkpoint.guards_digest ?? null
    if (this.last?.digest && digest && digest !== this.last.digest && this.list.length < MOST) {
      this.list.push({ checkpoint: Number(checkpoint.seq), after: this.last.at, before: at })
    }
    this.last = { digest, at }
  }

  /** After a whole walk: whether they changed since the newest seal. */
  async sinceNewest(sql: Sql): Promise<void> {
    if (this.last?.digest && this.list.length < MOST && (await guardsVersion(sql)) !== this.last.digest) {
      this.list.push({ checkpoint: null, after: this.last.at, before: null })
    }
  }
}
