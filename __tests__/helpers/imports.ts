import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from './cli.js'

/** Packages imported (not type-only) by the sources reachable from `entry`. */
export function importedPackages(entry: string): Set<string> {
  const packages = new Set<string>()
  const seen = new Set<string>()
  const pending = [path.join(ROOT, entry)]
  const specifiers =
    /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:([\s\S]*?)\s+from\s+)?['"]([^'"\n]+)['"]|\bimport\(\s*(?:\/\*[^*]*\*\/\s*)?['"]([^'"\n]+)['"]\s*\)/g
  while (pending.length) {
    const file = pending.pop() as string
    if (seen.has(file)) continue
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(specifiers)) {
      const [, typeOnly, clause, fromSpec, dynamicSpec] = m
      const spec = (fromSpec ?? dynamicSpec) as string
      // `import type …`, and `import { type A, type B } …`, are erased
      if (
        typeOnly ||
        (clause &&
          /^\{[\s\S]*\}$/.test(clause.trim()) &&
          clause
            .replace(/[{}]/g, '')
            .split(',')
            .every((s) => s.trim() === '' || /^type\s/.test(s.trim())))
      )
        continue
      if (spec.startsWith('node:') || !/^[@.\w][\w.\-/@]*$/.test(spec)) continue
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'))
        if (target.endsWith('.ts') && existsSync(target)) pending.push(target)
        continue
      }
      packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string))
    }
  }
  return packages
}
