import { VERSION } from '../version.js'
import { describeError, SpaceOpsError } from '../util/errors.js'
import type { CliIo } from './io.js'
import { validateCommand } from './commands/validate.js'
import { renderCommand } from './commands/render.js'
import { convertCommand } from './commands/convert.js'
import { schemaCommand } from './commands/schema.js'
import { snapshotCommand } from './commands/snapshot.js'
import { pushCommand } from './commands/push.js'
import { listCommand } from './commands/list.js'
import { deleteCommand } from './commands/delete.js'
import { emulatorCommand } from './commands/emulator.js'
import { diffCommand, driftCommand } from './commands/diff.js'
import { promoteCommand } from './commands/promote.js'
import { restoreCommand } from './commands/restore.js'
import { benchmarkCommand } from './commands/benchmark.js'

/**
 * The CLI: `spaceops <command> …`. Each command is a thin adapter from argv to the same core
 * functions the action calls. Returns the exit code; never throws, never prints a stack.
 */
type Command = { run: (argv: string[], io: CliIo) => Promise<number>; summary: string }

export const COMMANDS: Record<string, Command> = {
  validate: { run: validateCommand, summary: 'check definitions offline (file:line:col problems)' },
  render: { run: renderCommand, summary: 'print the exact create/update payload of a definition' },
  convert: { run: convertCommand, summary: 'convert YAML <-> .geniespace.json, losslessly' },
  snapshot: { run: snapshotCommand, summary: 'export a live space as YAML or .geniespace.json' },
  diff: { run: diffCommand, summary: 'show what a push would change (or compare two files)' },
  push: { run: pushCommand, summary: 'create or update a space from a definition' },
  drift: { run: driftCommand, summary: 'report edits made to live spaces outside SpaceOps' },
  benchmark: { run: benchmarkCommand, summary: "measure a space's accuracy on Genie and gate on it" },
  promote: { run: promoteCommand, summary: 'promote a definition to an environment (dev → stage → prod), with gates' },
  restore: { run: restoreCommand, summary: 'put a backup taken by promote back' },
  list: { run: listCommand, summary: 'list the spaces of a workspace' },
  delete: { run: deleteCommand, summary: 'move a space to the trash' },
  emulator: { run: emulatorCommand, summary: 'run a local Genie API emulator on 127.0.0.1' },
  schema: { run: schemaCommand, summary: 'print the JSON Schema of space.yaml' }
}

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length))
  return `spaceops ${VERSION} — CI/CD for Databricks AI/BI Genie spaces

Usage: spaceops <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join('\n')}

Run 'spaceops <command> --help' for a command's options. --version prints the version.
Environment: DATABRICKS_HOST, DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET).
`
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.out(mainHelp())
      return name === undefined ? 2 : 0
    }
    if (name === '--version' || name === '-v' || rest.includes('--version')) {
      io.out(`${VERSION}\n`)
      return 0
    }
    const command = COMMANDS[name]
    if (!command) {
      io.err(`error: unknown command "${name}"; commands are: ${Object.keys(COMMANDS).join(', ')} (spaceops --help)\n`)
      return 2
    }
    return await command.run(rest, io)
  } catch (err) {
    io.err(`error: ${io.secrets.redact(describeError(err))}\n`)
    return err instanceof SpaceOpsError ? err.exitCode : 1
  }
}
