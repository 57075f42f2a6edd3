import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../helpers/cli.js'
import { importedPackages } from '../helpers/imports.js'

// Each bundle's licence file names every package the bundle holds code of. ncc's own --license
// wrote one file per chunk under the same name, so the action's (split into chunks) named only the
// packages of its last chunk — zod, js-yaml, re2js and tinyglobby were bundled without their notices.
// scripts/licenses.mjs writes it from the build's module list; this checks it against the packages
// the sources import (value imports reachable from the bundle's entry, static or dynamic).

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
