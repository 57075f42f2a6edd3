/** What route modules get: shared state, resolved options and the clock. */
import type { EmulatorUser } from './access.js'
import type { FaultInjector } from './faults.js'
import type { ConversationStore } from './genie/conversations.js'
import type { EvalStore } from './genie/evals.js'
import type { Limits } from './limits.js'
import type { QuestionLimiter } from './ratelimit.js'
import type { SqlEngine } from './sql/engine.js'
import type { StatementStore } from './statements.js'
import type { EmulatorState } from './state.js'
import type { CatalogState, WarehouseState } from './catalog.js'

export interface AuthOptions {
  /**
   * If set, only these bearer tokens (plus tokens issued by /oidc/v1/token, until they expire)
   * are accepted. If unset, any non-empty bearer token is accepted.
   */
  tokens?: string[]
  /** If set, client_credentials must use exactly this client id / secret. */
  clientId?: string
  clientSecret?: string
  /** If set, token exchange requires a JWT whose `aud` claim contains this value. */
  oidcAudience?: string
  /**
   * Tokens that belong to other users (token → user): they are accepted (also with `tokens` set)
   * and held to the spaces' grants (access.ts). Every other token is the emulator's own user, an admin.
   */
  users?: Record<string, EmulatorUser>
}

export interface Behaviour {
  /** Status for a create/move into a folder that does not exist (genie-api.md: 404 or 400 by backend version). */
  missingParentStatus: 404 | 400
  /** Status for an unknown or trashed space (genie-api.md: "may answer 403 rather than 404 (unconfirmed)"). */
  missingSpaceStatus: 404 | 403
  /** 'as-given': parent_path is returned as sent; 'strip-workspace': returned without the /Workspace prefix. */
  parentPathStyle: 'as-given' | 'strip-workspace'
  /** See DocumentOptions.rejectV1FlagsInV2. */
  rejectV1FlagsInV2: boolean
}

export interface RouteEnv {
  state: EmulatorState
  faults: FaultInjector
  limits: Limits
  behaviour: Behaviour
  auth: AuthOptions
  clock: () => number
  seed: number
  /** The embedded SQL warehouse (DuckDB, loaded on first use). */
  sql: SqlEngine
  statements: StatementStore
  conversations: ConversationStore
  evals: EvalStore
  questions: QuestionLimiter
  /** Questions per rolling minute when the fault configuration does not override it (0 = no limit). */
  questionsPerMinute: number
  /** Jaccard threshold of the answer engine (genie/answer.ts). */
  answerMatchThreshold: number
  /** Unity Catalog as the tests set it up (routes/unity-catalog.ts); tables themselves come from the SQL engine. */
  catalog: CatalogState
  /** The workspace's SQL warehouses (routes/warehouses.ts). */
  warehouses: WarehouseState
  /** True once close() has been called: long waits stop early. */
  stopping(): boolean
  /** Back to the start state (POST /_emulator/reset). */
  reset(): void
  /** Operation names known to the router. */
  ops(): string[]
}
