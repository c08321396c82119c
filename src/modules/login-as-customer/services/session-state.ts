import type { Context } from "@medusajs/framework/types"
import type { RemoteAssistanceDTO, SessionDTO, SettingsDTO } from "../../../types"
import { SETTINGS_ID, SettingsRow } from "../utils/settings"
import type { ModuleManager } from "../utils/sql"
import { resolveLogKey } from "../log-integrity/key"
import { APP_SESSION_ID, keyedEndEventId } from "./sessions"
import type { SettingsService } from "./settings"

export type SessionState = {
  session: SessionDTO
  consent: RemoteAssistanceDTO | null
  settings: SettingsDTO
  grant: { can_login: boolean; can_view_log: boolean } | null
  /** Whether the log holds the session's own `session_ended` line (under its keyed id; always false without the log's key). */
  end_logged: boolean
}

type StateRow = {
  session: SessionDTO
  consent: RemoteAssistanceDTO | null
  settings: SettingsRow | null
  admin_grant: { can_login: boolean; can_view_log: boolean } | null
  end_logged: boolean
}

type InjectedDependencies = {
  /** The module's entity manager (registered by Medusa's connection loader). */
  manager: ModuleManager
  settingsService: SettingsService
}

const STATE_SQL = `select row_to_json(s.*) as session,
        row_to_json(ra.*) as consent,
        row_to_json(st.*) as settings,
        row_to_json(g.*) as admin_grant,
        exists (select 1 from "login_as_customer_log_entry" e where e."event_id" = ? and e."deleted_at" is null) as end_logged
   from "login_as_customer_session" s
   left join "login_as_customer_remote_assistance" ra
     on ra."customer_id" = s."customer_id" and ra."deleted_at" is null
   left join "login_as_customer_settings" st
     on st."id" = ? and st."deleted_at" is null
   left join "login_as_customer_admin_grant" g
     on g."user_id" = s."user_id" and g."deleted_at" is null
  where s."id" = ? and s."deleted_at" is null and s."id" ~ '${APP_SESSION_ID}'`

/**
 * The read model of a session in progress: what it takes to decide whether
 * it may go on, read on every store request the session makes.
 */
export class SessionStateService {
  protected readonly manager_: ModuleManager
  protected readonly settings_: SettingsService

  constructor({ manager, settingsService }: InjectedDependencies) {
    this.manager_ = manager
    this.settings_ = settingsService
  }

  /**
   * The session, the customer's consent, the settings in force and the
   * admin's grant, in one query of the module's own tables (one round trip).
   * Whether the admin still exists is the user module's to say.
   */
  async getSessionState(sessionId: string, sharedContext: Context<ModuleManager> = {}): Promise<SessionState | null> {
    // With the key only: without it anyone who can insert could write a
    // session's end line first, and it would stand for the app's.
    const key = resolveLogKey(this.settings_.getOptions()?.log_key)
    const params = [key ? keyedEndEventId(key, sessionId) : null, SETTINGS_ID, sessionId]
    const manager = sharedContext.transactionManager ?? sharedContext.manager
    // Without a caller's transaction, straight to the connection pool: no
    // entity manager is forked for a read that runs on every request.
    const rows = manager
      ? await manager.execute<StateRow[]>(STATE_SQL, params)
      : (await this.manager_.getKnex().raw<{ rows: StateRow[] }>(STATE_SQL, params)).rows
    const row = rows[0]
    if (!row) {
      return null
    }
    return {
      session: row.session,
      consent: row.consent,
      settings: this.settings_.toSettingsDTO(row.settings),
      grant: row.admin_grant,
      end_logged: row.end_logged === true,
    }
  }
}
