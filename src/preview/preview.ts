import type { GenieClient } from '../client/index.js'
import { pushWithRecords, type RecordsContext } from '../deploy/recorded.js'
import { requireTitle, type PushAction } from '../deploy/push.js'
import { recordsFolder, type RunInfo } from '../deploy/records.js'
import type { RunLocks } from '../deploy/lock.js'
import type { Space } from '../model/space.js'
import { normalizeParentPath } from '../plan/diff.js'
import { SpaceOpsError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'

/**
 * Preview spaces: a pull request's version of a space, deployed as a temporary space of the
 * preview environment (`previewEnvironment` in promote/config.ts) so it can be measured before the
 * merge. A preview lives in `<parent_path>/previews/pr-<number>`, titled `<title> [PR #<number>]`,
 * with the environment's warehouse and mappings (the caller renders it, as promote does).
 *
 * Records: a preview never touches a real environment's deploy record. It has records of its own in
 * the preview folder (`<parent_path>/previews/pr-<number>/.spaceops/<key>.json`), written by the same
 * `pushWithRecords` as every deploy: the binding finds the same preview on the next push (a PR that
 * renames its space still updates one preview), the intent is recorded before each write, and the
 * folder's deploy lock keeps two runs of the same PR from creating two previews. The records folder
 * of the environment (`<parent_path>/.spaceops`) is never read or written here.
 */
export const PREVIEWS_DIR = 'previews'

/** The folder of a pull request's previews under an environment's folder. */
export function previewFolder(parentPath: string, pr: number): string {
  checkPr(pr)
  const base = parentPath.replace(/\/+$/, '')
  return `${base}/${PREVIEWS_DIR}/pr-${pr}`
}

/**
 * What a preview is of: the pull request's version, or — when the preview environment has no space
 * for the definition yet — the base branch's, deployed beside it to compare with.
 */
export type PreviewOf = 'pr' | 'base'

export const previewTitle = (title: string, pr: number, of: PreviewOf = 'pr'): string => `${title} [PR #${pr}${of === 'base' ? ' base' : ''}]`

/** The records key of a preview (the base's preview has its own record beside the PR's). */
export const previewKey = (key: string, of: PreviewOf = 'pr'): string => (of === 'base' ? `${key}@base` : key)

function checkPr(pr: number): void {
  if (!Number.isInteger(pr) || pr <= 0) throw new SpaceOpsError(`a pull request number must be a positive whole number, not ${pr}`)
}

/** A definition rendered for the preview environment, moved to the PR's preview folder and titled for it. */
export function previewSpace(rendered: Space, pr: number, definitionFile: string, of: PreviewOf = 'pr'): Space {
  const parent = rendered.meta.parent_path
  if (!parent)
    throw new SpaceOpsError(
      `${definitionFile}: a preview needs a folder: set parent_path in the preview environment of the promotion config (or in the definition)`
    )
  const title = requireTitle(rendered.meta)
  return { meta: { ...rendered.meta, parent_path: previewFolder(parent, pr), title: previewTitle(title, pr, of) }, document: rendered.document }
}

export interface PreviewDeployOptions {
  client: GenieClient
  /** the definition as the preview environment gets it (renderFor), before previewSpace */
  rendered: Space
  definitionFile: string
  /** the records key of the definition (spaceKey) */
  key: string
  pr: number
  /** default the PR's version */
  of?: PreviewOf
  environment: string
  run: RunInfo
  logger: Logger
  now: () => Date
  sleep: (ms: number) => Promise<void>
  containsSecret?: (text: string) => boolean
  lock?: { waitMs?: number; ttlMs?: number; pollMs?: number }
  locks?: RunLocks
}

export interface DeployedPreview {
  spaceId: string
  action: PushAction
  title: string
  folder: string
}

/** Creates the PR's preview of a definition, or updates the one it already has (never a second one). */
export async function deployPreview(o: PreviewDeployOptions): Promise<DeployedPreview> {
  const space = previewSpace(o.rendered, o.pr, o.definitionFile, o.of)
  const folder = space.meta.parent_path as string
  const ctx: RecordsContext = {
    client: o.client,
    folder: recordsFolder({ parentPath: folder }),
    key: previewKey(o.key, o.of),
    // not the name of an environment: a record of a preview can never be taken for one of `environment`
    environment: `${o.environment} preview pr-${o.pr}`,
    run: o.run,
    logger: o.logger,
    now: o.now,
    sleep: o.sleep,
    ...(o.containsSecret ? { containsSecret: o.containsSecret } : {}),
    ...(o.lock ? { lock: o.lock } : {}),
    ...(o.locks ? { locks: o.locks } : {})
  }
  const result = await pushWithRecords(o.client, space, { logger: o.logger, sleep: o.sleep }, ctx)
  if (!result.spaceId) throw new SpaceOpsError(`${o.definitionFile}: the preview was not written (${result.action})`)
  return { spaceId: result.spaceId, action: result.action, title: space.meta.title as string, folder }
}

const PREVIEW_FOLDER = new RegExp(`/${PREVIEWS_DIR}/pr-([1-9]\\d{0,9})/?$`)

/**
 * A space SpaceOps made as a pull-request preview, by its name alone: a folder `…/previews/pr-<n>`
 * and a title ending ` [PR #<n>]` or ` [PR #<n> base]` with the same n. Adoption leaves such spaces
 * out (they are trashed when their pull request closes).
 */
export function isPreviewSpace(parentPath: string | undefined, title: string): boolean {
  const folder = PREVIEW_FOLDER.exec(normalizeParentPath(parentPath) ?? '')
  const named = / \[PR #([1-9]\d{0,9})(?: base)?\]$/.exec(title)
  return !!folder && !!named && folder[1] === named[1]
}

/** `<root>/previews/pr-<n>` → n, for a folder directly under one of `roots`; else undefined. */
export function previewNumber(parentPath: string | undefined, roots: readonly string[]): number | undefined {
  const p = normalizeParentPath(parentPath)
  if (!p) return undefined
  for (const root of roots) {
    const r = normalizeParentPath(root)
    if (!r) continue
    const prefix = `${r === '/' ? '' : r}/${PREVIEWS_DIR}/pr-`
    if (!p.startsWith(prefix)) continue
    const n = p.slice(prefix.length)
    if (/^[1-9]\d{0,9}$/.test(n)) return Number(n)
  }
  return undefined
}
