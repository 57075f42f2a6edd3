import { ACTION_NAMES } from '../core/names.js'
import { checkRestoreTarget, loadBackup, restoreBackup } from '../promote/backup.js'
import { loadPromotionConfig } from '../promote/config.js'
import { md } from '../github/summary.js'
import type { ActionsRuntime } from '../github/actions.js'
import { SpaceOpsError } from '../util/errors.js'
import type { SecretRegistry } from '../util/secrets.js'
import { actionClient } from './client.js'
import { environmentClient } from './config.js'
import type { ActionInputs } from './inputs.js'

/**
 * mode: restore — `spaceops restore <backup>` in a workflow: put a backup taken by promote back
 * into its space. The connection is `target-env`'s (from the promotion config) when given, else the
 * inputs / DATABRICKS_* variables; it must be the workspace the backup came from, and `target-env`
 * the environment it records (`checkRestoreTarget`, as the CLI). The step itself is the confirmation
 * the CLI asks for on a terminal. Outputs: `space-id`.
 */
export async function restoreMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const file = inputs.backup
  if (!file) throw new SpaceOpsError('mode restore needs input backup: the backup file promote wrote (in backup-dir)')
  const backup = await loadBackup(file, rt.cwd)
  const target = inputs['target-env']
  const client = target
    ? environmentClient(rt, inputs, secrets, await loadPromotionConfig(inputs.config ?? 'config/promotion.yaml', rt.cwd, ACTION_NAMES), target)
    : actionClient(rt, inputs, secrets)
  checkRestoreTarget(backup, { host: client.host, ...(target ? { environment: target } : {}) })
  await restoreBackup(client, backup)
  rt.info(`restored space ${backup.spaceId} from ${file}`)
  rt.setOutput('space-id', backup.spaceId)
  await rt.appendSummary(
    `### SpaceOps restore\n\nRestored space ${backup.spaceId} "${md(backup.title ?? '')}"${backup.environment ? ` in ${backup.environment}` : ''} from ${md(file)}.\n`
  )
  return true
}
