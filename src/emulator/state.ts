/**
 * Everything the emulator remembers: live spaces, trashed spaces, workspace folders, issued OAuth
 * tokens, and the request log. In memory; with `dataDir`, every change is also written to
 * `<dataDir>/emulator-state.json` atomically (temp file + rename) and read back on start.
 * The request log is never persisted.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { Rng } from './prng.js'

export const PERMISSION_LEVELS = ['CAN_MANAGE', 'CAN_EDIT', 'CAN_RUN', 'CAN_VIEW'] as const
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number]
export const PRINCIPAL_KINDS = ['user_name', 'group_name', 'service_principal_name'] as const
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number]

export interface AclEntry {
  kind: PrincipalKind
  name: string
  permission_level: PermissionLevel
}

export interface SpaceRecord {
  space_id: string
  title: string
  /** '' = not set (omitted from responses). */
  description: string
  warehouse_id: string
  /** As stored (see routes/spaces.ts for the normalisation choice). */
  parent_path: string
  /** The accepted document: version 2, compact, keys in the server's order. */
  serialized_space: string
  etag: string
  create_time: number
  update_time: number
  /** Creation order; list order and page tokens use it. */
  seq: number
  acl: AclEntry[]
  trashed_time?: number
}

/**
 * 'rate-limited' = an injected 429 (rate429); 'question-limit' = the Genie question limit's 429
 * (ratelimit.ts), which is behaviour, not an injected fault, but is marked the same way.
 */
export type RequestFault = 'dropped' | 'lost-response' | 'rate-limited' | 'server-error' | 'question-limit'

/**
 * One line of GET /_emulator/requests. No bodies, no headers, no tokens.
 * `status` is the HTTP status sent; 0 = nothing was sent (dropped connection or lost response;
 * `fault` says which, and `applied_status` is what the handler produced for a lost response).
 */
export interface RequestLogEntry {
  method: string
  path: string
  /** The query string without `?` ('' if none). */
  query: string
  status: number
  /** Operation name (route op; 'unknown' for unmatched paths, 'method-not-allowed'). */
  op: string
  fault?: RequestFault
  applied_status?: number
  latency_spike?: boolean
}

const STATE_FILE = 'emulator-state.json'

const AclEntrySchema = z.object({
  kind: z.enum(PRINCIPAL_KINDS),
  name: z.string(),
  permission_level: z.enum(PERMISSION_LEVELS)
})
const SpaceRecordSchema = z.object({
  space_id: z.string(),
  title: z.string(),
  description: z.string(),
  warehouse_id: z.string(),
  parent_path: z.string(),
  serialized_space: z.string(),
  etag: z.string(),
  create_time: z.number(),
  update_time: z.number(),
  seq: z.number().int(),
  acl: z.array(AclEntrySchema),
  trashed_time: z.number().optional()
})
const PersistedSchema = z.object({
  format: z.literal('spaceops-genie-emulator-state'),
  version: z.literal(1),
  nextSeq: z.number().int(),
  spaces: z.array(SpaceRecordSchema),
  trash: z.array(SpaceRecordSchema),
  folders: z.array(z.string()),
  tokens: z.array(z.object({ token: z.string(), expires_at: z.number() }))
})
type Persisted = z.infer<typeof PersistedSchema>

/** `/Users/x` and `/Workspace/Users/x` name the same folder; folders are kept with the prefix. */
export function toWorkspacePath(path: string): string {
  let p = path.replace(/\/+/g, '/')
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1)
  if (p === '/Workspace' || p.startsWith('/Workspace/')) return p
  return p === '/' ? '/Workspace' : `/Workspace${p}`
}

export class EmulatorState {
  private spaces = new Map<string, SpaceRecord>()
  private trash = new Map<string, SpaceRecord>()
  private folders = new Set<string>()
  private tokens = new Map<string, number>()
  private nextSeq = 1
  private idRng: Rng
  readonly requests: RequestLogEntry[] = []

  constructor(
    private readonly seed: number,
    readonly userName: string,
    private readonly dataDir: string | undefined
  ) {
    this.idRng = new Rng(seed ^ 0x9e3779b9)
    this.resetData()
    if (dataDir) this.load(dataDir)
  }

  // ---- identifiers ------------------------------------------------------------------------

  /** A new space id: 32 lowercase hex, never one already used (live or trashed). */
  newSpaceId(): string {
    for (;;) {
      const id = this.idRng.hex(32)
      if (!this.spaces.has(id) && !this.trash.has(id)) return id
    }
  }

  /** Opaque etag; a new one on every write. */
  newEtag(): string {
    return this.idRng.hex(16)
  }

  newToken(): string {
    return `emu-${this.idRng.hex(40)}`
  }

  // ---- spaces -----------------------------------------------------------------------------

  liveSpaces(): SpaceRecord[] {
    return [...this.spaces.values()].sort((a, b) => a.seq - b.seq)
  }

  trashedSpaces(): SpaceRecord[] {
    return [...this.trash.values()].sort((a, b) => a.seq - b.seq)
  }

  getSpace(id: string): SpaceRecord | undefined {
    return this.spaces.get(id)
  }

  takeSeq(): number {
    return this.nextSeq++
  }

  putSpace(space: SpaceRecord): void {
    this.spaces.set(space.space_id, space)
    this.persist()
  }

  trashSpace(id: string, now: number): SpaceRecord | undefined {
    const space = this.spaces.get(id)
    if (!space) return undefined
    this.spaces.delete(id)
    space.trashed_time = now
    this.trash.set(id, space)
    this.persist()
    return space
  }

  // ---- folders ----------------------------------------------------------------------------

  folderExists(path: string): boolean {
    return this.folders.has(toWorkspacePath(path))
  }

  /** Create the folder and all its parents (like `mkdir -p`). */
  mkdirs(path: string): void {
    const full = toWorkspacePath(path)
    const parts = full.split('/').slice(1)
    for (let i = 1; i <= parts.length; i++) this.folders.add(`/${parts.slice(0, i).join('/')}`)
    this.persist()
  }

  folderList(): string[] {
    return [...this.folders].sort()
  }

  // ---- tokens -----------------------------------------------------------------------------

  addToken(token: string, expiresAt: number): void {
    this.tokens.set(token, expiresAt)
    this.persist()
  }

  /** undefined = never issued; otherwise its expiry (ms since epoch). */
  tokenExpiry(token: string): number | undefined {
    return this.tokens.get(token)
  }

  // ---- whole state ------------------------------------------------------------------------

  /** Back to the start state (default folders, no spaces, no tokens, empty log, ids re-seeded). */
  reset(): void {
    this.resetData()
    this.requests.length = 0
    this.idRng = new Rng(this.seed ^ 0x9e3779b9)
    this.persist()
  }

  private resetData(): void {
    this.spaces.clear()
    this.trash.clear()
    this.tokens.clear()
    this.nextSeq = 1
    this.folders = new Set(['/Workspace', '/Workspace/Users', `/Workspace/Users/${this.userName}`, '/Workspace/Shared'])
  }

  snapshot(): Persisted {
    return {
      format: 'spaceops-genie-emulator-state',
      version: 1,
      nextSeq: this.nextSeq,
      spaces: this.liveSpaces().map((s) => structuredClone(s)),
      trash: this.trashedSpaces().map((s) => structuredClone(s)),
      folders: this.folderList(),
      tokens: [...this.tokens].map(([token, expires_at]) => ({ token, expires_at }))
    }
  }

  private load(dir: string): void {
    const file = join(dir, STATE_FILE)
    if (!existsSync(file)) return
    let parsed: Persisted
    try {
      parsed = PersistedSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
    } catch (err) {
      throw new Error(`cannot read emulator state ${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
    }
    this.nextSeq = parsed.nextSeq
    for (const s of parsed.spaces) this.spaces.set(s.space_id, s)
    for (const s of parsed.trash) this.trash.set(s.space_id, s)
    for (const f of parsed.folders) this.folders.add(f)
    for (const t of parsed.tokens) this.tokens.set(t.token, t.expires_at)
  }

  private persist(): void {
    if (!this.dataDir) return
    mkdirSync(this.dataDir, { recursive: true })
    const file = join(this.dataDir, STATE_FILE)
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(this.snapshot(), null, 2))
    renameSync(tmp, file)
  }
}
