import path from 'node:path'
import { snapshotSpace } from '../../deploy/snapshot.js'
import { writeFileAtomic } from '../../core/files.js'
import { formatOf } from '../../model/load.js'
import { parse, usageError } from '../args.js'
import { clientFromCli, CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import type { CliIo } from '../io.js'
import { printable } from '../../util/printable.js'

export const SNAPSHOT_USAGE = 'spaceops snapshot <space_id> [-o PATH] [--format yaml|json]'
export const SNAPSHOT_HELP = `Export a live space as a file: the authoring YAML (with title, description, warehouse and
folder, so pushing it back changes nothing) or the .geniespace.json document. Lossless: ids are
kept. Without -o it prints to stdout. The format follows -o's extension unless --format is given.

Usage: ${SNAPSHOT_USAGE}

Options:
  -o, --output PATH      file to write (written whole or not at all)
  --format yaml|json     output format (default: from PATH, else yaml)
  --host, --token        connection overrides
  -h, --help             show this help

${CONNECTION_HELP}`

export const SNAPSHOT_OPTIONS = { output: { type: 'string', short: 'o' }, format: { type: 'string' }, ...CONNECTION_OPTIONS } as const

export async function snapshotCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, SNAPSHOT_OPTIONS, SNAPSHOT_USAGE)
  if (values.help) {
    io.out(SNAPSHOT_HELP)
    return 0
  }
  if (positionals.length !== 1) throw usageError('snapshot takes exactly one space id', SNAPSHOT_USAGE)
  const fromPath = values.output ? formatOf(values.output) : undefined
  if (values.output && !fromPath) throw usageError(`${values.output}: use a .yaml, .yml or .geniespace.json file name`, SNAPSHOT_USAGE)
  const format = values.format ?? fromPath ?? 'yaml'
  if (format !== 'yaml' && format !== 'json') throw usageError(`--format must be yaml or json, not ${format}`, SNAPSHOT_USAGE)
  if (fromPath && values.format && fromPath !== format) throw usageError(`${values.output} is a ${fromPath === 'yaml' ? 'YAML' : 'JSON'} file name but --format is ${format}`, SNAPSHOT_USAGE)
  const client = clientFromCli(io, values)
  const snap = await snapshotSpace(client, positionals[0] as string, format)
  if (snap.verbatim) io.err('note: the document has content this SpaceOps version does not model; it was written verbatim\n')
  if (values.output) {
    await writeFileAtomic(path.resolve(io.cwd, values.output), snap.text, values.output)
    io.err(`wrote ${values.output} from space ${snap.spaceId} "${printable(snap.title)}"\n`)
  } else io.out(snap.text)
  return 0
}
