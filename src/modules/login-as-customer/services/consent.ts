import type { Context, DAL, ModulesSdkTypes } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { AssistanceActorType, RemoteAssistanceDTO } from "../../../types"
import type RemoteAssistance from "../models/remote-assistance"
import { lockKey, ModuleManager } from "../utils/sql"

export type SetRemoteAssistanceInput = {
  customer_id: string
  allowed: boolean
  expires_at: Date | null
  updated_by_type: AssistanceActorType
  updated_by_id: string
}

type InjectedDependencies = {
  baseRepository: DAL.RepositoryService
  remoteAssistanceService: ModulesSdkTypes.IMedusaInternalService<typeof RemoteAssistance>
}

/** Customers' consent to remote shopping assistance: one record per customer. */
export class ConsentService {
  protected readonly baseRepository_: DAL.RepositoryService
  protected readonly rows_: ModulesSdkTypes.IMedusaInternalService<typeof RemoteAssistance>

  constructor({ baseRepository, remoteAssistanceService }: InjectedDependencies) {
    this.baseRepository_ = baseRepository
    this.rows_ = remoteAssistanceService
  }

  @InjectManager()
  async getRemoteAssistance(
    customerId: string,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<RemoteAssistanceDTO | null> {
    return await this.read_({ customer_id: customerId }, sharedContext)
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
    await lockKey(sharedContext, `consent:${input.customer_id}`)
    const previous = await this.read_({ customer_id: input.customer_id }, sharedContext)
    const data = {
      allowed: input.allowed,
      expires_at: input.allowed ? input.expires_at : null,
      updated_by_type: input.updated_by_type,
      updated_by_id: input.updated_by_id,
    }
    const written = previous
      ? await this.rows_.update({ id: previous.id, ...data }, sharedContext)
      : await this.rows_.create({ customer_id: input.customer_id, ...data }, sharedContext)
    // Re-read so database defaults (timestamps) are in what callers get back.
    const current = await this.read_({ id: written.id }, sharedContext)
    return { previous, current: current! }
  }

  protected async read_(
    filter: { id: string } | { customer_id: string },
    sharedContext: Context<ModuleManager>
  ): Promise<RemoteAssistanceDTO | null> {
    const [row] = await this.rows_.list(filter, { take: 1 }, sharedContext)
    return row ? await this.baseRepository_.serialize<RemoteAssistanceDTO>(row) : null
  }
}
