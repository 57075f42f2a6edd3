import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { normalizeHost, type GenieClient, type GenieSpace } from '../client/index.js'
import { writeFileAtomic } from '../core/files.js'
import { loadDefinitionText } from '../model/load.js'
import type { Space } from '../model/space.js'
import { SpaceOpsError } from '../util/errors.js'

/**
 * Backups: the target's full snapshot, saved before any write, in the payload format
 * (`{title, description, warehouse_id, parent_path, serialized_space}` — `spaceops render` and
 * `push` read it too) plus where it came from. `spaceops restore <backup>` puts it back.
 */
const BackupMeta = z.looseObject({
  spaceops_backup: z.object({
    version: z.literal(1),
    space_id: z.string(),
    host: z.string(),
    environment: z.string().optional(),
    taken_at: z.string(),
    etag: z.string().optional()
  })
})

export async function saveBackup(dir: string, live: GenieSpace, info: { host: string; environment?: string; now: Date }): Promise<string> {
  if (live.serialized_space === undefined) throw new SpaceOpsError(`space ${live.space_id}: cannot back up without its serialized_space (CAN EDIT is needed)`)
  const stamp = info.now.toISOString().replace(/[:.]/g, '-')
  const file = path.join(dir, `${info.environment ? `${info.environment}-` : ''}${live.space_id}-${stamp}.json`)
  const body = {
    spaceops_backup: {
      version: 1,
      space_id: live.space_id,
      host: info.host,
      ...(info.environment ? { environment: info.environment } : {}),
      taken_at: info.now.toISOString(),
      ...(live.etag ? { etag: live.etag } : {})
    },
    title: live.title ?? null,
    description: live.description ?? null,
    warehouse_id: live.warehouse_id ?? null,
    parent_path: live.parent_path ?? null,
    // kept exactly as the API returned it
    serialized_space: live.serialized_space
  }
  await writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`)
  return file
}

export interface LoadedBackup {
  file: string
  spaceId: string
  host: string
  environment?: string
  space: Space
  /** the document exactly as backed up */
  serializedSpace: string
  title: string | null
  description: string | null
  warehouseId: string | null
}

export async function loadBackup(file: string, cwd: string): Promise<LoadedBackup> {
  let text: string
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8')
  } catch {
    throw new SpaceOpsError('cannot read the backup file', { location: { file } })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new SpaceOpsError('not a SpaceOps backup: not JSON', { location: { file } })
  }
  const meta = BackupMeta.safeParse(json)
  if (!meta.success) throw new SpaceOpsError('not a SpaceOps backup (no spaceops_backup header)', { location: { file } })
  const loaded = loadDefinitionText(file.endsWith('.json') ? file : `${file}.json`, text)
  if (!loaded.definition) throw new SpaceOpsError(loaded.problems[0]?.message ?? 'unreadable backup', { location: { file } })
  const raw = json as { serialized_space: unknown; title?: string | null; description?: string | null; warehouse_id?: string | null }
  const b = meta.data.spaceops_backup
  return {
    file,
    spaceId: b.space_id,
    host: b.host,
    ...(b.environment ? { environment: b.environment } : {}),
    space: loaded.definition.space,
    serializedSpace: typeof raw.serialized_space === 'string' ? raw.serialized_space : JSON.stringify(raw.serialized_space),
    title: raw.title ?? null,
    description: raw.description ?? null,
    warehouseId: raw.warehouse_id ?? null
  }
}

/**
 * The checks before a backup is put back, the same for `spaceops restore` and mode restore: the
 * connection must be to the workspace the backup was taken from, and an environment named for the
 * restore must be the one the backup records.
 */
export function checkRestoreTarget(backup: LoadedBackup, connection: { host: string; environment?: string }): void {
  if (normalizeHost(connection.host) !== normalizeHost(backup.host)) {
    throw new SpaceOpsError(
      `the backup is of ${backup.host}, but the connection is to ${connection.host}; connect to the backup's workspace (its host and token, or the environment it came from)`,
      { location: { file: backup.file } }
    )
  }
  if (connection.environment !== undefined && backup.environment !== undefined && connection.environment !== backup.environment) {
    throw new SpaceOpsError(`the backup is of environment ${backup.environment}, not ${connection.environment}`, { location: { file: backup.file } })
  }
}

/** Put a backup back: the exact document and settings it holds. */
export async function restoreBackup(client: GenieClient, backup: LoadedBackup): Promise<void> {
  await client.updateSpace(backup.spaceId, {
    serialized_space: backup.serializedSpace,
    ...(backup.title ? { title: backup.title } : {}),
    ...(backup.description ? { description: backup.description } : {}),
    ...(backup.warehouseId ? { warehouse_id: backup.warehouseId } : {})
  })
}
