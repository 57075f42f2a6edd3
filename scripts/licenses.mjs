#!/usr/bin/env node
// Write the licence file of a bundle from ncc's webpack stats (--stats-out): every package whose code
// the bundle holds, in every chunk, with its licence text. ncc's own --license writes one file per
// chunk under the same name, so a bundle split into chunks kept only the last chunk's packages.
// Usage: node scripts/licenses.mjs <stats.json> <licenses.txt>
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const [statsFile, outFile] = process.argv.slice(2)
if (!statsFile || !outFile) {
  console.error('usage: node scripts/licenses.mjs <stats.json> <licenses.txt>')
  process.exit(2)
}

/** Package folders of every module (concatenated modules included), from their resource paths. */
function packageDirs(stats) {
  const dirs = new Set()
  const visit = (modules) => {
    for (const m of modules ?? []) {
      // the module's own file: its resource path, or the identifier after the last loader
      const resource =
        typeof m.nameForCondition === 'string' ? m.nameForCondition : typeof m.identifier === 'string' ? (m.identifier.split('!').pop() ?? '') : ''
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(resource)
      if (match && path.isAbsolute(match[1])) dirs.add(match[1])
      visit(m.modules)
    }
  }
  visit(stats.modules)
  for (const child of stats.children ?? []) visit(child.modules)
  return [...dirs]
}

const stats = JSON.parse(readFileSync(statsFile, 'utf8'))
const packages = new Map()
for (const dir of packageDirs(stats)) {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
  const licence = typeof manifest.license === 'string' ? manifest.license : (manifest.license?.type ?? 'UNKNOWN')
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f))
  const text = file ? readFileSync(path.join(dir, file), 'utf8').trim() : ''
  // two versions of one package under the same licence text are listed once
  packages.set(`${manifest.name}\n${licence}\n${text}`, { name: manifest.name, licence, text })
}
const out = [...packages.values()]
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  .map((p) => [p.name, p.licence, p.text].filter(Boolean).join('\n'))
  .join('\n\n\n')
writeFileSync(outFile, `${out}\n`)
