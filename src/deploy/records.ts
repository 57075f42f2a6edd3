import path from 'node:path/posix'
import { z } from 'zod'
import { GenieApiError, isMissingParentFolderError, type GenieClient } from '../client/index.js'
import { renderPayload } from '../model/convert.js'
import { readPayload } from './live.js'
import type { Space } from '../model/space.js'
import { diffSpaces, type SpaceDiff } from '../plan/diff.js'
import { SpaceOpsError, describeError } from '../util/errors.js'

/**
 * Deploy records: what SpaceOps last wrote to a space, kept in the workspace the space lives in, as
 * Databricks Asset Bundles keep their deployment state — so every fresh checkout of every job sees
 * them. One small JSON file per definition, `<folder>/<key>.json`, where the folder is the
 * environment's `state_path`, by default `<parent_path>/.spaceops`, and the key is the definition's
 * folder name (as in `spaces.<key>` of the promotion config).
 *
 * A record binds the definition to its space (so a changed title renames the same space) and holds:
 * - `deployed`: the content SpaceOps last wrote and verified, when, by which run and commit, and the
 *   etag it got back;
 * - `intent`: the content SpaceOps is about to write, recorded BEFORE the write and cleared after it
 *   is verified. A live space equal to a recorded intent is SpaceOps' own work (a run that died between
 *   its write and its record), never an "edit outside SpaceOps".
 * Records never hold a secret: the writer refuses a text in which a registered secret appears.
 */
export const RECORDS_DIR = '.spaceops'

const RunSchema = z.object({
  kind: z.enum(['github-actions', 'cli']),
  repository: z.string().optional(),
  workflow: z.string().optional(),
  job: z.string().optional(),
  run_id: z.string().optional(),
  run_attempt: z.string().optional(),
  actor: z.string().optional(),
  commit: z.string().optional(),
  ref: z.string().optional(),
  user: z.string().optional()
})
export type RunInfo = z.infer<typeof RunSchema>

const ContentSchema = z.object({
  title: z.string().nullable(),
  description: z.string().nullable(),
  warehouse_id: z.string().nullable(),
  parent_path: z.string().nullable(),
  serialized_space: z.unknown()
})

export const DeployRecordSchema = z.object({
  format: z.literal('spaceops-deploy-record'),
  version: z.literal(2),
  key: z.string(),
  environment: z.string().nullable(),
  space_id: z.string().nullable(),
  deployed: z.object({ at: z.string(), run: RunSchema, etag: z.string().nullable(), content: ContentSchema }).nullable(),
  intent: z.object({ at: z.string(), run: RunSchema, space_id: z.string().nullable(), content: ContentSchema }).nullable(),
  /** where the record came from when it was migrated from a spaceops-state.json */
  migrated_from: z.string().optional()
})
export type DeployRecord = z.infer<typeof DeployRecordSchema>

/** Who is running: from the workflow's variables (GitHub Actions) or the user (CLI). Holds no secret. */
export function runInfo(env: Record<string, string | undefined>, face: 'action' | 'cli'): RunInfo {
  const gh = env.GITHUB_ACTIONS === 'true' || face === 'action'
  const pick = (v: string | undefined) => (v && v.length <= 200 && !/[\u0000-\u001f]/.test(v) ? v : undefined)
  const out: RunInfo = { kind: gh ? 'github-actions' : 'cli' }
  const fields: [keyof RunInfo, string | undefined][] = gh
    ? [
        ['repository', env.GITHUB_REPOSITORY],
        ['workflow', env.GITHUB_WORKFLOW],
        ['job', env.GITHUB_JOB],
        ['run_id', env.GITHUB_RUN_ID],
        ['run_attempt', env.GITHUB_RUN_ATTEMPT],
        ['actor', env.GITHUB_ACTOR],
        ['commit', env.GITHUB_SHA],
        ['ref', env.GITHUB_REF]
      ]
    : [
        ['user', env.USER ?? env.USERNAME],
        ['commit', env.GITHUB_SHA]
      ]
  for (const [k, v] of fields) {
    const p = pick(v)
    if (p !== undefined) (out as Record<string, string>)[k] = p
  }
  return out
}

/** One line naming a run: `owner/repo run 123 (attempt 2, deploy/promote) at 1a2b3c4`. */
export function describeRun(run: RunInfo): string {
  if (run.kind === 'cli') return `spaceops CLI${run.user ? ` (${run.user})` : ''}${run.commit ? ` at ${run.commit.slice(0, 7)}` : ''}`
  const what = [run.run_attempt && run.run_attempt !== '1' ? `attempt ${run.run_attempt}` : '', [run.workflow, run.job].filter(Boolean).join('/')]
    .filter(Boolean)
    .join(', ')
  return `${run.repository ?? 'a workflow'}${run.run_id ? ` run ${run.run_id}` : ''}${what ? ` (${what})` : ''}${run.commit ? ` at ${run.commit.slice(0, 7)}` : ''}`
}

/** The records folder: `state_path`, else `<parent_path>/.spaceops`; undefined when neither is known. */
export function recordsFolder(o: { statePath?: string | undefined; parentPath?: string | null | undefined }): string | undefined {
  const raw = o.statePath ?? (o.parentPath ? path.join(o.parentPath, RECORDS_DIR) : undefined)
  if (!raw) return undefined
  const p = path.normalize(raw).replace(/\/+$/, '')
  if (!p.startsWith('/'))
    throw new SpaceOpsError(`state_path ${JSON.stringify(raw)} is not an absolute workspace path (e.g. /Workspace/Shared/genie/.spaceops)`)
  return p
}

/** A key as a file name: the definition folder name, with anything unusual percent-encoded. */
export function recordFile(folder: string, key: string): string {
  const safe = encodeURIComponent(key).replace(/^\.+/, (m) => '%2E'.repeat(m.length))
  if (!safe) throw new SpaceOpsError('a deploy record needs a non-empty definition key')
  return `${folder}/${safe}.json`
}

export class RecordsUnreadableError extends SpaceOpsError {
  constructor(message: string) {
    super(message)
    this.name = 'RecordsUnreadableError'
  }
}

/**
 * Reads one record. undefined = there is none. Anything else that goes wrong — no permission, the
 * API failing, a file that is not a record — throws RecordsUnreadableError: the drift guard fails
 * closed on it rather than deploying over edits it could not check.
 */
export async function readRecord(client: GenieClient, folder: string, key: string): Promise<DeployRecord | undefined> {
  const file = recordFile(folder, key)
  let text: string | undefined
  try {
    text = await client.readWorkspaceFile(file)
  } catch (err) {
    // no access: the records are there but not for us. Anything else (no answer, a 5xx after the
    // retries) is an error of the run itself, as for any other call to that host
    if (err instanceof GenieApiError && (err.status === 401 || err.status === 403)) {
      throw new RecordsUnreadableError(`cannot read the deploy record ${file} on ${client.host}: ${describeError(err)}${permissionHint(err, folder, 'read')}`)
    }
    throw err
  }
  if (text === undefined) return undefined
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new RecordsUnreadableError(`the deploy record ${file} on ${client.host} is not valid JSON (${(err as Error).message}); delete it to start afresh`)
  }
  const parsed = DeployRecordSchema.safeParse(json)
  if (!parsed.success) throw new RecordsUnreadableError(`${file} on ${client.host} is not a SpaceOps deploy record (version 2); delete it to start afresh`)
  if (parsed.data.key !== key) throw new RecordsUnreadableError(`${file} on ${client.host} is the record of "${parsed.data.key}", not "${key}"`)
  return parsed.data
}

export interface RecordWriter {
  client: GenieClient
  folder: string
  /** true when a registered secret appears in the text (SecretRegistry): such a record is never written */
  containsSecret?: (text: string) => boolean
}

/** Writes one record (creating the folder). Throws a one-line SpaceOpsError naming the folder and the permission. */
export async function writeRecord(w: RecordWriter, record: DeployRecord): Promise<void> {
  const file = recordFile(w.folder, record.key)
  const text = `${JSON.stringify(DeployRecordSchema.parse(record), null, 2)}\n`
  if (w.containsSecret?.(text)) throw new SpaceOpsError(`the deploy record ${file} would contain a secret; it was not written`)
  try {
    // the folder is made when it is missing, not before every write: records are written under the
    // deploy lock, whose file is in the same folder. The docs do not say what import answers for a
    // missing parent folder; Databricks answers 404 RESOURCE_DOES_NOT_EXIST (isMissingParentFolderError).
    try {
      await writeChecked(w.client, file, text, true)
    } catch (err) {
      if (!isMissingParentFolderError(err)) throw err
      await ensureFolder(w.client, w.folder)
      await writeChecked(w.client, file, text, true)
    }
  } catch (err) {
    throw new SpaceOpsError(`could not write the deploy record ${file} on ${w.client.host}: ${describeError(err)}${permissionHint(err, w.folder, 'write')}`)
  }
}

/**
 * Workspace writes of records and locks make ONE attempt; when its answer is unclear (a 5xx, a lost
 * response), the file is read back: the same text there means the write went through. Cheaper and
 * surer than repeating a write whose first try may have been applied.
 */
export async function writeChecked(client: GenieClient, file: string, text: string, overwrite: boolean): Promise<void> {
  try {
    await client.writeWorkspaceFile(file, text, { overwrite, retry: false })
  } catch (err) {
    if (!(err instanceof GenieApiError) || !err.ambiguous) throw err
    if ((await client.readWorkspaceFile(file)) !== text) throw err
  }
}

/** mkdirs, one attempt; an unclear answer is checked with get-status. */
export async function ensureFolder(client: GenieClient, folder: string): Promise<void> {
  try {
    await client.mkdirs(folder, { retry: false })
  } catch (err) {
    if (!(err instanceof GenieApiError) || !err.ambiguous) throw err
    if ((await client.workspaceStatus(folder))?.object_type !== 'DIRECTORY') throw err
  }
}

export function permissionHint(err: unknown, folder: string, what: 'read' | 'write'): string {
  if (!(err instanceof GenieApiError) || (err.status !== 403 && err.status !== 401)) return ''
  return what === 'write'
    ? ` — the deploying principal needs Can Edit (or Can Manage) on the folder ${folder}, or set state_path to a folder it can write`
    : ` — the deploying principal needs Can Read on the folder ${folder}`
}

export type RecordedContent = z.infer<typeof ContentSchema>

export function contentOf(space: Space): RecordedContent {
  return renderPayload(space)
}

/** A recorded content as a Space, to compare with the live one. */
export function recordedSpace(content: RecordedContent, what: string): Space {
  const r = readPayload(`${what}.recorded.json`, content)
  if (!('space' in r))
    throw new RecordsUnreadableError(`the deploy record of ${what} cannot be read as a space: ${r.problems[0]?.message ?? 'unknown problem'}`)
  return r.space
}

/**
 * What changed from a recorded write to the live space. Settings the record leaves unset (a
 * definition that leaves the warehouse or folder to the workspace) are not compared: they were
 * never SpaceOps' to keep.
 */
export function sinceRecorded(recorded: Space, live: Space): SpaceDiff {
  const meta = { ...live.meta }
  for (const k of Object.keys(meta) as (keyof typeof meta)[]) if (recorded.meta[k] === undefined || recorded.meta[k] === null) delete meta[k]
  return diffSpaces(recorded, { ...live, meta }, { onlyDesiredMeta: false })
}

export type Ownership =
  | { kind: 'no-record' }
  /** the live space is what SpaceOps last wrote (or was about to write, `fromIntent`) */
  | { kind: 'own'; fromIntent: boolean; at: string; run: RunInfo }
  /** the live space was changed after SpaceOps' last write: `diff` is recorded → live */
  | { kind: 'edited'; diff: SpaceDiff; at: string; run: RunInfo }
  /** the record is of another space (the binding moved, e.g. the config names a new id) */
  | { kind: 'other-space'; recordedId: string }

/** Is the live space what SpaceOps left there? Compared by content, as Genie would treat it. */
export function ownership(record: DeployRecord | undefined, liveId: string, live: Space, key: string): Ownership {
  if (!record) return { kind: 'no-record' }
  const sameSpace = (id: string | null) => id === null || id === liveId
  if (record.intent && sameSpace(record.intent.space_id ?? record.space_id)) {
    const d = sinceRecorded(recordedSpace(record.intent.content, key), live)
    if (!d.changes.length) return { kind: 'own', fromIntent: true, at: record.intent.at, run: record.intent.run }
  }
  if (record.space_id !== null && record.space_id !== liveId) return { kind: 'other-space', recordedId: record.space_id }
  if (!record.deployed) {
    if (record.intent) {
      const d = sinceRecorded(recordedSpace(record.intent.content, key), live)
      return { kind: 'edited', diff: d, at: record.intent.at, run: record.intent.run }
    }
    return { kind: 'no-record' }
  }
  const diff = sinceRecorded(recordedSpace(record.deployed.content, key), live)
  if (!diff.changes.length) return { kind: 'own', fromIntent: false, at: record.deployed.at, run: record.deployed.run }
  return { kind: 'edited', diff, at: record.deployed.at, run: record.deployed.run }
}

/** The record after an intent to write `space` (kept `deployed` until the write is verified). */
export function withIntent(
  prev: DeployRecord | undefined,
  o: { key: string; environment?: string | undefined; spaceId?: string | undefined; space: Space; run: RunInfo; now: Date }
): DeployRecord {
  return {
    format: 'spaceops-deploy-record',
    version: 2,
    key: o.key,
    environment: o.environment ?? prev?.environment ?? null,
    space_id: o.spaceId ?? prev?.space_id ?? null,
    deployed: prev?.deployed ?? null,
    intent: { at: o.now.toISOString(), run: o.run, space_id: o.spaceId ?? null, content: contentOf(o.space) }
  }
}

/** The record after a verified write. */
export function completed(o: {
  key: string
  environment?: string | undefined
  spaceId: string
  etag?: string | undefined
  space: Space
  run: RunInfo
  now: Date
}): DeployRecord {
  return {
    format: 'spaceops-deploy-record',
    version: 2,
    key: o.key,
    environment: o.environment ?? null,
    space_id: o.spaceId,
    deployed: { at: o.now.toISOString(), run: o.run, etag: o.etag ?? null, content: contentOf(o.space) },
    intent: null
  }
}
