/**
 * Everything of the action that talks HTTP (the Genie client and its undici, Octokit,
 * @actions/core's OIDC client), behind ONE dynamic import: `node dist/index.cjs` evaluates none of
 * it until a mode that needs it runs, and the bundle keeps one copy of it (one chunk beside
 * dist/index.cjs, since every lazy load goes through this module).
 */
export { pushMode, snapshotMode } from './action/push.js'
export { diffMode, driftMode } from './action/plan.js'
export { promoteMode } from './action/promote.js'
export { benchmarkMode } from './action/benchmark.js'
export { restoreMode } from './action/restore.js'
export { previewMode, previewCleanupMode } from './action/preview.js'
export { actionClient } from './action/client.js'
export { preflightSuites } from './benchmark/preflight.js'
export { getIDToken } from '@actions/core'
