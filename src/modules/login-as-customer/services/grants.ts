import type { Context, ModulesSdkTypes } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { AdminGrantDTO } from "../../../types"
import type AdminGrant from "../models/admin-grant"
import { BaseDependencies, InternalService, KeyedRecords } from "../utils/internal-service"
import { lockKey, ModuleManager } from "../utils/sql"

export type SetAdminGrantInput = { user_id: string; can_login?: boolean; can_view_log?: boolean }

type InjectedDependencies = BaseDependencies & {
  loginAsCustomerAdminGrantService: ModulesSdkTypes.IMedusaInternalService<typeof AdminGrant>
}

/** Per-admin grants, used when Medusa's RBAC is off and access is `selected_admins`. */
export class GrantService extends InternalService {
  protected readonly records_: KeyedRecords<typeof AdminGrant, AdminGrantDTO>

  constructor(dependencies: InjectedDependencies) {
    super(dependencies)
    this.records_ = new KeyedRecords(dependencies.loginAsCustomerAdminGrantService, dependencies.baseRepository)
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
    const key = { user_id: input.user_id }
    await lockKey(sharedContext, `grant:${input.user_id}`)
    const previous = await this.records_.find(key, sharedContext)
    const current = await this.records_.save(
      previous,
      key,
      {
        can_login: input.can_login ?? previous?.can_login ?? false,
        can_view_log: input.can_view_log ?? previous?.can_view_log ?? false,
      },
      sharedContext
    )
    return { previous, current }
  }
}
