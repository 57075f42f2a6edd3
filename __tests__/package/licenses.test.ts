import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../helpers/cli.js'

// Each bundle's licence file names every package the bundle holds code of. ncc's own --license
// wrote one file per chunk under the same name, so the action's (split into chunks) named only the
// packages of its last chunk — zod, js-yaml, re2js and tinyglobby were bundled without their notices.
// scripts/licenses.mjs writes it from the build's module list; this checks it against the packages
// the sources import (value imports reachable from the bundle's entry, static or dynamic).

/** Packages imported (not type-only) by the sources reachable from `entry`. */
function importedPackages(entry: string): Set<string> {
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

/** The package names a licence file lists (an entry opens with the name, then its licence id, after a blank line). */
function licensed(file: string): Set<string> {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n')
  const opens = (i: number) =>
    (i === 0 || lines[i - 1] === '') && /^@?[\w.-]+(\/[\w.-]+)?$/.test(lines[i] ?? '') && /^[\w.+() -]{2,40}$/.test(lines[i + 1] ?? '')
  return new Set(lines.filter((_, i) => opens(i)))
}

describe('licence files of the bundles', () => {
  it.each([
    ['src/index.ts', 'dist/licenses.txt', []],
    // @duckdb/node-api is not bundled (an optional dependency, installed with its own licence)
    ['src/cli/index.ts', 'dist/cli/licenses.txt', ['@duckdb/node-api']]
  ] as const)('%s: %s names every package it bundles', (entry, file, notBundled) => {
    const imported = [...importedPackages(entry)].filter((p) => !(notBundled as readonly string[]).includes(p))
    expect(imported.length).toBeGreaterThan(3)
    const listed = licensed(file)
    expect(imported.filter((p) => !listed.has(p))).toEqual([])
  })

  it('the walk sees the packages it must (so an empty list cannot pass)', () => {
    expect([...importedPackages('src/cli/index.ts')]).toEqual(expect.arrayContaining(['zod', 'js-yaml', 're2js', 'tinyglobby', '@duckdb/node-api']))
    expect([...importedPackages('src/index.ts')]).toEqual(expect.arrayContaining(['zod', '@actions/core']))
  })
})
