import { CLI_NAMES } from '../../core/names.js'
import { cliConnector } from '../config.js'
import { checkRestoreTarget, loadBackup, restoreBackup } from '../../promote/backup.js'
import { loadPromotionConfig } from '../../promote/config.js'
import { SpaceOpsError } from '../../util/errors.js'
import { parse, usageError } from '../args.js'
import { clientFromCli, CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import type { CliIo } from '../io.js'
import { printable } from '../../util/printable.js'

export const RESTORE_USAGE = 'spaceops restore <backup.json> [--env ENV --config FILE] [-y]'
export const RESTORE_HELP = `Put a backup (written by promote before every write) back into its space: the exact
document, title, description and warehouse it holds. The workspace must be the one the backup
came from (and, with --env, the environment it records). Asks first unless -y; refuses without a
terminal and without -y.

Usage: ${RESTORE_USAGE}

Options:
  --env ENV --config FILE  connect to an environment of the promotion config (DATABRICKS_<ENV>_HOST/_TOKEN)
  -y, --yes                do not ask
  --host, --token          connection overrides
  -h, --help               show this help

${CONNECTION_HELP}`

export const RESTORE_OPTIONS = { env: { type: 'string' }, config: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, ...CONNECTION_OPTIONS } as const

export async function restoreCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, RESTORE_OPTIONS, RESTORE_USAGE)
  if (values.help) {
    io.out(RESTORE_HELP)
    return 0
  }
  if (positionals.length !== 1) throw usageError('restore takes one backup file', RESTORE_USAGE)
  if ((values.env === undefined) !== (values.config === undefined)) throw usageError('--env and --config go together', RESTORE_USAGE)
  const backup = await loadBackup(positionals[0] as string, io.cwd)
  let client
  if (values.env && values.config) {
    io.secrets.add(values.token)
    const config = await loadPromotionConfig(values.config, io.cwd, CLI_NAMES)
    client = cliConnector(io, values, config, values.env)(values.env).client
  } else client = clientFromCli(io, values)
  checkRestoreTarget(backup, { host: client.host, ...(values.env ? { environment: values.env } : {}) })
  if (!values.yes) {
    if (!io.isTTY || !io.prompt) throw new SpaceOpsError(`refusing to overwrite space ${backup.spaceId} without confirmation: no terminal to ask on; pass -y`)
    const answer = (await io.prompt(`Overwrite space ${backup.spaceId} with the backup "${printable(backup.title ?? '')}" from ${backup.file}? [y/N] `))
      .trim()
      .toLowerCase()
    if (answer !== 'y' && answer !== 'yes') {
      io.err('not restored\n')
      return 1
    }
  }
  await restoreBackup(client, backup)
  io.out(`restored space ${backup.spaceId} from ${backup.file}\n`)
  return 0
}
