/**
 * The emulator's HTTP server (node:http, 127.0.0.1 only).
 *
 * Request pipeline:
 *   route match → request-log entry (not for /_emulator/**) → [ /api/** only: fault decision,
 *   latency, dropped connection, 429, 5xx ] → [ /api/** only: bearer auth ] → handler →
 *   [ lost response: socket destroyed after the handler ran ] → JSON response.
 *
 * To add an endpoint family: write routes/<family>.ts exporting `register<Family>Routes(router, env)`
 * and add it to ROUTE_MODULES.
 *
 * Genie conversations, SQL statements and eval runs share one SQL engine (DuckDB, loaded on first
 * use) and one statement store; their progress follows the emulator clock (see README.md).
 */
import { mkdirSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { authenticate } from './auth.js'
import { authorizeSpaceOp } from './access.js'
import type { AuthOptions, Behaviour, RouteEnv } from './env.js'
import { checkFaultOps, FaultInjector, parseFaultConfig, type FaultConfig, type FaultDecision } from './faults.js'
import { ApiError, type ApiResponse } from './http.js'
import { resolveLimits, type Limits } from './limits.js'
import { randomSeed } from './prng.js'
import { Router, type RouteMatch } from './router.js'
import { DEFAULT_MATCH_THRESHOLD } from './genie/answer.js'
import { ConversationStore } from './genie/conversations.js'
import { EvalStore } from './genie/evals.js'
import { DEFAULT_QUESTIONS_PER_MINUTE, QuestionLimiter } from './ratelimit.js'
import { scanDataset } from './sql/user-dataset.js'
import { registerAdminRoutes } from './routes/admin.js'
import { registerConversationRoutes } from './routes/conversations.js'
import { registerEvalRoutes } from './routes/evals.js'
import { registerOAuthRoutes } from './routes/oauth.js'
import { registerPermissionRoutes } from './routes/permissions.js'
import { registerScimRoutes } from './routes/scim.js'
import { registerSpaceRoutes } from './routes/spaces.js'
import { registerStatementRoutes } from './routes/statements.js'
import { registerWorkspaceRoutes } from './routes/workspace.js'
import { registerUnityCatalogRoutes } from './routes/unity-catalog.js'
import { registerWarehouseRoutes } from './routes/warehouses.js'
import { CatalogState, WarehouseState } from './catalog.js'
import { SqlEngine } from './sql/engine.js'
import { StatementStore } from './statements.js'
import { EmulatorState, type RequestLogEntry } from './state.js'

const ROUTE_MODULES: ((router: Router, env: RouteEnv) => void)[] = [
  registerSpaceRoutes,
  registerPermissionRoutes,
  registerScimRoutes,
  registerWorkspaceRoutes,
  registerConversationRoutes,
  registerEvalRoutes,
  registerStatementRoutes,
  registerUnityCatalogRoutes,
  registerWarehouseRoutes,
  registerOAuthRoutes,
  registerAdminRoutes
]

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export interface EmulatorOptions {
  /** 0 or absent = a free port. */
  port?: number
  /** Only 127.0.0.1 is supported. */
  host?: '127.0.0.1'
  /** Seeds faults and generated ids/etags/tokens. Absent = a random seed (see RunningEmulator.seed). */
  seed?: number
  /** Persist state in `<dataDir>/emulator-state.json` (survives a restart). */
  dataDir?: string
  faults?: FaultConfig
  limits?: Partial<Limits>
  /** One line per request (`POST /api/2.0/genie/spaces -> 200 3ms`), plus a start line. */
  log?: (line: string) => void
  /** Problems the operator must act on (once each), e.g. DuckDB not installed when SQL is asked for. */
  warn?: (line: string) => void
  /** Milliseconds since the epoch; drives create/update times and token expiry. */
  clock?: () => number
  /** The caller's user name (home folder, default parent_path, space creator). */
  userName?: string
  auth?: AuthOptions
  behaviour?: Partial<Behaviour>
  /**
   * Genie questions (start-conversation + follow-up messages) per rolling minute for the whole
   * emulator (one workspace); default 5 (genie-api.md); 0 = no limit. FaultConfig.questionsPerMinute
   * overrides it at run time.
   */
  questionsPerMinute?: number
  /** Jaccard threshold of the answer engine (0..1, default 0.5). */
  answerMatchThreshold?: number
  /** Seed of the SQL engine's demo data (default: a fixed seed, the same data for every emulator seed). */
  dataSeed?: number
  /** `--dataset DIR`: the user's tables, `DIR/<catalog>/<schema>/<table>.csv|.parquet` (sql/user-dataset.ts); loaded at start. */
  dataset?: string
  /** `--warehouse ID` (repeatable): the SQL warehouses the workspace has; none = every id is one. */
  warehouses?: string[]
  /** `--answer-noise`: share (0..1) of Genie answers made worse on purpose, seeded (genie/answer.ts answerWithNoise). */
  answerNoise?: number
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  seed: number
  state: EmulatorState
  /** Replace the fault configuration (same as POST /_emulator/faults). */
  setFaults(config: FaultConfig): void
  /** True once the SQL engine (DuckDB) has been loaded by a statement, message or eval run. */
  sqlEngineLoaded(): boolean
  close(): Promise<void>
}

/** A stable numeric user id for the user name (the API's user ids are integers). */
export function userIdFor(userName: string): number {
  let h = 0xcbf29ce4
  for (const ch of userName) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0
  return 4_000_000_000_000_000 + h * 100
}

export const DEFAULT_USER = 'emulator-user@example.com'

export const DEFAULT_BEHAVIOUR: Readonly<Behaviour> = Object.freeze({
  missingParentStatus: 404,
  missingSpaceStatus: 404,
  parentPathStyle: 'as-given',
  rejectV1FlagsInV2: false
})

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

function send(res: ServerResponse, response: ApiResponse): void {
  if (res.destroyed || res.writableEnded) return
  const body = JSON.stringify(response.body ?? {})
  res.writeHead(response.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(response.headers ?? {})
  })
  res.end(body)
}

function toErrorResponse(err: unknown, log: (line: string) => void): ApiResponse {
  if (err instanceof ApiError) return err.toResponse()
  log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  return new ApiError(500, 'INTERNAL_ERROR', `Internal error: ${err instanceof Error ? err.message : String(err)}`).toResponse()
}

function dispatchError(match: RouteMatch, method: string, path: string): ApiError | undefined {
  if (match.kind === 'not-found') {
    // Databricks' wording for an unknown API path (from memory; a guess).
    return new ApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${path}'`)
  }
  if (match.kind === 'method-not-allowed') {
    // The brief asks for 405; real Databricks may answer 404 ENDPOINT_NOT_FOUND here. Code is a guess.
    return new ApiError(405, 'METHOD_NOT_ALLOWED', `Method ${method} is not allowed for '${path}'`, {
      allow: match.allowed.join(', ')
    })
  }
  return undefined
}

type Area = 'api' | 'admin' | 'other'
function areaOf(path: string): Area {
  if (path === '/api' || path.startsWith('/api/')) return 'api'
  if (path === '/_emulator' || path.startsWith('/_emulator/')) return 'admin'
  return 'other'
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1'
  if (host !== '127.0.0.1') throw new Error(`the emulator only listens on 127.0.0.1, not ${String(host)}`)
  const seed = options.seed ?? randomSeed()
  const log = options.log ?? (() => {})
  const clock = options.clock ?? Date.now
  const limits = resolveLimits(options.limits)
  const initialFaults = parseFaultConfig(options.faults ?? {})
  const faults = new FaultInjector(initialFaults, seed)
  if (options.dataDir) {
    // refuse a path that cannot hold the state before serving anything
    mkdirSync(options.dataDir, { recursive: true })
    if (!statSync(options.dataDir).isDirectory()) throw new Error(`--data ${options.dataDir} is not a directory`)
  }
  const state = new EmulatorState(seed, options.userName ?? DEFAULT_USER, options.dataDir)
  const questionsPerMinute = options.questionsPerMinute ?? DEFAULT_QUESTIONS_PER_MINUTE
  if (!Number.isInteger(questionsPerMinute) || questionsPerMinute < 0) {
    throw new Error(`questionsPerMinute must be a non-negative integer, got ${String(options.questionsPerMinute)}`)
  }
  const answerMatchThreshold = options.answerMatchThreshold ?? DEFAULT_MATCH_THRESHOLD
  if (!(answerMatchThreshold >= 0 && answerMatchThreshold <= 1)) {
    throw new Error(`answerMatchThreshold must be between 0 and 1, got ${String(options.answerMatchThreshold)}`)
  }
  const answerNoise = options.answerNoise ?? 0
  if (!(answerNoise >= 0 && answerNoise <= 1)) throw new Error(`answerNoise must be between 0 and 1, got ${String(options.answerNoise)}`)
  const dataset = options.dataset !== undefined ? scanDataset(options.dataset) : undefined
  const sql = new SqlEngine({
    clock,
    ...(options.dataSeed !== undefined ? { dataSeed: options.dataSeed } : {}),
    ...(dataset ? { dataset } : {}),
    ...(options.warn ? { warn: options.warn } : {})
  })
  // a file DuckDB cannot read fails the start, naming it, rather than every later statement
  if (dataset) await sql.ready()
  const statements = new StatementStore(sql, seed)
  const userId = userIdFor(state.userName)
  const conversations = new ConversationStore(statements, seed, userId)
  const evals = new EvalStore(statements, seed, userId)
  conversations.answerNoise = answerNoise
  evals.answerNoise = answerNoise
  const questions = new QuestionLimiter()
  const catalog = new CatalogState()
  const warehouses = new WarehouseState(options.warehouses ?? [])
  let stopping = false
  const router = new Router()
  const apiOps = (): string[] =>
    router
      .list()
      .filter((r) => r.pattern.startsWith('/api/'))
      .map((r) => r.op)

  const env: RouteEnv = {
    state,
    faults,
    limits,
    behaviour: { ...DEFAULT_BEHAVIOUR, ...(options.behaviour ?? {}) },
    auth: { ...(options.auth ?? {}) },
    clock,
    seed,
    sql,
    statements,
    conversations,
    evals,
    questions,
    questionsPerMinute,
    answerMatchThreshold,
    catalog,
    warehouses,
    stopping: () => stopping,
    reset() {
      state.reset()
      faults.setConfig(initialFaults)
      faults.reseed(seed)
      // Conversations, statements, eval runs and the question window are in memory only; the SQL
      // engine and its data stay loaded (the data never changes).
      statements.reset()
      conversations.reset()
      evals.reset()
      questions.reset()
      catalog.reset()
      warehouses.reset()
    },
    ops: apiOps
  }
  for (const register of ROUTE_MODULES) register(router, env)
  checkFaultOps(initialFaults, apiOps())

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    const rawBody = await readBody(req)
    const area = areaOf(path)
    const match = router.match(method, path)
    const op = match.kind === 'found' ? match.route.op : match.kind === 'method-not-allowed' ? 'method-not-allowed' : 'unknown'
    const entry: RequestLogEntry | undefined = area === 'admin' ? undefined : { method, path, query: url.search.replace(/^\?/, ''), status: 0, op }
    if (entry) state.requests.push(entry)
    const finish = (response: ApiResponse | undefined): void => {
      if (response) send(res, response)
      else req.socket.destroy()
      if (entry) entry.status = response ? response.status : 0
      if (area !== 'admin') {
        const fault = entry?.fault ? ` [${entry.fault}]` : ''
        log(`${method} ${path} -> ${response ? response.status : 'no response'} ${Date.now() - started}ms${fault}`)
      }
    }

    let decision: FaultDecision | undefined
    if (area === 'api') {
      decision = faults.decide(op, WRITE_METHODS.has(method))
      if (decision.spike && entry) entry.latency_spike = true
      if (decision.delayMs > 0) await sleep(decision.delayMs)
      if (decision.action === 'drop') {
        if (entry) entry.fault = 'dropped'
        return finish(undefined)
      }
      if (decision.action === 'rate-limit') {
        if (entry) entry.fault = 'rate-limited'
        const retryAfter = String(faults.retryAfterSeconds())
        // genie-api.md: "RESOURCE_EXHAUSTED / 429 … The official SDKs retry 429 and 503 honouring Retry-After".
        return finish(
          new ApiError(429, 'RESOURCE_EXHAUSTED', 'Too many requests. Please wait a moment and try again.', {
            'retry-after': retryAfter
          }).toResponse()
        )
      }
      if (decision.action === 'internal-error' || decision.action === 'unavailable') {
        if (entry) entry.fault = 'server-error'
        return finish(
          decision.action === 'internal-error'
            ? new ApiError(500, 'INTERNAL_ERROR', 'Internal error (injected by the emulator).').toResponse()
            : new ApiError(503, 'TEMPORARILY_UNAVAILABLE', 'The service is temporarily unavailable (injected by the emulator).').toResponse()
        )
      }
    }

    let response: ApiResponse
    try {
      if (area === 'api') authenticate(req.headers, env)
      const routeError = dispatchError(match, method, path)
      if (routeError) throw routeError
      if (match.kind !== 'found') throw new Error('unreachable')
      if (area === 'api') authorizeSpaceOp(env, match.route.op, match.params, url.searchParams, req.headers)
      response = await match.route.handler({ method, path, params: match.params, query: url.searchParams, headers: req.headers, rawBody })
    } catch (err) {
      response = toErrorResponse(err, log)
    }
    if (response.fault && entry) entry.fault = response.fault

    if (decision?.loseResponse) {
      // The write happened; the client never hears about it.
      if (entry) {
        entry.fault = 'lost-response'
        entry.applied_status = response.status
      }
      return finish(undefined)
    }
    finish(response)
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`internal error: ${err instanceof Error ? err.message : String(err)}`)
      if (!res.headersSent) send(res, new ApiError(500, 'INTERNAL_ERROR', 'Internal error').toResponse())
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 5_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${host}:${port}`
  log(`genie emulator listening on ${url} (seed ${seed}${options.dataDir ? `, data ${options.dataDir}` : ''})`)

  let closed: Promise<void> | undefined
  return {
    url,
    port,
    seed,
    state,
    setFaults(config: FaultConfig) {
      const parsed = parseFaultConfig(config)
      checkFaultOps(parsed, apiOps())
      faults.setConfig(parsed)
    },
    sqlEngineLoaded: () => sql.loaded,
    close() {
      stopping = true
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      }).then(() => sql.close())
      return closed
    }
  }
}
