/**
 * Emulator-only endpoints under /_emulator/** (no auth, never faulted, never in the request log):
 *   GET    /_emulator/health                  {ok, seed}
 *   GET    /_emulator/requests                the request log: [{method, path, query, status, op, fault?, applied_status?, latency_spike?}]
 *   DELETE /_emulator/requests                clears it → {cleared: n}
 *   POST   /_emulator/reset                   back to the start state (spaces, trash, folders, tokens, log,
 *                                             faults as configured at start, PRNGs re-seeded)
 *   GET    /_emulator/faults                  the current fault configuration
 *   POST   /_emulator/faults                  replace it (camelCase or CLI flag names; `{}` = no faults;
 *                                             optional `seed` re-seeds the fault PRNG)
 *   GET    /_emulator/state                   {spaces, trash, folders} with full documents
 *   POST   /_emulator/spaces/{space_id}/edit  simulate an edit in the Genie UI (new document/etag/update_time);
 *                                             body {title?, description?, warehouse_id?, serialized_space? (string
 *                                             or object), add_sample_question?}; empty body = add a sample question
 *   GET    /_emulator/genie                   conversations/eval runs/statements at the emulator clock:
 *                                             {sql_engine_loaded, statements, question_limit{questions_per_minute,
 *                                             used_in_window}, conversations[{conversation_id, space_id, title,
 *                                             messages[{message_id, content, status}]}], eval_runs[{eval_run_id,
 *                                             space_id, eval_run_status, num_questions, num_done}]}
 */
import { checkFaultOps, parseFaultConfig } from '../faults.js'
import type { RouteEnv } from '../env.js'
import { invalidParameter, jsonBody, ok } from '../http.js'
import type { Router } from '../router.js'
import { questionLimit } from './conversations.js'
import { spaceView, uiEdit } from './spaces.js'

export function registerAdminRoutes(router: Router, env: RouteEnv): void {
  router.add({ method: 'GET', pattern: '/_emulator/health', op: 'admin-health', handler: () => ok({ ok: true, seed: env.seed }) })

  router.add({ method: 'GET', pattern: '/_emulator/requests', op: 'admin-requests', handler: () => ok(env.state.requests) })

  router.add({
    method: 'DELETE',
    pattern: '/_emulator/requests',
    op: 'admin-requests-clear',
    handler: () => {
      const cleared = env.state.requests.length
      env.state.requests.length = 0
      return ok({ cleared })
    }
  })

  router.add({
    method: 'POST',
    pattern: '/_emulator/reset',
    op: 'admin-reset',
    handler: () => {
      env.reset()
      return ok({})
    }
  })

  router.add({ method: 'GET', pattern: '/_emulator/faults', op: 'admin-faults', handler: () => ok(env.faults.getConfig()) })

  router.add({
    method: 'POST',
    pattern: '/_emulator/faults',
    op: 'admin-faults-set',
    handler: (req) => {
      const { seed, ...rest } = jsonBody(req.rawBody)
      if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) throw invalidParameter('seed must be an integer')
      let config
      try {
        config = parseFaultConfig(rest)
        checkFaultOps(config, env.ops())
      } catch (err) {
        throw invalidParameter(err instanceof Error ? err.message : String(err))
      }
      env.faults.setConfig(config)
      if (typeof seed === 'number') env.faults.reseed(seed)
      return ok(env.faults.getConfig())
    }
  })

  router.add({
    method: 'GET',
    pattern: '/_emulator/state',
    op: 'admin-state',
    handler: () =>
      ok({
        spaces: env.state.liveSpaces().map((s) => ({ ...spaceView(s, true), acl: s.acl })),
        trash: env.state.trashedSpaces().map((s) => ({ ...spaceView(s, true), trashed_time: s.trashed_time })),
        folders: env.state.folderList()
      })
  })

  router.add({
    method: 'GET',
    pattern: '/_emulator/genie',
    op: 'admin-genie',
    handler: async () => {
      const now = env.clock()
      const conversations = await Promise.all(
        env.conversations.conversationList().map(async (c) => ({
          conversation_id: c.conversation_id,
          space_id: c.space_id,
          title: c.title,
          messages: await Promise.all(
            env.conversations.messagesOf(c).map(async (m) => ({
              message_id: m.message_id,
              content: m.content,
              status: (await env.conversations.state(m, now)).status
            }))
          )
        }))
      )
      return ok({
        sql_engine_loaded: env.sql.loaded,
        statements: env.statements.count,
        question_limit: { questions_per_minute: questionLimit(env), used_in_window: env.questions.used(now) },
        conversations,
        eval_runs: env.evals.runList().map((r) => ({
          eval_run_id: r.eval_run_id,
          space_id: r.space_id,
          eval_run_status: env.evals.runStatus(r, now),
          num_questions: r.questions.length,
          num_done: r.questions.filter((q) => now >= q.doneAt).length
        }))
      })
    }
  })

  router.add({
    method: 'POST',
    pattern: '/_emulator/spaces/{space_id}/edit',
    op: 'admin-ui-edit',
    handler: (req) => ok(spaceView(uiEdit(env, req.params['space_id'] ?? '', jsonBody(req.rawBody)), true))
  })
}
