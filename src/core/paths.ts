import { PROMOTION_CONFIG_FILE } from '../model/load.js'
import path from 'node:path'
import { SpaceOpsError } from '../util/errors.js'
import { stat } from '../util/fs.js'

/**
 * Turning what a user names (a file, a directory, a glob such as `spaces/**\/space.yaml`) into the
 * definition files it means. A directory means every definition below it: `space.yaml`,
 * `space.yml`, `*.geniespace.json`, and benchmark suites in `benchmarks/` folders. Globs are
 * matched by tinyglobby (picomatch syntax: `**`, `*`, `?`, `{a,b}` incl. `{space.yaml,*.geniespace.json}`,
 * `[abc]`); `*` and `**` never enter dot folders, `node_modules` or `dist`; symbolic links to
 * folders are followed, a link back to a folder already being walked is not walked again.
 */
export const DEFINITION_FILE = /(^|\/)(space\.ya?ml|[^/]*\.geniespace\.json|benchmarks\/[^/]+\.ya?ml)$/i

const IGNORED = ['**/node_modules/**', '**/dist/**']

export function isGlob(p: string): boolean {
  return /[*?[{]/.test(p)
}

/** Files matching `pattern` (relative to `dir`), as absolute paths, in a stable order. */
async function globFiles(dir: string, pattern: string): Promise<string[]> {
  let files: string[]
  // The matcher is loaded with the first pattern or directory: a step that names its files loads none.
  const { glob } = await import('tinyglobby')
  try {
    files = await glob(pattern, { cwd: dir, absolute: true, dot: false, onlyFiles: true, followSymbolicLinks: true, ignore: IGNORED, expandDirectories: false })
  } catch (err) {
    throw new SpaceOpsError(`${pattern}: not a pattern this can read (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`)
  }
  return files.map((f) => path.normalize(f)).sort(bySegments)
}

/** Folder by folder, as a directory listing sorts (so `a/x` comes before `a-b/x`). */
function bySegments(a: string, b: string): number {
  const x = a.split(path.sep)
  const y = b.split(path.sep)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as string) < (y[i] as string) ? -1 : 1
  }
  return x.length - y.length
}

const toPosix = (p: string) => p.split(path.sep).join('/')

/**
 * One `definition` input as a list: newline-separated, and (as before) comma-separated outside
 * braces — `spaces/*\/space.{yaml,yml}` is one pattern, not two.
 */
export function splitPatterns(text: string): string[] {
  const out: string[] = []
  for (const line of text.split(/\r?\n/)) {
    let depth = 0
    let current = ''
    for (const c of line) {
      if (c === '{') depth++
      else if (c === '}' && depth > 0) depth--
      if (c === ',' && depth === 0) {
        out.push(current)
        current = ''
      } else current += c
    }
    out.push(current)
  }
  return out.map((s) => s.trim()).filter(Boolean)
}

/**
 * Expand each pattern; a pattern that matches nothing is an error naming it. A pattern that names an
 * existing file or directory is that path, even when it holds glob characters (`spaces/{old}/`,
 * `team[1]/space.yaml`): what exists is taken literally before anything is expanded.
 */
/**
 * `options.configs` (validate): a directory also yields the promotion configs in it, so
 * `spaceops validate .` checks every file SpaceOps reads; the modes that deploy never take them.
 */
export async function expandDefinitions(patterns: readonly string[], cwd: string = process.cwd(), options: { configs?: boolean } = {}): Promise<string[]> {
  const found = new Set<string>()
  for (const pattern of patterns) {
    const matches: string[] = []
    const literal = isGlob(pattern) ? await stat(path.resolve(cwd, pattern)).catch(() => undefined) : undefined
    const shown = (f: string) => (path.isAbsolute(pattern) ? toPosix(f) : toPosix(path.relative(cwd, f)))
    if (isGlob(pattern) && !literal) {
      const posix = toPosix(path.isAbsolute(pattern) ? pattern : path.normalize(pattern))
      const firstMagic = posix.search(/[*?[{]/)
      const baseDir = posix.slice(0, posix.lastIndexOf('/', firstMagic) + 1)
      for (const f of await globFiles(path.resolve(cwd, baseDir || '.'), posix.slice(baseDir.length))) matches.push(shown(f))
    } else {
      const full = path.resolve(cwd, pattern)
      let st = literal
      try {
        st ??= await stat(full)
      } catch {
        throw new SpaceOpsError(`${pattern}: no such file or directory`)
      }
      if (st.isDirectory()) {
        for (const f of await globFiles(full, '**/*')) {
          const rel = shown(f)
          if (DEFINITION_FILE.test(rel) || (options.configs && PROMOTION_CONFIG_FILE.test(rel))) matches.push(rel)
        }
        if (!matches.length) throw new SpaceOpsError(`${pattern}: no definitions (space.yaml, *.geniespace.json) in this directory`)
      } else matches.push(pattern)
    }
    if (!matches.length) throw new SpaceOpsError(`${pattern}: matches no file`)
    for (const m of matches) found.add(m)
  }
  return [...found]
}
