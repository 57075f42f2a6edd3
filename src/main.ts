import { suggest } from './model/didyoumean.js'
import { actionsRuntime, guardRuntime, type ActionsRuntime } from './github/actions.js'
import { readInputs, type ActionInputs } from './action/inputs.js'
import { validateMode } from './action/validate.js'
import { describeError } from './util/errors.js'
import { SecretRegistry } from './util/secrets.js'

/**
 * The action: read inputs, run the mode, report. Everything below is the same core the CLI uses;
 * this file only maps inputs to calls and results to outputs. Modes not built are refused, never
 * faked.
 */
type Mode = (rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry) => Promise<boolean>

// validate is offline and part of dist/index.cjs; every other mode is in `networked` (one chunk,
// loaded when such a mode runs), which keeps the action's start quick.
const networked = () => import('./networked.js')
export const BUILT_MODES: Record<string, Mode> = {
  validate: validateMode,
  diff: async (rt, i, s) => (await networked()).diffMode(rt, i, s),
  drift: async (rt, i, s) => (await networked()).driftMode(rt, i, s),
  push: async (rt, i, s) => (await networked()).pushMode(rt, i, s),
  benchmark: async (rt, i, s) => (await networked()).benchmarkMode(rt, i, s),
  promote: async (rt, i, s) => (await networked()).promoteMode(rt, i, s),
  snapshot: async (rt, i, s) => (await networked()).snapshotMode(rt, i, s),
  restore: async (rt, i, s) => (await networked()).restoreMode(rt, i, s),
  preview: async (rt, i, s) => (await networked()).previewMode(rt, i, s),
  'preview-cleanup': async (rt, i, s) => (await networked()).previewCleanupMode(rt, i, s)
}

export async function run(runtime: ActionsRuntime = actionsRuntime()): Promise<void> {
  // Every message, output and summary of every mode goes through the guard (safe text, limits).
  const rt = guardRuntime(runtime)
  const secrets = new SecretRegistry([(s) => rt.setSecret(s)])
  try {
    const inputs = readInputs(rt, secrets)
    const mode = BUILT_MODES[inputs.mode]
    if (!mode) {
      const near = suggest(inputs.mode, Object.keys(BUILT_MODES))
      rt.setFailed(
        near !== undefined
          ? `unknown mode "${inputs.mode}" — did you mean "${near}"?`
          : `unknown mode "${inputs.mode}": valid modes are ${Object.keys(BUILT_MODES).join(', ')}`
      )
      return
    }
    await mode(rt, inputs, secrets)
  } catch (err) {
    rt.setFailed(secrets.redact(describeError(err)))
  }
}
