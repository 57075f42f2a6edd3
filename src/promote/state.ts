import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { DeployRecord } from '../deploy/records.js'
import { SpaceOpsError } from '../util/errors.js'

/**
 * The legacy deploy-state file (`<config dir>/spaceops-state.json`) of earlier SpaceOps versions,
 * read only to migrate: deploy records now live in the workspace (deploy/records.ts). When the
 * workspace has no record of a definition and this file has one, it is used once and written into
 * the workspace by the next record write; from then on the workspace record wins.
 */
const LegacyRecord = z.object({
  space_id: z.string(),
  etag: z.string().optional(),
  deployed_at: z.string(),
  content: z.object({
    title: z.string().nullable(),
    description: z.string().nullable(),
    warehouse_id: z.string().nullable(),
    parent_path: z.string().nullable(),
    serialized_space: z.unknown()
  })
})

const LegacyFile = z.object({ version: z.literal(1), environments: z.record(z.string(), z.record(z.string(), LegacyRecord)) })

export function legacyStatePath(configFile: string): string {
  return path.join(path.dirname(configFile), 'spaceops-state.json')
}

/** The legacy record of `key` in `env`, as a deploy record; undefined when there is no file or no record. */
export async function legacyRecord(file: string, cwd: string, env: string, key: string): Promise<DeployRecord | undefined> {
  let text: string
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8')
  } catch {
    return undefined
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new SpaceOpsError(`not valid JSON: ${(err as Error).message} (a legacy deploy state file; delete it once its records are in the workspace)`, {
      location: { file }
    })
  }
  const parsed = LegacyFile.safeParse(json)
  if (!parsed.success) throw new SpaceOpsError('not a SpaceOps deploy state file (version 1)', { location: { file } })
  const envs = new Map(Object.entries(parsed.data.environments))
  const r = envs.get(env) ? new Map(Object.entries(envs.get(env) ?? {})).get(key) : undefined
  if (!r) return undefined
  return {
    format: 'spaceops-deploy-record',
    version: 2,
    key,
    environment: env,
    space_id: r.space_id,
    deployed: { at: r.deployed_at, run: { kind: 'cli' }, etag: r.etag ?? null, content: r.content },
    intent: null,
    migrated_from: file
  }
}
