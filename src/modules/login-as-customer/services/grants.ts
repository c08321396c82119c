import type { Context, DAL, ModulesSdkTypes } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { AdminGrantDTO } from "../../../types"
import type AdminGrant from "../models/admin-grant"
import { lockKey, ModuleManager } from "../utils/sql"

export type SetAdminGrantInput = { user_id: string; can_login?: boolean; can_view_log?: boolean }

type InjectedDependencies = {
  baseRepository: DAL.RepositoryService
  loginAsCustomerAdminGrantService: ModulesSdkTypes.IMedusaInternalService<typeof AdminGrant>
}

/** Per-admin grants, used when Medusa's RBAC is off and access is `selected_admins`. */
export class GrantService {
  protected readonly baseRepository_: DAL.RepositoryService
  protected readonly rows_: ModulesSdkTypes.IMedusaInternalService<typeof AdminGrant>

  constructor({ baseRepository, loginAsCustomerAdminGrantService }: InjectedDependencies) {
    this.baseRepository_ = baseRepository
    this.rows_ = loginAsCustomerAdminGrantService
  }

  @InjectManager()
  async setAdminGrant(
    input: SetAdminGrantInput,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<{ previous: AdminGrantDTO | null; current: AdminGrantDTO }> {
    return await this.setAdminGrant_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async setAdminGrant_(
    input: SetAdminGrantInput,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<{ previous: AdminGrantDTO | null; current: AdminGrantDTO }> {
    await lockKey(sharedContext, `grant:${input.user_id}`)
    const previous = await this.read_({ user_id: input.user_id }, sharedContext)
    const data = {
      can_login: input.can_login ?? previous?.can_login ?? false,
      can_view_log: input.can_view_log ?? previous?.can_view_log ?? false,
    }
    const written = previous
      ? await this.rows_.update({ id: previous.id, ...data }, sharedContext)
      : await this.rows_.create({ user_id: input.user_id, ...data }, sharedContext)
    const current = await this.read_({ id: written.id }, sharedContext)
    return { previous, current: current! }
  }

  protected async read_(
    filter: { id: string } | { user_id: string },
    sharedContext: Context<ModuleManager>
  ): Promise<AdminGrantDTO | null> {
    const [row] = await this.rows_.list(filter, { take: 1 }, sharedContext)
    return row ? await this.baseRepository_.serialize<AdminGrantDTO>(row) : null
  }
}
