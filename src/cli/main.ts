import { VERSION } from '../version.js'
import { describeError, SpaceOpsError } from '../util/errors.js'
import type { CliIo } from './io.js'
import { unknownCommand } from './args.js'
import { validateCommand, VALIDATE_OPTIONS } from './commands/validate.js'
import { renderCommand, RENDER_OPTIONS } from './commands/render.js'
import { convertCommand, CONVERT_OPTIONS } from './commands/convert.js'
import { schemaCommand, SCHEMA_OPTIONS } from './commands/schema.js'
import { snapshotCommand, SNAPSHOT_OPTIONS } from './commands/snapshot.js'
import { pushCommand, PUSH_OPTIONS } from './commands/push.js'
import { listCommand, LIST_OPTIONS } from './commands/list.js'
import { deleteCommand, DELETE_OPTIONS } from './commands/delete.js'
import { emulatorCommand } from './commands/emulator.js'
import { diffCommand, driftCommand, DIFF_OPTIONS, DRIFT_OPTIONS } from './commands/diff.js'
import { promoteCommand, PROMOTE_OPTIONS } from './commands/promote.js'
import { restoreCommand, RESTORE_OPTIONS } from './commands/restore.js'
import { benchmarkCommand, BENCHMARK_OPTIONS } from './commands/benchmark.js'
import { preflightCommand, PREFLIGHT_OPTIONS } from './commands/preflight.js'
import { previewCommand, PREVIEW_OPTIONS } from './commands/preview.js'

/**
 * The CLI: `spaceops <command> …`. Each command is a thin adapter from argv to the same core
 * functions the action calls. Returns the exit code; never throws, never prints a stack.
 */
type Command = {
  run: (argv: string[], io: CliIo) => Promise<number>
  summary: string
  /** the command's flags as parsed (node:util parseArgs options); the emulator parses its own */
  options: Readonly<Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>>
}

export const COMMANDS: Record<string, Command> = {
  validate: { run: validateCommand, summary: 'check definitions offline (file:line:col problems)', options: VALIDATE_OPTIONS },
  render: { run: renderCommand, summary: 'print the exact create/update payload of a definition', options: RENDER_OPTIONS },
  convert: { run: convertCommand, summary: 'convert YAML <-> .geniespace.json, losslessly', options: CONVERT_OPTIONS },
  snapshot: { run: snapshotCommand, summary: 'export a live space as YAML or .geniespace.json', options: SNAPSHOT_OPTIONS },
  diff: { run: diffCommand, summary: 'show what a push would change (or compare two files)', options: DIFF_OPTIONS },
  push: { run: pushCommand, summary: 'create or update a space from a definition', options: PUSH_OPTIONS },
  drift: { run: driftCommand, summary: 'report edits made to live spaces outside SpaceOps', options: DRIFT_OPTIONS },
  benchmark: { run: benchmarkCommand, summary: "measure a space's accuracy on Genie and gate on it", options: BENCHMARK_OPTIONS },
  preflight: {
    run: preflightCommand,
    summary: 'check a workspace has the tables, columns, warehouse and grants a definition needs',
    options: PREFLIGHT_OPTIONS
  },
  promote: { run: promoteCommand, summary: 'promote a definition to an environment (dev → stage → prod), with gates', options: PROMOTE_OPTIONS },
  restore: { run: restoreCommand, summary: 'put a backup taken by promote back', options: RESTORE_OPTIONS },
  preview: {
    run: previewCommand,
    summary: "deploy a pull request's version of spaces as previews and benchmark them next to the base",
    options: PREVIEW_OPTIONS
  },
  list: { run: listCommand, summary: 'list the spaces of a workspace', options: LIST_OPTIONS },
  delete: { run: deleteCommand, summary: 'move a space to the trash', options: DELETE_OPTIONS },
  emulator: { run: emulatorCommand, summary: 'run a local Genie API emulator on 127.0.0.1', options: {} },
  schema: { run: schemaCommand, summary: 'print the JSON Schema of space.yaml, a suite or the promotion config', options: SCHEMA_OPTIONS }
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
      io.err(`error: ${io.secrets.redact(unknownCommand(name, Object.keys(COMMANDS)))}\n`)
      return 2
    }
    return await command.run(rest, io)
  } catch (err) {
    io.err(`error: ${io.secrets.redact(describeError(err))}\n`)
    return err instanceof SpaceOpsError ? err.exitCode : 1
  }
}
