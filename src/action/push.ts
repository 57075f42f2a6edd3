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
import { SpaceOpsError } from '../util/errors.js'
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
  const results: { file: string; result: PushResult }[] = []
  for (const file of files) {
    const { definition } = await readDefinition(file, { cwd: rt.cwd, strict: true })
    const overrides = {
      ...(inputs['warehouse-id'] ? { warehouse_id: inputs['warehouse-id'] } : {}),
      ...(inputs['parent-path'] ? { parent_path: inputs['parent-path'] } : {}),
      ...(inputs.title ? { title: inputs.title } : {})
    }
    const ctx = pushRecordsContext({
      client,
      space: definition.space,
      overrides,
      key: spaceKey(file),
      statePath: inputs['state-path'],
      run: runInfo(rt.env, 'action'),
      logger,
      lock: lockSettings(rt.env, inputs['lock-timeout'], parseDuration),
      containsSecret: (t) => secrets.redact(t) !== t
    })
    const result = await pushWithRecords(client, definition.space, { ...(inputs['space-id'] ? { spaceId: inputs['space-id'] } : {}), overrides, dryRun: inputs['dry-run'] ?? false, logger }, ctx)
    if (result.diff.changes.length) rt.infoLines(renderText([{ definition: file, title: result.title, status: 'changed', diff: result.diff }]).trimEnd())
    rt.info(`${file}: ${result.action} ${result.spaceId ?? ''} "${result.title}"`)
    results.push({ file, result })
  }
  const ids = Object.fromEntries(results.filter((r) => r.result.spaceId).map((r) => [r.file, r.result.spaceId]))
  const last = results[results.length - 1]?.result.spaceId
  if (last) rt.setOutput('space-id', last)
  rt.setOutput('space-ids', JSON.stringify(ids))
  rt.setOutput('changed', String(results.some((r) => r.result.action !== 'unchanged')))
  const rows = results.map(
    (r) => `| ${md(r.file)} | ${r.result.action} | ${r.result.spaceId ?? '—'} | ${md(r.result.action === 'created' || r.result.action === 'would-create' ? 'new space' : summaryLine(r.result.diff))} |`
  )
  await rt.appendSummary(
    [`### SpaceOps push${inputs['dry-run'] ? ' (dry run)' : ''}`, '', '| Definition | Result | Space id | Changes |', '|---|---|---|---|', ...rows, ''].join('\n')
  )
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
