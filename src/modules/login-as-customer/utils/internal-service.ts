import type { Context, DAL, ModulesSdkTypes } from "@medusajs/framework/types"
import type { ModuleManager } from "./sql"

export type BaseDependencies = { baseRepository: DAL.RepositoryService }

/**
 * What every internal service of the module holds: the repository that
 * `@InjectManager` and `@InjectTransactionManager` open managers on.
 */
export abstract class InternalService {
  protected readonly baseRepository_: DAL.RepositoryService

  constructor({ baseRepository }: BaseDependencies) {
    this.baseRepository_ = baseRepository
  }
}

/**
 * Records kept one per key (a customer's consent, an admin's grant), read
 * and written as plain DTOs; callers hold the key's lock around a change.
 */
export class KeyedRecords<TModel extends object, TDTO extends { id: string }> {
  constructor(
    protected readonly rows_: ModulesSdkTypes.IMedusaInternalService<TModel>,
    protected readonly baseRepository_: DAL.RepositoryService
  ) {}

  async find(filter: Record<string, string>, sharedContext: Context<ModuleManager>): Promise<TDTO | null> {
    const [row] = await this.rows_.list(filter, { take: 1 }, sharedContext)
    return row ? await this.baseRepository_.serialize<TDTO>(row) : null
  }

  /** Updates `previous` with `data`, or creates the record from `key` and `data`; returns it re-read (with the database's timestamps). */
  async save(
    previous: TDTO | null,
    key: Record<string, string>,
    data: Record<string, unknown>,
    sharedContext: Context<ModuleManager>
  ): Promise<TDTO> {
    if (previous) {
      await this.rows_.update({ id: previous.id, ...data }, sharedContext)
    } else {
      await this.rows_.create({ ...key, ...data }, sharedContext)
    }
    return (await this.find(key, sharedContext))!
  }
}
