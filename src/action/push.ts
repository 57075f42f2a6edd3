import { ACTION_NAMES } from '../core/names.js'
import { expandDefinitions } from '../core/paths.js'
import { readDefinition } from '../core/validate.js'
import type { PushResult } from '../deploy/push.js'
import { pushRecordsContext, pushWithRecords } from '../deploy/recorded.js'
import { runInfo } from '../deploy/records.js'
import { lockSettings } from '../deploy/lock.js'
import { spaceKey } from '../promote/config.js'
import { renderText, summaryLine } from '../plan/render.js'
import { formatOf } from '../model/load.js'
import { adoptSpaces } from '../promote/adopt.js'
import { loadPromotionConfig, resolveEnvironment } from '../promote/config.js'
import { snapshotDefinition } from '../promote/snapshot.js'
import { actionConnector, actionExpansion } from './config.js'
import { md } from '../github/summary.js'
import { SpaceOpsError, describeError } from '../util/errors.js'
import { RunLocks } from '../deploy/lock.js'
import { RunIndexes } from '../deploy/space-index.js'
import { desiredSpace } from '../deploy/push.js'
import { DEFAULT_CONCURRENCY, KeyedMutex, mapAhead, mapSettled } from '../util/pool.js'
import type { ActionsRuntime } from '../github/actions.js'
import type { SecretRegistry } from '../util/secrets.js'
import { actionClient, actionLogger } from './client.js'
import type { ActionInputs } from './inputs.js'

/** mode: push — `spaceops push` for every definition matched (`title` only with one definition). */
export async function pushMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const files = (await expandDefinitions(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
  for (const one of ['space-id', 'title'] as const) {
    if (inputs[one] && files.length !== 1)
      throw new SpaceOpsError(`input ${one} names one space but definition matches ${files.length} files; point definition at one file`)
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
  // (the definitions are read and checked ahead, one at a time, while the requests of those before are in flight)
  const results = await mapAhead(
    files,
    inputs.concurrency ?? DEFAULT_CONCURRENCY,
    (file) => readDefinition(file, { cwd: rt.cwd, strict: true }),
    async (reading, file): Promise<{ file: string; result?: PushResult; error?: string }> => {
      try {
        const { definition } = await reading
        const ctx = pushRecordsContext({
          client,
          space: definition.space,
          overrides,
          key: spaceKey(file),
          statePath: inputs['state-path'],
          run: runInfo(rt.env, 'action'),
          logger,
          lock: lockSettings(rt.env, inputs['lock-timeout'], ACTION_NAMES),
          containsSecret: (t) => secrets.redact(t) !== t,
          locks
        })
        const title = desiredSpace(definition.space, overrides).meta.title ?? ''
        const result = await sameSpace.run(title, () =>
          pushWithRecords(
            client,
            definition.space,
            {
              ...(inputs['space-id'] ? { spaceId: inputs['space-id'] } : {}),
              overrides,
              dryRun: inputs['dry-run'] ?? false,
              logger,
              names: ACTION_NAMES,
              index: indexes.for(client)
            },
            ctx
          )
        )
        return { file, result }
      } catch (err) {
        return { file, error: secrets.redact(describeError(err)) }
      }
    }
  )
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
    [`### SpaceOps push${inputs['dry-run'] ? ' (dry run)' : ''}`, '', '| Definition | Result | Space id | Changes |', '|---|---|---|---|', ...rows, ''].join(
      '\n'
    )
  )
  const failed = results.filter((r) => !r.result)
  if (failed.length) {
    const only = results.length === 1 ? failed[0] : undefined
    rt.setFailed(
      only
        ? (only.error ?? 'failed')
        : `${failed.length} of ${results.length} definition(s) could not be pushed: ${failed.map((f) => `${f.file}: ${f.error ?? 'failed'}`).join('; ')}`
    )
    return false
  }
  return true
}

/**
 * mode: snapshot — bring live spaces into Git. With `space-id`: that space into the one file named
 * by `definition`. Without: every definition `definition` matches gets its live space (found as
 * drift finds it; with `target-env`, in that environment and mapped back into the source names),
 * edited in place. With `all-spaces`: adoption of the workspace (or of `parent-path`) into the
 * folder `definition` names. Outputs `changed-files` (one per line, for a pull request step).
 */
export async function snapshotMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const spaceId = inputs['space-id']
  const target = inputs['target-env']
  const configFile = inputs.config ?? 'config/promotion.yaml'
  if (inputs['write-ids'] && !(inputs['all-spaces'] && target)) throw new SpaceOpsError('input write-ids goes with all-spaces and target-env in mode snapshot')
  const config = target ? await loadPromotionConfig(configFile, rt.cwd, ACTION_NAMES) : undefined
  const connect = config && target ? actionConnector(rt, inputs, secrets, config, target) : undefined
  const client = connect && target ? connect(target).client : actionClient(rt, inputs, secrets)
  const policy = config ? actionExpansion(rt, inputs, secrets, config) : undefined
  const env = config && target && policy ? { config, name: target, policy } : undefined
  const changedFiles: string[] = []

  if (inputs['all-spaces']) {
    const dir = inputs.definition.length === 1 ? inputs.definition[0] : undefined
    if (!dir || /[*?{[]/.test(dir) || formatOf(dir))
      throw new SpaceOpsError('mode snapshot with all-spaces needs input definition: the folder to write the definitions into (e.g. spaces)')
    const result = await adoptSpaces(client, {
      dir,
      cwd: rt.cwd,
      ...(inputs['parent-path'] ? { folder: inputs['parent-path'] } : {}),
      force: inputs.force ?? false,
      names: ACTION_NAMES,
      ...(env ? { env: { config: env.config, envc: resolveEnvironment(env.config, env.name, env.policy), writeIds: inputs['write-ids'] ?? false } } : {}),
      run: runInfo(rt.env, 'action'),
      now: () => new Date(),
      logger: actionLogger(rt, secrets),
      containsSecret: (t) => secrets.redact(t) !== t
    })
    for (const w of result.written) rt.info(`wrote ${w.file} from space ${w.spaceId} "${w.title}"`)
    for (const k of result.skipped) rt.warning(`skipped space ${k.spaceId} "${k.title}": ${k.reason}`)
    changedFiles.push(...result.written.map((w) => w.file))
    if (config && inputs['write-ids'] && result.written.some((w) => w.idWritten)) changedFiles.push(config.file)
    rt.setOutput('path', dir)
  } else {
    let files: string[]
    if (spaceId) {
      const one = inputs.definition.length === 1 ? inputs.definition[0] : undefined
      if (!one || /[*?{[]/.test(one))
        throw new SpaceOpsError('mode snapshot with space-id needs input definition: the one file to write (e.g. spaces/sales/space.yaml)')
      if (!formatOf(one)) throw new SpaceOpsError(`${one}: use a .yaml or .geniespace.json file name`)
      files = [one]
    } else files = (await expandDefinitions(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
    const src = { client, ...(env ? { env } : {}), statePath: inputs['state-path'] }
    // up to `concurrency` definitions at a time, reported in definition order; one that fails does
    // not stop the others, and the first failure is the mode's error once all have been written
    const { results: outcomes, firstError } = await mapSettled(files, inputs.concurrency ?? DEFAULT_CONCURRENCY, (file) =>
      snapshotDefinition(src, file, rt.cwd, { spaceId, force: inputs.force, onlySpace: files.length === 1, names: ACTION_NAMES })
    )
    for (const [i, file] of files.entries()) {
      const o = outcomes[i]
      if (!o || !('value' in o)) continue
      const r = o.value
      if (r.note) rt.warning(r.note)
      rt.info(`${r.changed ? 'updated' : 'unchanged:'} ${file} from space ${r.spaceId} "${r.title}"`)
      if (r.changed) changedFiles.push(file)
      rt.setOutput('space-id', r.spaceId)
    }
    if (firstError) throw firstError.error
    rt.setOutput('path', files.length === 1 ? (files[0] as string) : '')
  }
  rt.setOutput('changed-files', changedFiles.join('\n'))
  rt.setOutput('changed', String(changedFiles.length > 0))
  await rt.appendSummary(
    [
      `### SpaceOps snapshot${target ? ` of ${md(target)}` : ''}`,
      '',
      changedFiles.length ? changedFiles.map((f) => `- ${md(f)}`).join('\n') : 'No definition changed.',
      ''
    ].join('\n')
  )
  return true
}
