import { actionsRuntime, guardRuntime, type ActionsRuntime } from './github/actions.js'
import { readInputs, type ActionInputs } from './action/inputs.js'
import { validateMode } from './action/validate.js'
import { pushMode, snapshotMode } from './action/push.js'
import { diffMode, driftMode } from './action/plan.js'
import { promoteMode } from './action/promote.js'
import { benchmarkMode } from './action/benchmark.js'
import { restoreMode } from './action/restore.js'
import { describeError } from './util/errors.js'
import { SecretRegistry } from './util/secrets.js'

/**
 * The action: read inputs, run the mode, report. Everything below is the same core the CLI uses;
 * this file only maps inputs to calls and results to outputs. Modes not built are refused, never
 * faked.
 */
type Mode = (rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry) => Promise<boolean>

export const BUILT_MODES: Record<string, Mode> = {
  validate: validateMode,
  diff: diffMode,
  drift: driftMode,
  push: pushMode,
  benchmark: benchmarkMode,
  promote: promoteMode,
  snapshot: snapshotMode,
  restore: restoreMode
}

export async function run(runtime: ActionsRuntime = actionsRuntime()): Promise<void> {
  // Every message, output and summary of every mode goes through the guard (safe text, limits).
  const rt = guardRuntime(runtime)
  const secrets = new SecretRegistry([(s) => rt.setSecret(s)])
  try {
    const inputs = readInputs(rt, secrets)
    const mode = BUILT_MODES[inputs.mode]
    if (!mode) {
      rt.setFailed(`unknown mode "${inputs.mode}": valid modes are ${Object.keys(BUILT_MODES).join(', ')}`)
      return
    }
    await mode(rt, inputs, secrets)
  } catch (err) {
    rt.setFailed(secrets.redact(describeError(err)))
  }
}
