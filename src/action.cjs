// The action's entry as CommonJS, so ncc emits CommonJS (dist/index.cjs): Node starts a CommonJS
// file a few milliseconds sooner than an ES module. Everything it runs is src/index.ts.
require('./index.ts')
