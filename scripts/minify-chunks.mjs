// ncc minifies a bundle's entry file but writes the chunks it splits off as they come from webpack
// (the action's networked chunk: 1.6 MB with comments and whitespace, which Node then parses at
// every start of a mode that talks HTTP). This minifies each chunk in dist/ with the options ncc
// uses for the entry: no compression, names mangled, function and class names kept.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { minify } from 'terser'

const dir = new URL('../dist/', import.meta.url)
for (const name of readdirSync(dir).filter((f) => /^\d+\.index\.cjs\.js$/.test(f))) {
  const file = new URL(name, dir)
  const result = await minify(readFileSync(file, 'utf8'), { module: false, compress: false, mangle: { keep_classnames: true, keep_fnames: true } })
  if (result.code === undefined) throw new Error(`${name}: terser returned no code`)
  writeFileSync(file, result.code)
}
