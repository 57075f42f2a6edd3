import { parse, usageError } from '../args.js'
import { clientFromCli, CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import type { CliIo } from '../io.js'
import { printable } from '../../util/printable.js'

export const LIST_USAGE = 'spaceops list [--format table|json]'
export const LIST_HELP = `List every Genie space the caller can see (all pages).

Usage: ${LIST_USAGE}

Options:
  --format table|json    output format (default table)
  --host, --token        connection overrides
  -h, --help             show this help

${CONNECTION_HELP}`

export const LIST_OPTIONS = { format: { type: 'string', default: 'table' }, ...CONNECTION_OPTIONS } as const

export async function listCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, LIST_OPTIONS, LIST_USAGE)
  if (values.help) {
    io.out(LIST_HELP)
    return 0
  }
  if (positionals.length) throw usageError('list takes no arguments', LIST_USAGE)
  if (values.format !== 'table' && values.format !== 'json') throw usageError(`--format must be table or json, not ${values.format}`, LIST_USAGE)
  const spaces = await clientFromCli(io, values).listAllSpaces()
  if (values.format === 'json') {
    io.out(
      `${JSON.stringify(
        spaces.map((s) => ({
          space_id: s.space_id,
          title: s.title,
          description: s.description,
          warehouse_id: s.warehouse_id,
          parent_path: s.parent_path,
          update_time: s.update_time
        })),
        null,
        2
      )}\n`
    )
    return 0
  }
  const rows = [
    ['SPACE ID', 'TITLE', 'FOLDER', 'WAREHOUSE'],
    ...spaces.map((s) => [s.space_id, s.title ?? '', s.parent_path ?? '', s.warehouse_id ?? ''].map(printable))
  ]
  const widths = rows[0]?.map((_, i) => Math.min(60, Math.max(...rows.map((r) => (r[i] ?? '').length)))) ?? []
  for (const r of rows)
    io.out(
      `${r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd()}\n`
    )
  io.err(`${spaces.length} space${spaces.length === 1 ? '' : 's'}\n`)
  return 0
}
