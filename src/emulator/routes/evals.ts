/**
 * Genie eval runs (Beta). Base: /api/2.0/genie/spaces/{space_id}/eval-runs
 *
 *   POST …/eval-runs {benchmark_question_ids?}        → GenieEvalRunResponse              (op eval-create)
 *   GET  …/eval-runs?page_size&page_token             → {eval_runs, next_page_token}      (op eval-list)
 *   GET  …/eval-runs/{eval_run_id}                    → GenieEvalRunResponse              (op eval-get)
 *   GET  …/eval-runs/{eval_run_id}/results?page_size&page_token → {eval_results, next_page_token} (op eval-results)
 *   GET  …/eval-runs/{eval_run_id}/results/{result_id} → GenieEvalResultDetails           (op eval-result)
 *
 * Behaviour and every choice where the docs are silent: genie/evals.ts. Paging: page_size default
 * 20, at most 100 (0 = default; larger → 400), opaque page tokens; an empty page omits the list.
 * Unknown run or result (or one of another space) → 404 RESOURCE_DOES_NOT_EXIST.
 */
import { parseStored } from '../document.js'
import type { RouteEnv } from '../env.js'
import { benchmarkQuestions, type EvalRunRecord } from '../genie/evals.js'
import { ApiError, invalidParameter, jsonBody, jsonType, ok } from '../http.js'
import type { Router } from '../router.js'
import { knowledgeOf } from './conversations.js'
import { requireSpace } from './spaces.js'

const RUNS = '/api/2.0/genie/spaces/{space_id}/eval-runs'
const DEFAULT_PAGE_SIZE = 20
const MAX_PAGE_SIZE = 100

function pageSize(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_PAGE_SIZE
  if (!/^\d+$/.test(raw)) throw invalidParameter(`Invalid page_size '${raw}': must be a non-negative integer`)
  const n = Number(raw)
  if (n === 0) return DEFAULT_PAGE_SIZE
  if (n > MAX_PAGE_SIZE) throw invalidParameter(`page_size must be at most ${MAX_PAGE_SIZE}, got ${n}`)
  return n
}

function pageStart(kind: string, token: string | null): number {
  if (token === null || token === '') return 0
  const m = new RegExp(`^${kind}:(\\d+)$`).exec(Buffer.from(token, 'base64url').toString('utf8'))
  if (!m) throw invalidParameter(`Invalid page_token '${token}'`)
  return Number(m[1])
}

export function page<T>(kind: string, items: T[], query: URLSearchParams): { items: T[]; next?: string } {
  const start = pageStart(kind, query.get('page_token'))
  const size = pageSize(query.get('page_size'))
  const slice = items.slice(start, start + size)
  return start + size < items.length ? { items: slice, next: Buffer.from(`${kind}:${start + size}`).toString('base64url') } : { items: slice }
}

export function registerEvalRoutes(router: Router, env: RouteEnv): void {
  const runOf = (params: Readonly<Record<string, string>>): EvalRunRecord => {
    const space = requireSpace(env, params['space_id'] ?? '')
    const id = params['eval_run_id'] ?? ''
    const run = env.evals.get(space.space_id, id)
    if (!run) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Evaluation run ${id} does not exist.`)
    return run
  }

  router.add({
    method: 'POST',
    pattern: RUNS,
    op: 'eval-create',
    handler: async (req) => {
      const body = jsonBody(req.rawBody)
      const space = requireSpace(env, req.params['space_id'] ?? '')
      const all = benchmarkQuestions(parseStored(space.serialized_space))
      const rawIds = body['benchmark_question_ids']
      let chosen = all
      if (rawIds !== undefined && rawIds !== null) {
        if (!Array.isArray(rawIds) || rawIds.some((x) => typeof x !== 'string')) {
          throw invalidParameter(`Invalid value for field benchmark_question_ids: expected an array of strings, got ${jsonType(rawIds)}`)
        }
        const ids = rawIds as string[]
        if (ids.length > 0) {
          const unknown = ids.find((id) => !all.some((q) => q.id === id))
          if (unknown !== undefined) throw invalidParameter(`Benchmark question ${unknown} does not exist in space ${space.space_id}.`)
          // In the space's (document) order, each once.
          chosen = all.filter((q) => ids.includes(q.id))
        }
      }
      if (chosen.length === 0) throw invalidParameter(`Space ${space.space_id} has no benchmark questions to evaluate.`)
      const now = env.clock()
      const run = env.evals.create(space.space_id, chosen, knowledgeOf(space), now, env.faults.timing('evalLatencyMs'), env.answerMatchThreshold)
      return ok(await env.evals.runView(run, now))
    }
  })

  router.add({
    method: 'GET',
    pattern: RUNS,
    op: 'eval-list',
    handler: async (req) => {
      const space = requireSpace(env, req.params['space_id'] ?? '')
      const { items, next } = page('eval-runs', env.evals.runList(space.space_id), req.query)
      const now = env.clock()
      const out: Record<string, unknown> = {}
      if (items.length > 0) out['eval_runs'] = await Promise.all(items.map((r) => env.evals.runView(r, now)))
      if (next) out['next_page_token'] = next
      return ok(out)
    }
  })

  router.add({
    method: 'GET',
    pattern: `${RUNS}/{eval_run_id}`,
    op: 'eval-get',
    handler: async (req) => ok(await env.evals.runView(runOf(req.params), env.clock()))
  })

  router.add({
    method: 'GET',
    pattern: `${RUNS}/{eval_run_id}/results`,
    op: 'eval-results',
    handler: (req) => {
      const run = runOf(req.params)
      const { items, next } = page('eval-results', run.questions, req.query)
      const now = env.clock()
      const out: Record<string, unknown> = {}
      if (items.length > 0) out['eval_results'] = items.map((q) => env.evals.resultSummary(run, q, now))
      if (next) out['next_page_token'] = next
      return ok(out)
    }
  })

  router.add({
    method: 'GET',
    pattern: `${RUNS}/{eval_run_id}/results/{result_id}`,
    op: 'eval-result',
    handler: async (req) => {
      const run = runOf(req.params)
      const id = req.params['result_id'] ?? ''
      const result = env.evals.findResult(run, id)
      if (!result) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Evaluation result ${id} does not exist.`)
      return ok(await env.evals.resultDetails(run, result, env.clock()))
    }
  })
}
