/**
 * Statement Execution API (genie-api.md, "Statement execution"; StatementResponse per
 * genie-wire-shapes.md), on the embedded SQL engine (sql/engine.ts).
 *
 *   POST /api/2.0/sql/statements                                   execute (op statement-execute)
 *   GET  /api/2.0/sql/statements/{statement_id}                    status + result (op statement-get)
 *   POST /api/2.0/sql/statements/{statement_id}/cancel             cancel → {} (op statement-cancel)
 *   GET  /api/2.0/sql/statements/{statement_id}/result/chunks/{i}  ResultData of chunk i (op statement-chunk)
 *
 * Choices where the docs are silent or the emulator is narrower than the real service:
 *   - Any non-empty warehouse_id is accepted (there is one warehouse), unless warehouses are named
 *     with `--warehouse`: another id answers 404 RESOURCE_DOES_NOT_EXIST (code and status a guess).
 *   - Only disposition INLINE and format JSON_ARRAY (400 INVALID_PARAMETER_VALUE otherwise).
 *   - wait_timeout "0s" returns at once (PENDING unless statementLatencyMs is 0); "5s"–"50s" waits
 *     in real time for the statement to finish on the emulator clock, then CONTINUE returns the
 *     current state and CANCEL cancels it. Anything else: 400.
 *   - A SQL error is HTTP 200 with status.state FAILED, status.error {error_code BAD_REQUEST,
 *     message (DuckDB's text)} and status.sql_state.
 *   - Unknown statement id: 404 NOT_FOUND. Cancelling a finished statement changes nothing.
 */
import type { RouteEnv } from '../env.js'
import { ApiError, invalidParameter, isPlainObject, jsonBody, jsonType, ok, optionalString } from '../http.js'
import type { Router } from '../router.js'
import { requireWarehouse } from './warehouses.js'
import type { SqlParameter } from '../sql/engine.js'
import { isTerminal, type StatementRecord } from '../statements.js'

const BASE = '/api/2.0/sql/statements'

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

function parseWaitTimeout(raw: string | undefined): number {
  if (raw === undefined) return 10
  const m = /^(\d+)s$/.exec(raw)
  const n = m ? Number(m[1]) : NaN
  if (!m || !(n === 0 || (n >= 5 && n <= 50))) {
    throw invalidParameter(`wait_timeout must be 0s or between 5s and 50s, got '${raw}'`)
  }
  return n
}

function parseParameters(body: Record<string, unknown>): SqlParameter[] {
  const raw = body['parameters']
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw invalidParameter(`Invalid value for field parameters: expected an array, got ${jsonType(raw)}`)
  return raw.map((p, i) => {
    if (!isPlainObject(p) || typeof p['name'] !== 'string' || p['name'] === '') {
      throw invalidParameter(`parameters[${i}] needs a non-empty name`)
    }
    const value = p['value']
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw invalidParameter(`parameters[${i}].value must be a string, got ${jsonType(value)}`)
    }
    const type = p['type']
    if (type !== undefined && type !== null && typeof type !== 'string') throw invalidParameter(`parameters[${i}].type must be a string`)
    const out: SqlParameter = { name: p['name'], value: typeof value === 'string' ? value : null }
    if (typeof type === 'string' && type !== '') out.type = type
    return out
  })
}

export function requireStatement(env: RouteEnv, id: string): StatementRecord {
  const record = env.statements.get(id)
  if (!record) throw new ApiError(404, 'NOT_FOUND', `Statement ${id} was not found.`)
  return record
}

export function registerStatementRoutes(router: Router, env: RouteEnv): void {
  router.add({
    method: 'POST',
    pattern: BASE,
    op: 'statement-execute',
    handler: async (req) => {
      const body = jsonBody(req.rawBody)
      const warehouseId = optionalString(body, 'warehouse_id')
      if (warehouseId === undefined) throw invalidParameter('Missing required field: warehouse_id')
      requireWarehouse(env, warehouseId)
      const statement = optionalString(body, 'statement')
      if (statement === undefined) throw invalidParameter('Missing required field: statement')
      const waitSeconds = parseWaitTimeout(optionalString(body, 'wait_timeout'))
      const onWaitTimeout = optionalString(body, 'on_wait_timeout') ?? 'CONTINUE'
      if (onWaitTimeout !== 'CONTINUE' && onWaitTimeout !== 'CANCEL') {
        throw invalidParameter(`on_wait_timeout must be CONTINUE or CANCEL, got '${onWaitTimeout}'`)
      }
      const disposition = optionalString(body, 'disposition') ?? 'INLINE'
      if (disposition !== 'INLINE') throw invalidParameter(`disposition ${disposition} is not supported by the emulator (only INLINE)`)
      const format = optionalString(body, 'format') ?? 'JSON_ARRAY'
      if (format !== 'JSON_ARRAY') throw invalidParameter(`format ${format} is not supported by the emulator (only JSON_ARRAY)`)
      let rowLimit: number | undefined
      const rawLimit = body['row_limit']
      if (rawLimit !== undefined && rawLimit !== null) {
        if (typeof rawLimit !== 'number' || !Number.isInteger(rawLimit) || rawLimit < 0) {
          throw invalidParameter(`row_limit must be a non-negative integer, got ${JSON.stringify(rawLimit)}`)
        }
        // proto3: 0 means "not set".
        if (rawLimit > 0) rowLimit = rawLimit
      }
      const catalog = optionalString(body, 'catalog')
      const schema = optionalString(body, 'schema')
      const parameters = parseParameters(body)

      const record = env.statements.submit(
        statement,
        { rowLimit, parameters, ...(catalog ? { catalog } : {}), ...(schema ? { schema } : {}) },
        env.clock(),
        env.faults.timing('statementLatencyMs')
      )
      if (waitSeconds > 0) {
        const deadline = Date.now() + waitSeconds * 1000
        for (;;) {
          const now = env.clock()
          if (now >= record.readyAt || isTerminal(env.statements.stateAt(record, now))) break
          const remaining = deadline - Date.now()
          if (remaining <= 0 || env.stopping()) {
            if (onWaitTimeout === 'CANCEL') await env.statements.cancel(record, now)
            break
          }
          await sleep(Math.min(remaining, Math.max(5, Math.min(100, record.readyAt - now))))
        }
      }
      return ok(await env.statements.view(record, env.clock()))
    }
  })

  router.add({
    method: 'GET',
    pattern: `${BASE}/{statement_id}`,
    op: 'statement-get',
    handler: async (req) => ok(await env.statements.view(requireStatement(env, req.params['statement_id'] ?? ''), env.clock()))
  })

  router.add({
    method: 'POST',
    pattern: `${BASE}/{statement_id}/cancel`,
    op: 'statement-cancel',
    handler: async (req) => {
      await env.statements.cancel(requireStatement(env, req.params['statement_id'] ?? ''), env.clock())
      return ok({})
    }
  })

  router.add({
    method: 'GET',
    pattern: `${BASE}/{statement_id}/result/chunks/{chunk_index}`,
    op: 'statement-chunk',
    handler: async (req) => {
      const view = await env.statements.view(requireStatement(env, req.params['statement_id'] ?? ''), env.clock())
      const index = req.params['chunk_index'] ?? ''
      if (view.status.state !== 'SUCCEEDED') {
        throw new ApiError(400, 'BAD_REQUEST', `The statement is ${view.status.state}; its result cannot be fetched.`)
      }
      // Results are one inline chunk (chunk 0); an empty result has none.
      if (index !== '0' || !view.result || Object.keys(view.result).length === 0) {
        throw invalidParameter(`Invalid chunk_index '${index}'`)
      }
      return ok(view.result)
    }
  })
}
