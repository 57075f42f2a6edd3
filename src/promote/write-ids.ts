import { open, readFile, stat, unlink } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../core/files.js'
import { SpaceOpsError } from '../util/errors.js'
import { parsePromotionConfig, type PromotionConfig } from './config.js'

/**
 * `--write-ids`: record a space id in the promotion config (environments.<env>.spaces.<key>.space_id)
 * so the next run updates rather than looks up or creates. The file is edited as text — comments,
 * order and formatting stay — and re-read to prove the result holds the id before it is written.
 * The edit starts from the file as it is on disk now (not as this run read it at its start), under
 * a lock file beside it, so two runs writing ids at once keep both.
 */
export async function writeSpaceId(loaded: PromotionConfig, env: string, key: string, spaceId: string, cwd: string): Promise<boolean> {
  const file = path.resolve(cwd, loaded.file)
  return withFileLock(`${file}.lock`, async () => {
    const config = parsePromotionConfig(loaded.file, await readFile(file, 'utf8'))
    return editSpaceId(config, env, key, spaceId, file)
  })
}

async function editSpaceId(config: PromotionConfig, env: string, key: string, spaceId: string, file: string): Promise<boolean> {
  const lines = config.text.split('\n')
  const pos = (p: (string | number)[]) => (config.source.has(p) ? config.source.locate(p, 'key') : undefined)
  const indentOf = (line: number) => lines[line - 1]?.match(/^\s*/)?.[0].length ?? 0
  const base = ['environments', env, 'spaces', key]
  const existing = config.environments[env]?.spaces?.[key]?.space_id
  if (existing === spaceId) return false
  const idPos = pos([...base, 'space_id'])
  const keyPos = pos(base)
  const spacesPos = pos(['environments', env, 'spaces'])
  const envPos = pos(['environments', env])
  if (idPos) {
    const l = lines[idPos.line - 1] ?? ''
    lines[idPos.line - 1] = l.slice(0, idPos.col - 1) + l.slice(idPos.col - 1).replace(/^space_id\s*:\s*("[^"]*"|'[^']*'|[^,}\s#]*)/, `space_id: ${spaceId}`)
  } else if (keyPos) {
    const l = lines[keyPos.line - 1] ?? ''
    if (/:\s*\{/.test(l.slice(keyPos.col - 1)))
      lines[keyPos.line - 1] = l
        .replace(/\{\s*/, (_m) => `{ space_id: ${spaceId}${/\{\s*\}/.test(l) ? ' ' : ', '}`)
        .replace(/\{ space_id: ([0-9a-f]+) \s*\}/, '{ space_id: $1 }')
    else lines.splice(keyPos.line, 0, `${' '.repeat(indentOf(keyPos.line) + 2)}space_id: ${spaceId}`)
  } else if (spacesPos) {
    lines.splice(spacesPos.line, 0, `${' '.repeat(indentOf(spacesPos.line) + 2)}${key}: { space_id: ${spaceId} }`)
  } else if (envPos) {
    const indent = indentOf(envPos.line) + 2
    lines.splice(envPos.line, 0, `${' '.repeat(indent)}spaces:`, `${' '.repeat(indent + 2)}${key}: { space_id: ${spaceId} }`)
  } else throw new SpaceOpsError(`cannot write the space id: no environment "${env}"`, { location: { file: config.file } })
  const text = lines.join('\n')
  const check = parsePromotionConfig(config.file, text)
  if (check.environments[env]?.spaces?.[key]?.space_id !== spaceId) {
    throw new SpaceOpsError(`could not write the space id for ${env}/${key} safely; add it by hand: environments.${env}.spaces.${key}.space_id: ${spaceId}`, {
      location: { file: config.file }
    })
  }
  await writeFileAtomic(file, text)
  return true
}

/** A lock file made with O_EXCL; one older than 30 s is left over from a run that died and is taken. */
async function withFileLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx')
      await handle.close()
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const age = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0
      )
      if (age > 30_000) await unlink(lockPath).catch(() => undefined)
      else if (Date.now() > deadline) throw new SpaceOpsError(`${lockPath} is held by another run writing space ids`)
      else await new Promise((r) => setTimeout(r, 50 + Math.random() * 50))
    }
  }
  try {
    return await fn()
  } finally {
    await unlink(lockPath).catch(() => undefined)
  }
}
