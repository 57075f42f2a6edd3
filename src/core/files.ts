import { constants, type Stats } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { SpaceOpsError } from '../util/errors.js'
import { close, fstat, mkdir, open, readFd, rename, rm, stat, writeFile } from '../util/fs.js'

const WHY: Record<string, string> = {
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOENT: 'the folder cannot be created there'
}

/**
 * mkdir -p, one level at a time. (Node 20's `mkdir(…, { recursive: true })` never settles for
 * some paths it cannot create, e.g. under /proc; creating each missing level ourselves fails fast.)
 */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = []
  let cur = path.resolve(dir)
  for (;;) {
    const st = await stat(cur).catch(() => undefined)
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`${cur} is not a directory`), { code: 'ENOTDIR' })
      break
    }
    missing.unshift(cur)
    const parent = path.dirname(cur)
    if (parent === cur) break
    cur = parent
  }
  for (const d of missing) {
    await mkdir(d).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err
    })
  }
}

/**
 * Write a file completely or not at all: write a temporary sibling, then rename over.
 * `shown` is the path as the user gave it, for the error message.
 */
export async function writeFileAtomic(file: string, content: string, shown: string = file): Promise<void> {
  const dir = path.dirname(path.resolve(file))
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await ensureDir(dir)
    await writeFile(tmp, content, 'utf8')
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined)
    const code = (err as NodeJS.ErrnoException).code ?? ''
    throw new SpaceOpsError(`cannot write: ${WHY[code] ?? (err as Error).message.split(',')[0]}`, { location: { file: shown } })
  }
}

/** The largest definition, suite or config file SpaceOps reads (a space is far smaller). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024

const KIND_OF = (st: Stats): string =>
  st.isDirectory()
    ? 'is a directory'
    : st.isFIFO()
      ? 'is a named pipe (FIFO)'
      : st.isSocket()
        ? 'is a socket'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'is a device'
          : 'is not a regular file'

/**
 * Read a definition, suite or config file as UTF-8 text: the ONE place SpaceOps reads the files a
 * repository (and so a pull request) provides.
 * - Only regular files (symbolic links to them included): a FIFO, device, socket or directory is
 *   refused before anything is read, so a named pipe cannot hang a run. The file is opened
 *   non-blocking and checked again on the open handle, so it cannot be swapped between the two.
 * - At most `maxBytes` (default 16 MiB).
 * - Strict UTF-8 (`TextDecoder` with `fatal`): invalid bytes are an error at the line:col of the
 *   first one, never replaced by U+FFFD. A leading byte order mark is dropped.
 * Errors are one-line SpaceOpsErrors naming `file` as given (relative to `cwd`).
 */
export async function readTextFile(file: string, options: { cwd?: string; maxBytes?: number } = {}): Promise<string> {
  const full = path.resolve(options.cwd ?? process.cwd(), file)
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES
  const fail = (why: string, at: { line?: number; col?: number } = {}): never => {
    throw new SpaceOpsError(why, { location: { file, ...at } })
  }
  const readError = (err: unknown): never => {
    const code = (err as NodeJS.ErrnoException).code ?? ''
    return fail(`cannot read: ${code === 'ENOENT' ? 'no such file' : code === 'ENXIO' ? 'is a socket' : (WHY[code] ?? (err as Error).message.split(',')[0])}`)
  }
  const before = await stat(full).catch(readError)
  if (!before.isFile()) fail(`cannot read: ${KIND_OF(before)}, not a regular file`)
  // O_NONBLOCK: should a FIFO take the file's place after the stat, opening it still returns at once.
  const fd = await open(full, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(readError)
  let bytes: Buffer
  try {
    const st = await fstat(fd)
    if (!st.isFile()) fail(`cannot read: ${KIND_OF(st)}, not a regular file`)
    if (st.size > maxBytes) fail(`cannot read: ${st.size} bytes; a definition, suite or config file may be at most ${maxBytes} bytes`)
    bytes = await readFd(fd)
  } catch (err) {
    if (err instanceof SpaceOpsError) throw err
    return readError(err)
  } finally {
    await close(fd).catch(() => undefined)
  }
  return decodeUtf8(bytes, file)
}

/** Strict UTF-8 decoding; invalid bytes are a SpaceOpsError at file:line:col of the first one. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const offset = firstInvalidUtf8(bytes)
    let lineStart = 0
    let line = 1
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 10) {
        line++
        lineStart = i + 1
      }
    }
    const col = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1
    throw new SpaceOpsError(`not valid UTF-8 (byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset}); save the file as UTF-8`, {
      location: { file, line, col }
    })
  }
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629), else the length. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0
  while (i < b.length) {
    const c = b[i] as number
    if (c < 0x80) {
      i++
      continue
    }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0
    if (!need) return i
    for (let k = 1; k <= need; k++) if (i + k >= b.length || ((b[i + k] as number) & 0xc0) !== 0x80) return i
    const next = b[i + 1] as number
    // overlong forms, UTF-16 surrogates, code points above U+10FFFF
    if ((c === 0xe0 && next < 0xa0) || (c === 0xed && next >= 0xa0) || (c === 0xf0 && next < 0x90) || (c === 0xf4 && next >= 0x90)) return i
    i += need + 1
  }
  return b.length
}
