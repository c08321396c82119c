import type { Context, ModulesSdkTypes } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { AssistanceActorType, RemoteAssistanceDTO } from "../../../types"
import type RemoteAssistance from "../models/remote-assistance"
import { BaseDependencies, InternalService, KeyedRecords } from "../utils/internal-service"
import { lockKey, ModuleManager } from "../utils/sql"

export type SetRemoteAssistanceInput = {
  customer_id: string
  allowed: boolean
  expires_at: Date | null
  updated_by_type: AssistanceActorType
  updated_by_id: string
}

type InjectedDependencies = BaseDependencies & {
  remoteAssistanceService: ModulesSdkTypes.IMedusaInternalService<typeof RemoteAssistance>
}

/** Customers' consent to remote shopping assistance: one record per customer. */
export class ConsentService extends InternalService {
  protected readonly records_: KeyedRecords<typeof RemoteAssistance, RemoteAssistanceDTO>

  constructor(dependencies: InjectedDependencies) {
    super(dependencies)
    this.records_ = new KeyedRecords(dependencies.remoteAssistanceService, dependencies.baseRepository)
  }

  @InjectManager()
  async getRemoteAssistance(
    customerId: string,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<RemoteAssistanceDTO | null> {
    return await this.records_.find({ customer_id: customerId }, sharedContext)
  }

  @InjectManager()
  async setRemoteAssistance(
    input: SetRemoteAssistanceInput,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<{ previous: RemoteAssistanceDTO | null; current: RemoteAssistanceDTO }> {
    return await this.setRemoteAssistance_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async setRemoteAssistance_(
    input: SetRemoteAssistanceInput,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<{ previous: RemoteAssistanceDTO | null; current: RemoteAssistanceDTO }> {
    const key = { customer_id: input.customer_id }
    await lockKey(sharedContext, `consent:${input.customer_id}`)
    const previous = await this.records_.find(key, sharedContext)
    const current = await this.records_.save(
      previous,
      key,
      {
        allowed: input.allowed,
        expires_at: input.allowed ? input.expires_at : null,
        updated_by_type: input.updated_by_type,
        updated_by_id: input.updated_by_id,
      },
      sharedContext
    )
    return { previous, current }
  }
}
