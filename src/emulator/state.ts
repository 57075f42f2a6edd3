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
const WorkspaceFileSchema = z.object({
  path: z.string(),
  content: z.string(),
  object_id: z.number().int(),
  created_at: z.number(),
  modified_at: z.number()
})
const PersistedSchema = z.object({
  format: z.literal('spaceops-genie-emulator-state'),
  version: z.literal(1),
  nextSeq: z.number().int(),
  spaces: z.array(SpaceRecordSchema),
  trash: z.array(SpaceRecordSchema),
  folders: z.array(z.string()),
  /** workspace files (import/export); absent in states written before files were served */
  files: z.array(WorkspaceFileSchema).default([]),
  /** folders whose files the caller may read but not write (POST /_emulator/workspace/acl) */
  readOnly: z.array(z.string()).default([]),
  /** folders the caller may not read at all */
  noAccess: z.array(z.string()).default([]),
  tokens: z.array(z.object({ token: z.string(), expires_at: z.number() }))
})

/** A workspace file (Workspace API import/export); `content` is base64, as on the wire. */
export type WorkspaceFile = z.infer<typeof WorkspaceFileSchema>
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
  private files = new Map<string, WorkspaceFile>()
  private nextObjectId = 1000
  /** access of the caller to folders (and everything below): 'read' = no writes, 'none' = no reads either */
  private access = new Map<string, 'read' | 'none'>()
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

  // ---- workspace files ---------------------------------------------------------------------

  getFile(path: string): WorkspaceFile | undefined {
    return this.files.get(toWorkspacePath(path))
  }

  putFile(path: string, content: string, now: number): WorkspaceFile {
    const full = toWorkspacePath(path)
    const existing = this.files.get(full)
    const file: WorkspaceFile = existing
      ? { ...existing, content, modified_at: now }
      : { path: full, content, object_id: this.nextObjectId++, created_at: now, modified_at: now }
    this.files.set(full, file)
    this.persist()
    return file
  }

  deleteFile(path: string): boolean {
    const had = this.files.delete(toWorkspacePath(path))
    if (had) this.persist()
    return had
  }

  /** Removes a folder and (when `recursive`) everything below it. */
  deleteFolder(path: string): void {
    const full = toWorkspacePath(path)
    for (const f of [...this.folders]) if (f === full || f.startsWith(`${full}/`)) this.folders.delete(f)
    for (const f of [...this.files.keys()]) if (f.startsWith(`${full}/`)) this.files.delete(f)
    this.persist()
  }

  /** Direct children of a folder: folders and files. */
  children(path: string): { folders: string[]; files: WorkspaceFile[] } {
    const full = toWorkspacePath(path)
    const isChild = (p: string) => p.startsWith(`${full}/`) && !p.slice(full.length + 1).includes('/')
    return {
      folders: [...this.folders].filter(isChild).sort(),
      files: [...this.files.values()].filter((f) => isChild(f.path)).sort((a, b) => (a.path < b.path ? -1 : 1))
    }
  }

  /** Test knob: the caller's access to a folder and everything below it ('write' removes a restriction). */
  setAccess(path: string, level: 'write' | 'read' | 'none'): void {
    const full = toWorkspacePath(path)
    if (level === 'write') this.access.delete(full)
    else this.access.set(full, level)
    this.persist()
  }

  /** The caller's access at a path: the restriction of the nearest restricted ancestor. */
  accessAt(path: string): 'write' | 'read' | 'none' {
    let p = toWorkspacePath(path)
    for (;;) {
      const a = this.access.get(p)
      if (a) return a
      const i = p.lastIndexOf('/')
      if (i <= 0) return 'write'
      p = p.slice(0, i)
    }
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
    this.files.clear()
    this.access.clear()
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
      files: [...this.files.values()].map((f) => ({ ...f })),
      readOnly: [...this.access].filter(([, a]) => a === 'read').map(([p]) => p),
      noAccess: [...this.access].filter(([, a]) => a === 'none').map(([p]) => p),
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
    for (const f of parsed.files) {
      this.files.set(f.path, f)
      this.nextObjectId = Math.max(this.nextObjectId, f.object_id + 1)
    }
    for (const p of parsed.readOnly) this.access.set(p, 'read')
    for (const p of parsed.noAccess) this.access.set(p, 'none')
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
