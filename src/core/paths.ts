import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { SpaceOpsError } from '../util/errors.js'

/**
 * Turning what a user names (a file, a directory, a glob such as `spaces/**\/space.yaml`) into the
 * definition files it means. A directory means every definition below it: `space.yaml`,
 * `space.yml`, `*.geniespace.json`, and benchmark suites in `benchmarks/` folders. Node 20 has no fs.glob, so globs are matched here
 * (`**`, `*`, `?`, `{a,b}`, `[abc]`).
 */
export const DEFINITION_FILE = /(^|\/)(space\.ya?ml|[^/]*\.geniespace\.json|benchmarks\/[^/]+\.ya?ml)$/i

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist'])

export function isGlob(p: string): boolean {
  return /[*?[{]/.test(p)
}

export function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/'
        re += slash ? '(?:.*/)?' : '.*'
        i += slash ? 2 : 1
      } else re += '[^/]*'
    } else if (c === '?') re += '[^/]'
    else if (c === '{') {
      const end = glob.indexOf('}', i)
      if (end === -1) re += '\\{'
      else {
        re += '(?:' + glob.slice(i + 1, end).split(',').map(escape).join('|') + ')'
        i = end
      }
    } else if (c === '[') {
      const end = glob.indexOf(']', i)
      if (end === -1) re += '\\['
      else {
        re += '[' + glob.slice(i + 1, end).replace(/^!/, '^') + ']'
        i = end
      }
    } else re += escape(c)
  }
  return new RegExp(`^${re}$`)
}

const escape = (s: string) => s.replace(/[.+^$()|\\/]/g, '\\$&')

async function walk(dir: string, out: string[]): Promise<void> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(full, out)
    } else if (e.isFile()) out.push(full)
  }
}

const toPosix = (p: string) => p.split(path.sep).join('/')

/**
 * Expand each pattern; a pattern that matches nothing is an error naming it. A pattern that names an
 * existing file or directory is that path, even when it holds glob characters (`spaces/{old}/`,
 * `team[1]/space.yaml`): what exists is taken literally before anything is expanded.
 */
export async function expandDefinitions(patterns: readonly string[], cwd: string = process.cwd()): Promise<string[]> {
  const found: string[] = []
  for (const pattern of patterns) {
    const matches: string[] = []
    const literal = isGlob(pattern) ? await stat(path.resolve(cwd, pattern)).catch(() => undefined) : undefined
    if (isGlob(pattern) && !literal) {
      const posix = toPosix(pattern)
      const firstMagic = posix.search(/[*?[{]/)
      const baseDir = posix.slice(0, posix.lastIndexOf('/', firstMagic) + 1) || '.'
      const files: string[] = []
      await walk(path.resolve(cwd, baseDir), files)
      const re = globToRegExp(path.isAbsolute(posix) ? posix : toPosix(path.normalize(posix)))
      for (const f of files) {
        const rel = path.isAbsolute(posix) ? toPosix(f) : toPosix(path.relative(cwd, f))
        if (re.test(rel)) matches.push(rel)
      }
    } else {
      const full = path.resolve(cwd, pattern)
      let st = literal
      try {
        st ??= await stat(full)
      } catch {
        throw new SpaceOpsError(`${pattern}: no such file or directory`)
      }
      if (st.isDirectory()) {
        const files: string[] = []
        await walk(full, files)
        for (const f of files) {
          const rel = toPosix(path.relative(cwd, f))
          if (DEFINITION_FILE.test(rel)) matches.push(rel)
        }
        if (!matches.length) throw new SpaceOpsError(`${pattern}: no definitions (space.yaml, *.geniespace.json) in this directory`)
      } else matches.push(pattern)
    }
    if (!matches.length) throw new SpaceOpsError(`${pattern}: matches no file`)
    for (const m of matches) if (!found.includes(m)) found.push(m)
  }
  return found
}
