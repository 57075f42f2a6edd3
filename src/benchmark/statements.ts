import type { GenieClient, StatementResponse } from '../client/index.js'
import { checkReadOnly } from '../sql/index.js'
import { SpaceOpsError } from '../util/errors.js'
import type { Cell, ResultSet } from './compare.js'

/**
 * Running SQL on the space's warehouse (Statement Execution API) to compare result sets:
 * `POST /api/2.0/sql/statements` with `wait_timeout: 30s`, `on_wait_timeout: CONTINUE`, INLINE
 * JSON_ARRAY, then `GET …/{id}` with backoff (1 s ×1.5, at most 5 s) until a terminal state, then
 * any further chunks. A statement that fails answers HTTP 200 with `state: FAILED`: it becomes a
 * StatementError (one line, the warehouse's message). One statement may run `timeoutMs` (default
 * 10 minutes), after which it is cancelled. Results are capped at `rowLimit` rows (default 10,000;
 * Genie itself returns at most 5,000); `truncated` says when the cap cut a result.
 *
 * Nothing is sent that `checkReadOnly` (sql/readonly.ts) refuses: SQL comes from pull requests and
 * from Genie, and runs with the caller's token, so a write statement or a second statement becomes
 * a `RefusedStatementError` before any request. This is the only caller of `executeStatement`.
 */
export type StatementClient = Pick<GenieClient, 'executeStatement' | 'getStatement' | 'getStatementResultChunk' | 'cancelStatement'>

export interface StatementOptions {
  now: () => number
  sleep: (ms: number) => Promise<void>
  timeoutMs?: number
  rowLimit?: number
  /** How long the POST itself may wait for the result (`0s`, or `5s`–`50s`; default `30s`). */
  waitTimeout?: string
  /** Called once per statement actually sent (a refused one is not): the run's cost figures. */
  onSent?: () => void
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 10 * 60_000
export const DEFAULT_ROW_LIMIT = 10_000

export class StatementError extends SpaceOpsError {
  constructor(message: string) {
    super(message)
    this.name = 'StatementError'
  }
}

/** The SQL was not sent: it is not exactly one read-only statement. */
export class RefusedStatementError extends StatementError {
  constructor(readonly reason: string) {
    super(`not run: ${reason}`)
    this.name = 'RefusedStatementError'
  }
}

const RUNNING = new Set(['PENDING', 'RUNNING'])

/** The SQL without surrounding whitespace and trailing semicolons (to compare SQL texts). */
export function singleStatement(sql: string): string {
  return sql
    .trim()
    .replace(/(;\s*)+$/, '')
    .trim()
}

export async function runStatement(client: StatementClient, warehouseId: string, sql: string, options: StatementOptions): Promise<ResultSet> {
  const check = checkReadOnly(sql)
  if (!check.readOnly) throw new RefusedStatementError(check.reason)
  const started = options.now()
  const deadline = started + (options.timeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS)
  options.onSent?.()
  let res = await client.executeStatement({
    warehouse_id: warehouseId,
    statement: check.statement,
    wait_timeout: options.waitTimeout ?? '30s',
    on_wait_timeout: 'CONTINUE',
    disposition: 'INLINE',
    format: 'JSON_ARRAY',
    row_limit: options.rowLimit ?? DEFAULT_ROW_LIMIT
  })
  const id = res.statement_id
  let delay = 1000
  while (RUNNING.has(res.status?.state ?? 'PENDING')) {
    if (!id) throw new StatementError('the warehouse returned no statement id')
    const now = options.now()
    if (now >= deadline) {
      await client.cancelStatement(id).catch(() => undefined)
      throw new StatementError(`the statement did not finish within ${Math.round((deadline - started) / 1000)} s (cancelled)`)
    }
    await options.sleep(Math.min(delay, Math.max(1, deadline - now)))
    delay = Math.min(delay * 1.5, 5000)
    res = await client.getStatement(id)
  }
  const state = res.status?.state
  if (state !== 'SUCCEEDED') {
    const err = res.status?.error
    const why = err?.message ?? (state ? `statement ${state}` : 'no status')
    throw new StatementError(`${err?.error_code ? `${err.error_code}: ` : ''}${why}`)
  }
  return collect(client, res)
}

async function collect(client: StatementClient, res: StatementResponse): Promise<ResultSet> {
  const columns = (res.manifest?.schema?.columns ?? []).map((c) => c.name ?? '')
  const rows: Cell[][] = [...(res.result?.data_array ?? [])]
  if (res.result?.external_links?.length) {
    throw new StatementError('the warehouse answered with external links; only INLINE results are read')
  }
  let next = res.result?.next_chunk_index
  const seen = new Set<number>()
  while (next !== undefined && res.statement_id) {
    if (seen.has(next)) throw new StatementError(`the warehouse repeated result chunk ${next}`)
    seen.add(next)
    const chunk = await client.getStatementResultChunk(res.statement_id, next)
    rows.push(...(chunk.data_array ?? []))
    next = chunk.next_chunk_index
  }
  return { columns, rows, truncated: res.manifest?.truncated ?? false }
}
