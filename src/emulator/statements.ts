/**
 * SQL statements (Statement Execution API, and the statements behind Genie query attachments and
 * eval runs) and their StatementResponse JSON (genie-wire-shapes.md, StatementResponse,
 * StatementStatus, ResultManifest, ResultData).
 *
 * Timeline, on the EMULATOR CLOCK: a statement is PENDING from `createdAt`, RUNNING from
 * `runningAt`, and terminal (SUCCEEDED / FAILED) from `readyAt`. The SQL itself runs on the engine
 * right away; a view at or after `readyAt` waits for it, so the answer never depends on how fast
 * DuckDB was. CANCELED once cancelled (before it was terminal); CLOSED when its result has been
 * released (a Genie result that "expired").
 */
import type { SqlEngine, ExecuteOptions, SqlOutcome } from './sql/engine.js'
import { Rng } from './prng.js'

export type StatementState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'CLOSED'

export interface StatementRecord {
  statement_id: string
  sql: string
  createdAt: number
  runningAt: number
  readyAt: number
  execution: Promise<SqlOutcome>
  outcome?: SqlOutcome
  canceled: boolean
  closed: boolean
}

export interface StatementResponse {
  statement_id: string
  status: { state: StatementState; error?: { error_code: string; message: string }; sql_state?: string }
  manifest?: Record<string, unknown>
  result?: Record<string, unknown>
}

export function isTerminal(state: StatementState): boolean {
  return state !== 'PENDING' && state !== 'RUNNING'
}

/** A statement id in the UUID shape real ones have ("01f00f40-db3d-1511-a6dd-3b838f1520dc"). */
function uuidShaped(rng: Rng): string {
  const h = rng.hex(32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export class StatementStore {
  private readonly records = new Map<string, StatementRecord>()
  private rng: Rng

  constructor(
    private readonly engine: SqlEngine,
    private readonly seed: number
  ) {
    this.rng = new Rng(seed ^ 0x5eed51)
  }

  reset(): void {
    this.records.clear()
    this.rng = new Rng(this.seed ^ 0x5eed51)
  }

  get count(): number {
    return this.records.size
  }

  /**
   * Submit SQL: it starts running on the engine now; by the clock it is PENDING for the first 30 %
   * of `latencyMs` (queued for the warehouse), then RUNNING, then terminal at `now + latencyMs`.
   */
  submit(sql: string, options: ExecuteOptions, now: number, latencyMs: number, runningAfterMs?: number): StatementRecord {
    const record: StatementRecord = {
      statement_id: this.newId(),
      sql,
      createdAt: now,
      runningAt: now + (runningAfterMs ?? Math.floor(latencyMs * 0.3)),
      readyAt: now + latencyMs,
      execution: this.engine.execute(sql, options),
      canceled: false,
      closed: false
    }
    void record.execution.then((outcome) => {
      record.outcome = outcome
    })
    this.records.set(record.statement_id, record)
    return record
  }

  get(id: string): StatementRecord | undefined {
    return this.records.get(id)
  }

  stateAt(record: StatementRecord, now: number): StatementState {
    if (record.canceled) return 'CANCELED'
    if (record.closed) return 'CLOSED'
    if (now < record.runningAt) return 'PENDING'
    if (now < record.readyAt || !record.outcome) return 'RUNNING'
    return record.outcome.ok ? 'SUCCEEDED' : 'FAILED'
  }

  /** The outcome once the statement is due (waits for the engine if it is still running). */
  async settle(record: StatementRecord, now: number): Promise<StatementState> {
    if (!record.canceled && !record.closed && now >= record.readyAt) await record.execution
    return this.stateAt(record, now)
  }

  /** Cancel unless already terminal by the clock (POST …/cancel; on_wait_timeout CANCEL). */
  async cancel(record: StatementRecord, now: number): Promise<void> {
    if (!isTerminal(await this.settle(record, now))) record.canceled = true
  }

  /** StatementResponse JSON at `now`. */
  async view(record: StatementRecord, now: number): Promise<StatementResponse> {
    const state = await this.settle(record, now)
    const out: StatementResponse = { statement_id: record.statement_id, status: { state } }
    const outcome = record.outcome
    if (state === 'FAILED' && outcome && !outcome.ok) {
      out.status = { state, error: { error_code: outcome.errorCode, message: outcome.message }, sql_state: outcome.sqlState }
    }
    if (state === 'SUCCEEDED' && outcome && outcome.ok) {
      const rowCount = outcome.rows.length
      const manifest: Record<string, unknown> = {
        format: 'JSON_ARRAY',
        schema: { column_count: outcome.columns.length, columns: outcome.columns }
      }
      // One inline chunk. An empty result has no chunk and an empty `result` object, as the
      // real capture of an empty result shows (fixtures: sql_statements_post_external_links_arrow_empty_real.json).
      if (rowCount > 0) {
        manifest['total_chunk_count'] = 1
        manifest['chunks'] = [{ chunk_index: 0, row_offset: 0, row_count: rowCount }]
      } else manifest['total_chunk_count'] = 0
      manifest['total_row_count'] = outcome.totalRowCount
      manifest['truncated'] = outcome.truncated
      out.manifest = manifest
      out.result = rowCount > 0 ? { chunk_index: 0, row_offset: 0, row_count: rowCount, data_array: outcome.rows } : {}
    }
    return out
  }

  private newId(): string {
    for (;;) {
      const id = uuidShaped(this.rng)
      if (!this.records.has(id)) return id
    }
  }
}
