import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import { access } from 'node:fs/promises'
import path from 'node:path'
import { GenieApiError, type GenieClient, type GenieSpace } from '../client/index.js'
import { isPreviewSpace } from '../preview/preview.js'
import { toYamlText } from '../core/formats.js'
import { writeFileAtomic } from '../core/files.js'
import { spaceFromApi } from '../deploy/live.js'
import { completed, recordsFolder, writeRecord, type RunInfo } from '../deploy/records.js'
import type { Space } from '../model/space.js'
import { describeError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import { spaceSettings, type PromotionConfig, type ResolvedEnvironment } from './config.js'
import { renderFromEnvironment } from './remap.js'
import { writeSpaceId } from './write-ids.js'

/**
 * Adoption (`spaceops snapshot --all`): every space of a workspace (or of one folder) the caller
 * can edit becomes a definition `<dir>/<slug of its title>/space.yaml`, bound to its space so the
 * next push or promote updates it rather than creating a copy: a completed deploy record whose
 * content is what is live (so the drift guard sees SpaceOps' own, unchanged space) and, with
 * `writeIds`, `spaces.<slug>.space_id` in the promotion config. With an environment, the space is
 * written in the source names and without the environment's own settings (renderFromEnvironment).
 * An existing folder is never written over without `force`.
 */
export interface AdoptOptions {
  dir: string
  cwd: string
  folder?: string
  force?: boolean
  /** how the face names force in the reason a folder was skipped (`--force`, `force: true`) */
  names?: Names
  env?: { config: PromotionConfig; envc: ResolvedEnvironment; writeIds: boolean }
  run: RunInfo
  now: () => Date
  logger: Logger
  containsSecret?: (text: string) => boolean
}

export interface AdoptedSpace {
  spaceId: string
  title: string
  file: string
  /** false when the deploy record could not be written (see the warning) */
  recorded: boolean
  idWritten: boolean
}

export interface SkippedSpace {
  spaceId: string
  title: string
  reason: string
}

export interface AdoptResult {
  written: AdoptedSpace[]
  skipped: SkippedSpace[]
}

/** A folder name from a title: lowercase words joined by "-" (`Sales — EMEA` → `sales-emea`). */
export function slugOf(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
}

/** A workspace path as compared: the API may answer without the /Workspace prefix (genie-api.md). */
const wsPath = (p: string) => p.replace(/\/+$/, '').replace(/^\/Workspace(?=\/|$)/, '') || '/'

const inFolder = (parent: string | undefined, folder: string) => {
  if (parent === undefined) return false
  const f = wsPath(folder)
  const p = wsPath(parent)
  return p === f || p.startsWith(f === '/' ? '/' : `${f}/`)
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false
  )

export async function adoptSpaces(client: GenieClient, o: AdoptOptions): Promise<AdoptResult> {
  const listed = await client.listAllSpaces()
  const chosen = listed
    .filter((s) => o.folder === undefined || inFolder(s.parent_path, o.folder))
    .sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.space_id < b.space_id ? -1 : 1))
  const written: AdoptedSpace[] = []
  const skipped: SkippedSpace[] = []
  const slugs = new Map<string, string>()
  for (const s of chosen) {
    const title = s.title
    if (isPreviewSpace(s.parent_path, title)) {
      skipped.push({ spaceId: s.space_id, title, reason: 'a pull-request preview (trashed when its pull request closes), not a space to keep in Git' })
      continue
    }
    const slug = slugOf(title) || `space-${s.space_id.slice(0, 8)}`
    const taken = slugs.get(slug)
    if (taken !== undefined) {
      skipped.push({ spaceId: s.space_id, title, reason: `duplicate title: space ${taken} is written as ${slug}/` })
      continue
    }
    slugs.set(slug, s.space_id)
    let live: GenieSpace
    try {
      live = await client.getSpace(s.space_id)
    } catch (err) {
      if (err instanceof GenieApiError && (err.status === 403 || err.status === 401)) {
        skipped.push({ spaceId: s.space_id, title, reason: 'no CAN EDIT permission (the document cannot be read)' })
        continue
      }
      throw err
    }
    if (live.serialized_space === undefined) {
      skipped.push({ spaceId: s.space_id, title, reason: 'no CAN EDIT permission (the document cannot be read)' })
      continue
    }
    let liveSpace: Space
    try {
      liveSpace = spaceFromApi(live)
    } catch (err) {
      skipped.push({ spaceId: s.space_id, title, reason: describeError(err) })
      continue
    }
    const folderAbs = path.resolve(o.cwd, o.dir, slug)
    const file = path.join(o.dir, slug, 'space.yaml')
    if (!o.force && (await exists(folderAbs))) {
      skipped.push({
        spaceId: s.space_id,
        title,
        reason: `${path.join(o.dir, slug)}/ exists${viaOption(o.names ?? NEUTRAL_NAMES, 'force', ' (use ', ' to write over it)')}`
      })
      continue
    }
    const settings = o.env ? spaceSettings(o.env.envc, slug, false) : {}
    const definition = o.env ? renderFromEnvironment(liveSpace, o.env.envc, settings, o.env.config.file).space : liveSpace
    await writeFileAtomic(path.join(folderAbs, 'space.yaml'), toYamlText(definition), file)
    // the record goes where push and promote will read it: the folder the definition gets there
    const recorded = await recordAdoption(client, o, slug, live, liveSpace, settings.parent_path ?? live.parent_path)
    let idWritten = false
    if (o.env?.writeIds) idWritten = await writeSpaceId(o.env.config, o.env.envc.name, slug, live.space_id, o.cwd)
    written.push({ spaceId: live.space_id, title, file, recorded, idWritten })
  }
  return { written, skipped }
}

/** The deploy record that binds the new definition to its space: what is live is what SpaceOps deployed. */
async function recordAdoption(
  client: GenieClient,
  o: AdoptOptions,
  key: string,
  live: GenieSpace,
  space: Space,
  parentPath: string | undefined
): Promise<boolean> {
  const folder = recordsFolder({ statePath: o.env?.envc.state_path, parentPath })
  if (!folder) {
    o.logger.warn(`${key}: space ${live.space_id} has no folder and no state_path is set: no deploy record written`)
    return false
  }
  const record = completed({
    key,
    ...(o.env ? { environment: o.env.envc.name } : {}),
    spaceId: live.space_id,
    etag: live.etag,
    space,
    run: o.run,
    now: o.now()
  })
  try {
    await writeRecord({ client, folder, ...(o.containsSecret ? { containsSecret: o.containsSecret } : {}) }, record)
    return true
  } catch (err) {
    o.logger.warn(`${describeError(err)}; ${key} is not bound to space ${live.space_id} by a record`)
    return false
  }
}
