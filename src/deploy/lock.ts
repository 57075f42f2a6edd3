import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { GenieApiError, type GenieClient } from '../client/index.js'
import { parseDuration } from '../util/duration.js'
import { SpaceOpsError, describeError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import { describeRun, ensureFolder, permissionHint, writeChecked, type RunInfo } from './records.js'

/**
 * The deploy lock: one file, `<records folder>/deploy.lock`, in the workspace beside the deploy
 * records, so that two runs deploying to the same environment (two pushes, two promotes, a push and
 * a promote) take turns — as Terraform locks its state and Databricks Asset Bundles lock a
 * deployment. Taking it is an atomic create (`workspace/import` with `overwrite: false` answers
 * RESOURCE_ALREADY_EXISTS when someone holds it). The file names its holder's run and an expiry
 * (2 minutes by default): while a run holds the lock it renews it every quarter of that (a
 * heartbeat) and before each write, so a long benchmark gate cannot outlive it, and a run that died
 * (a cancelled job, a killed runner) leaves a lock that others take over within minutes.
 *
 * A create whose answer was lost is resolved by reading the file back: the holder id is ours, or not.
 */
const LockSchema = z.object({
  format: z.literal('spaceops-deploy-lock'),
  version: z.literal(1),
  id: z.string(),
  run: z.record(z.string(), z.string()),
  acquired_at: z.string(),
  expires_at: z.string()
})
type LockFile = z.infer<typeof LockSchema>

export interface LockOptions {
  client: GenieClient
  folder: string
  run: RunInfo
  logger: Logger
  now: () => Date
  sleep: (ms: number) => Promise<void>
  /** how long to wait for another run's lock (default 5 minutes; 0 = fail at once) */
  waitMs?: number
  /** how long a lock is valid without a refresh (default 2 minutes; renewed every quarter of it) */
  ttlMs?: number
  /** how often to look again while waiting (default 2 s) */
  pollMs?: number
  /** how the face names the wait's setting (`--lock-timeout`, `input lock-timeout`) */
  names?: Names
}

/** What a face decides of a lock: the timing, and how its setting is named in messages. */
export type LockSettings = Pick<LockOptions, 'waitMs' | 'ttlMs' | 'pollMs' | 'names'>

export const DEFAULT_LOCK_WAIT_MS = 5 * 60_000
export const DEFAULT_LOCK_TTL_MS = 2 * 60_000

export interface DeployLock {
  readonly file: string
  /** false when the lock could not be taken for lack of permission and the run goes on without it */
  readonly held: boolean
  /** extend the expiry (before a write); throws when the lock was taken over */
  refresh(): Promise<void>
  release(): Promise<void>
}

const lockFile = (folder: string) => `${folder}/deploy.lock`

function parse(text: string | undefined): LockFile | 'unreadable' | undefined {
  if (text === undefined) return undefined
  try {
    const r = LockSchema.safeParse(JSON.parse(text))
    return r.success ? r.data : 'unreadable'
  } catch {
    return 'unreadable'
  }
}

const holderOf = (l: LockFile) => describeRun(l.run as RunInfo)

export async function acquireLock(o: LockOptions): Promise<DeployLock> {
  const file = lockFile(o.folder)
  const id = randomUUID()
  const ttl = o.ttlMs ?? DEFAULT_LOCK_TTL_MS
  const waitMs = o.waitMs ?? DEFAULT_LOCK_WAIT_MS
  const poll = o.pollMs ?? 2000
  const content = (): LockFile => {
    const now = o.now()
    return {
      format: 'spaceops-deploy-lock',
      version: 1,
      id,
      run: o.run as Record<string, string>,
      acquired_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttl).toISOString()
    }
  }
  const text = (l: LockFile) => `${JSON.stringify(l, null, 2)}\n`
  const deadline = o.now().getTime() + waitMs
  let waitingSaid = false
  let folderMade = false
  let heartbeat: ReturnType<typeof setInterval> | undefined
  let beatWarned = false

  const lock: DeployLock = {
    file,
    held: true,
    refresh: async () => {
      const current = parse(await o.client.readWorkspaceFile(file))
      if (typeof current !== 'object' || current.id !== id) {
        throw new SpaceOpsError(
          `the deploy lock ${file} is no longer this run's (${typeof current === 'object' ? `now held by ${holderOf(current)}` : 'it was removed'}): nothing more is written`
        )
      }
      await writeChecked(o.client, file, text({ ...content(), acquired_at: current.acquired_at }), true)
    },
    release: async () => {
      if (heartbeat) clearInterval(heartbeat)
      try {
        const current = parse(await o.client.readWorkspaceFile(file))
        if (typeof current === 'object' && current.id === id) await o.client.deleteWorkspaceFile(file)
        else o.logger.warn(`the deploy lock ${file} was taken over before this run released it`)
      } catch (err) {
        o.logger.warn(`could not release the deploy lock ${file}: ${describeError(err)} — it expires by itself`)
      }
    }
  }

  const held = () => {
    heartbeat = setInterval(
      () => {
        lock.refresh().catch((err: unknown) => {
          if (!beatWarned) o.logger.warn(`could not renew the deploy lock ${file}: ${describeError(err)}`)
          beatWarned = true
        })
      },
      Math.max(50, Math.floor(ttl / 4))
    )
    heartbeat.unref()
    return lock
  }

  for (;;) {
    try {
      if (!folderMade) {
        await ensureFolder(o.client, o.folder)
        folderMade = true
      }
      await o.client.writeWorkspaceFile(file, text(content()), { overwrite: false, retry: false })
      return held()
    } catch (err) {
      if (!(err instanceof GenieApiError)) throw err
      if (err.status === 403 || err.status === 401) {
        o.logger.warn(
          `could not take the deploy lock ${file}: ${err.message}${permissionHint(err, o.folder, 'write')}; going on without it (concurrent deploys to this environment are not serialised)`
        )
        return { ...lock, held: false, refresh: async () => {}, release: async () => {} }
      }
      if (!err.ambiguous && err.errorCode !== 'RESOURCE_ALREADY_EXISTS') throw new SpaceOpsError(`could not take the deploy lock ${file}: ${err.message}`)
    }
    // Someone holds it — or our own create was applied and its answer lost: read it.
    const current = parse(await o.client.readWorkspaceFile(file))
    if (current === undefined) {
      // released meanwhile (or our ambiguous create was not applied): try again, within the wait
      if (o.now().getTime() >= deadline)
        throw new SpaceOpsError(`could not take the deploy lock ${file}: the workspace gave no clear answer within the lock timeout`)
      await o.sleep(200)
      continue
    }
    if (current !== 'unreadable' && current.id === id) return held()
    const now = o.now().getTime()
    if (current !== 'unreadable' && Date.parse(current.expires_at) <= now) {
      o.logger.warn(`taking over the deploy lock ${file}: held by ${holderOf(current)} since ${current.acquired_at}, expired ${current.expires_at}`)
      await writeChecked(o.client, file, text(content()), true)
      // a second run taking over at the same moment: the last writer wins, the other sees it here
      await o.sleep(Math.min(poll, 1000))
      const check = parse(await o.client.readWorkspaceFile(file))
      if (typeof check === 'object' && check.id === id) return held()
      continue
    }
    const who = current === 'unreadable' ? 'an unreadable lock file' : `${holderOf(current)} since ${current.acquired_at} (expires ${current.expires_at})`
    if (now >= deadline) {
      throw new SpaceOpsError(
        `the deploy lock ${file} is held by ${who}: another run is deploying to this environment. Try again when it is done${current === 'unreadable' ? '' : `, or after ${current.expires_at} if that run died`}${waitMs ? ` (waited ${Math.round(waitMs / 1000)} s${viaOption(o.names ?? NEUTRAL_NAMES, 'lock-timeout', '; ', ' sets how long')})` : ''}`
      )
    }
    if (!waitingSaid) o.logger.info(`waiting for the deploy lock ${file}, held by ${who}`)
    waitingSaid = true
    await o.sleep(Math.min(poll, Math.max(0, deadline - now)))
  }
}

/** Runs `fn` holding the lock; releases it whatever happens. */
export async function withLock<T>(o: LockOptions, fn: (lock: DeployLock) => Promise<T>): Promise<T> {
  const lock = await acquireLock(o)
  try {
    return await fn(lock)
  } finally {
    await lock.release()
  }
}

/**
 * Lock timing from a face's settings: the wait (`--lock-timeout` / input `lock-timeout`) and, from
 * the environment, `SPACEOPS_LOCK_TTL` (how soon a dead run's lock may be taken over; default 2m).
 */
export function lockSettings(env: Record<string, string | undefined>, waitMs: number | undefined, names?: Names): LockSettings {
  const ttl = env.SPACEOPS_LOCK_TTL?.trim()
  return {
    ...(names ? { names } : {}),
    ...(waitMs !== undefined ? { waitMs } : {}),
    ...(ttl ? { ttlMs: Math.max(1000, parseDuration(ttl, 'SPACEOPS_LOCK_TTL', { minMs: 0 })) } : {})
  }
}

/**
 * The deploy locks of one run whose definitions are handled side by side: the run takes a records
 * folder's lock once and its workers share it (a count of holders; the last one out releases it),
 * so workers of the same run never wait on each other's lock while other runs still wait on this
 * run's. Each definition still does everything it does under the lock (reads its record again,
 * records intent and result); definitions that may resolve to the same space are kept apart by the
 * modes (see util/pool.ts KeyedMutex), not by this lock.
 */
export class RunLocks {
  private readonly held = new Map<string, { lock: Promise<DeployLock>; users: number; taken?: boolean }>()

  /**
   * Does the run hold this folder's lock right now (taken, not yet released)? A worker that joins
   * it from here on reads and writes under the lock from its first read: no other SpaceOps run can
   * write the folder's records or spaces in between, so what it reads need not be read again.
   */
  isHeld(folder: string): boolean {
    const entry = this.held.get(folder)
    return entry?.taken === true && entry.users > 0
  }

  /** `onAcquired`: called each time a lock is really taken (the run's listings are stale from then on) */
  constructor(private readonly onAcquired?: () => void) {}

  async hold(folder: string, acquire: () => Promise<DeployLock>): Promise<DeployLock> {
    let entry = this.held.get(folder)
    if (!entry) {
      const lock = acquire().then((l) => {
        this.onAcquired?.()
        if (created) created.taken = true
        return l
      })
      const created: { lock: Promise<DeployLock>; users: number; taken?: boolean } = { lock, users: 0 }
      entry = created
      this.held.set(folder, entry)
      lock.catch(() => {
        if (this.held.get(folder)?.lock === lock) this.held.delete(folder)
      })
    }
    entry.users++
    let real: DeployLock
    try {
      real = await entry.lock
    } catch (err) {
      entry.users--
      throw err
    }
    const mine = entry
    let released = false
    return {
      file: real.file,
      held: real.held,
      refresh: () => real.refresh(),
      release: async () => {
        if (released) return
        released = true
        if (--mine.users > 0) return
        if (this.held.get(folder) === mine) this.held.delete(folder)
        await real.release()
      }
    }
  }
}
