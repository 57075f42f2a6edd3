import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
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
/** `shown` is the path as the user gave it, for the error message. */
export async function writeFileAtomic(file: string, content: string, shown: string = file): Promise<void> {
  const dir = path.dirname(path.resolve(file))
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await mkdir(dir, { recursive: true })
    await writeFile(tmp, content, 'utf8')
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined)
    const code = (err as NodeJS.ErrnoException).code ?? ''
    throw new SpaceOpsError(`cannot write: ${WHY[code] ?? (err as Error).message.split(',')[0]}`, { location: { file: shown } })
  }
}
