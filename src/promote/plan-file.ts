import { createHash } from 'node:crypto'
import { z } from 'zod'
import { readTextFile } from '../core/files.js'
import { renderPayload } from '../model/convert.js'
import type { Space } from '../model/space.js'
import { SpaceOpsError } from '../util/errors.js'

/**
 * A saved promotion plan, as Terraform saves one: what a release manager approves is exactly what
 * is applied. A promote (usually `--dry-run`) writes, per definition, fingerprints of what it saw:
 * the definition (its canonical model, so a comment-only edit is no change), the content rendered
 * for the target (so a changed mapping, warehouse or folder in the config counts), and the live
 * target space (its id, etag and content). Applying the plan (`plan` input / `--plan`) compares
 * each fingerprint before anything is written, and refuses — naming what moved — when any differs.
 */
export const Fingerprint = z.object({
  definition_sha256: z.string(),
  rendered_sha256: z.string(),
  space_id: z.string().nullable(),
  live_etag: z.string().nullable(),
  live_sha256: z.string().nullable()
})
export type Fingerprint = z.infer<typeof Fingerprint>

const PlannedSpace = Fingerprint.extend({
  definition: z.string(),
  status: z.string(),
  /** the benchmark gate on the previous environment: passed, failed, or not run (null) */
  gate_passed: z.boolean().nullable().optional(),
  reason: z.string().nullable(),
  backup: z.string().nullable().optional(),
  skipped: z.array(z.string()).optional()
})
export type PlannedSpace = z.infer<typeof PlannedSpace>

export const PlanFileSchema = z.object({
  format: z.literal('spaceops-promotion-plan'),
  version: z.literal(1),
  target: z.string(),
  dry_run: z.boolean(),
  created_at: z.string(),
  spaces: z.array(PlannedSpace)
})
export type PlanFile = z.infer<typeof PlanFileSchema>

/** sha-256 of a JSON value with its object keys sorted (the same value always hashes the same). */
export function contentHash(value: unknown): string {
  const stable = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(stable)
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, stable((v as Record<string, unknown>)[k])])
      )
    return v
  }
  return createHash('sha256')
    .update(JSON.stringify(stable(value)))
    .digest('hex')
}

export function fingerprint(o: {
  definition: Space
  rendered: Space
  live?: { spaceId: string; etag?: string | undefined; space: Space } | undefined
}): Fingerprint {
  return {
    definition_sha256: contentHash(renderPayload(o.definition)),
    rendered_sha256: contentHash(renderPayload(o.rendered)),
    space_id: o.live?.spaceId ?? null,
    live_etag: o.live?.etag ?? null,
    live_sha256: o.live ? contentHash(renderPayload(o.live.space)) : null
  }
}

/** What moved between the plan and now, one phrase each; empty when the plan still holds. */
export function planMoves(planned: Fingerprint, now: Fingerprint, o: { definition: string; target: string }): string[] {
  const moved: string[] = []
  if (planned.definition_sha256 !== now.definition_sha256) moved.push(`the definition ${o.definition} changed`)
  else if (planned.rendered_sha256 !== now.rendered_sha256)
    moved.push(`what ${o.target} gets from ${o.definition} changed (the promotion config: mappings, warehouse, folder or title)`)
  if (planned.space_id !== now.space_id) {
    moved.push(
      planned.space_id === null
        ? `${o.target} now has a space for it (${now.space_id})`
        : now.space_id === null
          ? `${o.target} space ${planned.space_id} is gone`
          : `${o.target} now deploys to space ${now.space_id}, not ${planned.space_id}`
    )
  } else if (planned.live_sha256 !== now.live_sha256) {
    moved.push(
      `${o.target} space ${now.space_id} was changed${planned.live_etag && now.live_etag && planned.live_etag !== now.live_etag ? ` (etag ${planned.live_etag} → ${now.live_etag})` : ''}`
    )
  }
  return moved
}

export async function readPlanFile(file: string, cwd: string, target: string): Promise<PlanFile> {
  const text = await readTextFile(file, { cwd })
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new SpaceOpsError(`not valid JSON: ${(err as Error).message}`, { location: { file } })
  }
  const parsed = PlanFileSchema.safeParse(json)
  if (!parsed.success) throw new SpaceOpsError('not a SpaceOps promotion plan (write one with mode promote, e.g. with dry-run: true)', { location: { file } })
  if (parsed.data.target !== target) throw new SpaceOpsError(`the plan is for ${parsed.data.target}, not ${target}`, { location: { file } })
  return parsed.data
}

/** The planned entry of a definition, or a refusal: a definition the plan does not hold is not applied. */
export function plannedFor(plan: PlanFile, definition: string, file: string): PlannedSpace {
  const entry = plan.spaces.find((s) => s.definition === definition)
  if (!entry)
    throw new SpaceOpsError(`${definition} is not in the plan ${file} (it plans ${plan.spaces.map((s) => s.definition).join(', ') || 'nothing'}): plan again`)
  if (entry.status === 'blocked' || entry.status === 'error')
    throw new SpaceOpsError(`${definition} was ${entry.status} in the plan ${file}${entry.reason ? ` (${entry.reason})` : ''}: plan again once that is fixed`)
  return entry
}

/** The plan file of a run: each definition's result and what it saw. */
export function planFileOf(
  target: string,
  dryRun: boolean,
  results: readonly {
    file: string
    result?: { status: string; reason?: string; backup?: string; skipped: string[]; fingerprint?: Fingerprint; gate?: { passed: boolean } }
    error?: string
  }[],
  now: Date
): PlanFile {
  const none: Fingerprint = { definition_sha256: '', rendered_sha256: '', space_id: null, live_etag: null, live_sha256: null }
  return {
    format: 'spaceops-promotion-plan',
    version: 1,
    target,
    dry_run: dryRun,
    created_at: now.toISOString(),
    spaces: results.map(({ file, result, error }) => ({
      definition: file,
      ...(result?.fingerprint ?? none),
      status: result?.status ?? 'error',
      gate_passed: result?.gate ? result.gate.passed : null,
      reason: result?.reason ?? error ?? null,
      backup: result?.backup ?? null,
      skipped: result?.skipped ?? []
    }))
  }
}
