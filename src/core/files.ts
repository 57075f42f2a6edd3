import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

/** Write a file completely or not at all: write a temporary sibling, then rename over. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = path.dirname(path.resolve(file))
  await mkdir(dir, { recursive: true })
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, content, 'utf8')
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}
