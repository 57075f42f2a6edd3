import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../core/files.js'
import { renderPayload } from '../model/convert.js'
import type { Space } from '../model/space.js'
import { SpaceOpsError } from '../util/errors.js'

/**
 * What SpaceOps last deployed to each environment (the drift guard's memory): per environment and
 * space, the space id, the etag after the write and the exact content written. Kept in a JSON file
 * beside the promotion config (`<config dir>/spaceops-state.json`, or --state); commit it (or
 * restore it with a cache) so the next run knows. Without a record the drift guard says so and
 * has nothing to compare with.
 */
const Record_ = z.object({
  space_id: z.string(),
  etag: z.string().optional(),
  deployed_at: z.string(),
  content: z.object({ title: z.string().nullable(), description: z.string().nullable(), warehouse_id: z.string().nullable(), parent_path: z.string().nullable(), serialized_space: z.unknown() })
})

const StateFile = z.object({ version: z.literal(1), environments: z.record(z.string(), z.record(z.string(), Record_)) })

export type DeployRecord = z.infer<typeof Record_>
export type DeployState = z.infer<typeof StateFile>

export function defaultStatePath(configFile: string): string {
  return path.join(path.dirname(configFile), 'spaceops-state.json')
}

export async function readState(file: string, cwd: string): Promise<DeployState> {
  let text: string
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8')
  } catch {
    return { version: 1, environments: {} }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new SpaceOpsError(`not valid JSON: ${(err as Error).message}`, { location: { file } })
  }
  const parsed = StateFile.safeParse(json)
  if (!parsed.success) throw new SpaceOpsError('not a SpaceOps deploy state file (version 1)', { location: { file } })
  return parsed.data
}

export function recordFor(state: DeployState, env: string, key: string): DeployRecord | undefined {
  return state.environments[env]?.[key]
}

export async function writeRecord(file: string, cwd: string, env: string, key: string, record: { spaceId: string; etag?: string; space: Space; now: Date }): Promise<void> {
  const state = await readState(file, cwd)
  const envs = (state.environments[env] ??= {})
  envs[key] = {
    space_id: record.spaceId,
    ...(record.etag ? { etag: record.etag } : {}),
    deployed_at: record.now.toISOString(),
    content: renderPayload(record.space)
  }
  await writeFileAtomic(path.resolve(cwd, file), JSON.stringify(state, null, 2) + '\n')
}
