// dist/ holds the action as CommonJS (dist/index.cjs and the chunks it requires, *.index.cjs.js), inside
// a package whose type is "module": this marks dist/ as CommonJS so Node loads the chunks as such.
// (dist/cli/ is an ES module, with a package.json of its own that ncc writes.)
import { writeFileSync } from 'node:fs'

writeFileSync(new URL('../dist/package.json', import.meta.url), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`)
