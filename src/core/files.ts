import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { SpaceOpsError } from '../util/errors.js'

const WHY: Record<string, string> = {
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOENT: 'the folder cannot be created there'
}

/** Write a file completely or not at all: write a temporary sibling, then rename over. */
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

/** `shown` is the path as the user gave it, for the error message. */
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
