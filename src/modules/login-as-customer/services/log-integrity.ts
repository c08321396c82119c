import { MedusaError } from "@medusajs/framework/utils"
import type { PluginOptions } from "../options"
import {
  SealedCheckpoint,
  eraseCustomerFromLog,
  ErasureBy,
  getLogHealth,
  KeptCheckpoint,
  LogHealth,
  LogKey,
  purgeLog,
  PurgeResult,
  resolveLogKey,
  sealLog,
  SqlWithTransactions,
  verifyAndRecord,
  verifyLog,
  VerifyResult,
} from "../log-integrity"
import { layoutChange } from "../log-integrity/layout"
import { LOG_TABLE } from "../log-integrity/sql"
import type { ModuleManager } from "../utils/sql"
import { FlightState, PooledSql, VerificationFlights } from "./log-verify-flights"
import { verificationLockTimeoutMs, withLockTimeout } from "./log-verify-sql"

type InjectedDependencies = {
  /** The module's entity manager (registered by Medusa's connection loader). */
  manager: ModuleManager
  loginAsCustomerOptions: PluginOptions
}

/**
 * The log's integrity: seals, verification, retention and erasure, on the
 * module's own connection, with the signing key from the options
 * (`log_key`) or LOGIN_AS_CUSTOMER_LOG_KEY.
 */
export class LogIntegrityService {
  protected readonly manager_: ModuleManager
  protected readonly options_: PluginOptions
  /** Verifications in flight, one per kind: callers that come meanwhile join it. */
  protected readonly verifications_ = new VerificationFlights(() => this.manager_.getKnex() as unknown as PooledSql)

  constructor({ manager, loginAsCustomerOptions }: InjectedDependencies) {
    this.manager_ = manager
    this.options_ = loginAsCustomerOptions
  }

  protected knex_(): SqlWithTransactions {
    return this.manager_.getKnex() as unknown as SqlWithTransactions
  }

  /** The signing key, read at each call (null: unsigned). */
  key(): LogKey | null {
    return resolveLogKey(this.options_?.log_key)
  }

  async seal(): Promise<SealedCheckpoint | null> {
    // Tables whose columns changed are said plainly (the seal job logs it), not as the SQL error sealing them would give.
    const change = await layoutChange(this.knex_())
    if (change) {
      throw new Error(`the Login as Customer log can't be sealed: ${change}`)
    }
    return await sealLog(this.knex_(), this.key())
  }

  /**
   * Verifies the chain; `record` keeps the answer as the last verification,
   * `full` recomputes every line (not only those rewritten since their insert).
   */
  async verify({
    record = true,
    full = false,
    anchor = null,
  }: { record?: boolean; full?: boolean; anchor?: KeptCheckpoint | null } = {}): Promise<VerifyResult> {
    // One recompute of a kind at a time: callers meanwhile get its answer (services/log-verify-flights.ts);
    // callers who kept different checkpoints ask different questions.
    const mode = full ? "full" : "quick"
    const kind = `${mode}${record ? "" : ":unrecorded"}${anchor ? `:${anchor.seq}:${anchor.digest.toLowerCase()}` : ""}`
    return await this.verifications_.run(kind, mode, async () => {
      // A session holding the log's tables ends the verification with LogLockedError instead of holding it.
      const sql = withLockTimeout(this.manager_.getKnex() as unknown as PooledSql, verificationLockTimeoutMs())
      return record ? await verifyAndRecord(sql, this.key(), { full, anchor }) : await verifyLog(sql, this.key(), { full, anchor })
    })
  }

  /** The verifications in flight in this process: kind, callers waiting on it, whether it waits for another process's. */
  verificationsInFlight(): FlightState[] {
    return this.verifications_.state()
  }

  async purge(retentionDays: number | null): Promise<PurgeResult> {
    return await purgeLog(this.knex_(), this.key(), retentionDays)
  }

  /** Erases a customer's personal data from the log and records it, signed with the key (erase.ts). */
  async eraseCustomer(customerId: string, by: ErasureBy): Promise<{ pseudonym: string; erased_lines: number }> {
    return await eraseCustomerFromLog(this.knex_(), customerId, this.key(), by)
  }

  /**
   * How many lines about a customer erasure would still change: lines not
   * erased yet (they keep their salt), other than the record of an erasure,
   * which holds only the pseudonym.
   */
  async countErasableLines(customerId: string): Promise<number> {
    const { rows } = await this.knex_().raw(
      `select count(*)::int as "count" from ${LOG_TABLE}
        where "customer_id" = ? and "pii_salt" is not null and "action" <> 'personal_data_erased'`,
      [customerId]
    )
    return rows[0]?.count ?? 0
  }

  async health(): Promise<LogHealth> {
    return await getLogHealth(this.knex_(), this.key()).catch(async (error: unknown) => {
      // Tables whose columns changed: said plainly (500 unexpected_state), not as an unknown error.
      const change = await layoutChange(this.knex_()).catch(() => null)
      throw change ? new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `The log's health can't be read: ${change}`) : error
    })
  }
}
