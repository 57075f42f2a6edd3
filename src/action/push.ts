import path from 'node:path'
import { expandDefinitions } from '../core/paths.js'
import { readDefinition } from '../core/validate.js'
import type { PushResult } from '../deploy/push.js'
import { pushRecordsContext, pushWithRecords } from '../deploy/recorded.js'
import { runInfo } from '../deploy/records.js'
import { lockSettings } from '../deploy/lock.js'
import { parseDuration } from '../util/duration.js'
import { spaceKey } from '../promote/config.js'
import { renderText, summaryLine } from '../plan/render.js'
import { snapshotSpace } from '../deploy/snapshot.js'
import { writeFileAtomic } from '../core/files.js'
import { formatOf } from '../model/load.js'
import { md } from '../github/summary.js'
import { SpaceOpsError, describeError } from '../util/errors.js'
import { RunLocks } from '../deploy/lock.js'
import { RunIndexes } from '../deploy/space-index.js'
import { desiredSpace } from '../deploy/push.js'
import { DEFAULT_CONCURRENCY, KeyedMutex, mapConcurrent } from '../util/pool.js'
import type { ActionsRuntime } from '../github/actions.js'
import type { SecretRegistry } from '../util/secrets.js'
import { actionClient, actionLogger } from './client.js'
import type { ActionInputs } from './inputs.js'

/** mode: push — `spaceops push` for every definition matched (`title` only with one definition). */
export async function pushMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const files = (await expandDefinitions(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
  for (const one of ['space-id', 'title'] as const) {
    if (inputs[one] && files.length !== 1) throw new SpaceOpsError(`input ${one} names one space but definition matches ${files.length} files; point definition at one file`)
  }
  const client = actionClient(rt, inputs, secrets)
  const logger = actionLogger(rt, secrets)
  // up to `concurrency` definitions at a time over one listing, one lock per records folder for the
  // run; definitions of one title one after another (the second finds what the first created)
  const indexes = new RunIndexes()
  const locks = new RunLocks(() => indexes.invalidate())
  const sameSpace = new KeyedMutex()
  const overrides = {
    ...(inputs['warehouse-id'] ? { warehouse_id: inputs['warehouse-id'] } : {}),
    ...(inputs['parent-path'] ? { parent_path: inputs['parent-path'] } : {}),
    ...(inputs.title ? { title: inputs.title } : {})
  }
  const results = await mapConcurrent(files, inputs.concurrency ?? DEFAULT_CONCURRENCY, async (file): Promise<{ file: string; result?: PushResult; error?: string }> => {
    try {
      const { definition } = await readDefinition(file, { cwd: rt.cwd, strict: true })
      const ctx = pushRecordsContext({
        client,
        space: definition.space,
        overrides,
        key: spaceKey(file),
        statePath: inputs['state-path'],
        run: runInfo(rt.env, 'action'),
        logger,
        lock: lockSettings(rt.env, inputs['lock-timeout'], parseDuration),
        containsSecret: (t) => secrets.redact(t) !== t,
        locks
      })
      const title = desiredSpace(definition.space, overrides).meta.title ?? ''
      const result = await sameSpace.run(title, () =>
        pushWithRecords(client, definition.space, { ...(inputs['space-id'] ? { spaceId: inputs['space-id'] } : {}), overrides, dryRun: inputs['dry-run'] ?? false, logger, index: indexes.for(client) }, ctx)
      )
      return { file, result }
    } catch (err) {
      return { file, error: secrets.redact(describeError(err)) }
    }
  })
  for (const { file, result, error } of results) {
    if (!result) {
      // with one definition the step's failure says it all (below)
      if (results.length > 1) rt.error(`${file}: ${error ?? 'failed'}`, { title: 'SpaceOps: push failed', file })
      continue
    }
    if (result.diff.changes.length) rt.infoLines(renderText([{ definition: file, title: result.title, status: 'changed', diff: result.diff }]).trimEnd())
    rt.info(`${file}: ${result.action} ${result.spaceId ?? ''} "${result.title}"`)
  }
  const ids = Object.fromEntries(results.filter((r) => r.result?.spaceId).map((r) => [r.file, r.result?.spaceId]))
  const last = results[results.length - 1]?.result?.spaceId
  if (last) rt.setOutput('space-id', last)
  rt.setOutput('space-ids', JSON.stringify(ids))
  rt.setOutput('changed', String(results.some((r) => r.result && r.result.action !== 'unchanged')))
  const rows = results.map(({ file, result, error }) =>
    result
      ? `| ${md(file)} | ${result.action} | ${result.spaceId ?? '—'} | ${md(result.action === 'created' || result.action === 'would-create' ? 'new space' : summaryLine(result.diff))} |`
      : `| ${md(file)} | error | — | ${md(error ?? 'failed')} |`
  )
  await rt.appendSummary(
    [`### SpaceOps push${inputs['dry-run'] ? ' (dry run)' : ''}`, '', '| Definition | Result | Space id | Changes |', '|---|---|---|---|', ...rows, ''].join('\n')
  )
  const failed = results.filter((r) => !r.result)
  if (failed.length) {
    const only = results.length === 1 ? failed[0] : undefined
    rt.setFailed(only ? (only.error ?? 'failed') : `${failed.length} of ${results.length} definition(s) could not be pushed: ${failed.map((f) => `${f.file}: ${f.error ?? 'failed'}`).join('; ')}`)
    return false
  }
  return true
}

/** mode: snapshot — write a live space to the file named by `definition`. */
export async function snapshotMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const spaceId = inputs['space-id']
  if (!spaceId) throw new SpaceOpsError('mode snapshot needs input space-id')
  const target = inputs.definition.length === 1 ? inputs.definition[0] : undefined
  if (!target || /[*?{[]/.test(target)) throw new SpaceOpsError('mode snapshot needs input definition: the one file to write (e.g. spaces/sales/space.yaml)')
  const format = formatOf(target)
  if (!format) throw new SpaceOpsError(`${target}: use a .yaml or .geniespace.json file name`)
  const snap = await snapshotSpace(actionClient(rt, inputs, secrets), spaceId, format)
  await writeFileAtomic(path.resolve(rt.cwd, target), snap.text, target)
  rt.info(`wrote ${target} from space ${spaceId} "${snap.title}"`)
  rt.setOutput('path', target)
  rt.setOutput('space-id', spaceId)
  return true
}
