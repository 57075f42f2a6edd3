import { CLI_NAMES } from '../../core/names.js'
import path from 'node:path'
import { snapshotSpace } from '../../deploy/snapshot.js'
import { runInfo } from '../../deploy/records.js'
import { expandDefinitions } from '../../core/paths.js'
import { formatOf } from '../../model/load.js'
import { adoptSpaces } from '../../promote/adopt.js'
import { loadPromotionConfig, resolveEnvironment, type PromotionConfig } from '../../promote/config.js'
import { snapshotDefinition, type SnapshotSource } from '../../promote/snapshot.js'
import { parse, usageError } from '../args.js'
import { clientFromCli, CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import { parsePositive } from '../../benchmark/run.js'
import { DEFAULT_CONCURRENCY, mapSettled } from '../../util/pool.js'
import { cliConnector, cliExpansion } from '../config.js'
import { cliLogger, type CliIo } from '../io.js'
import { printable } from '../../util/printable.js'

export const SNAPSHOT_USAGE = `spaceops snapshot <space_id> [-o PATH] [--format yaml|json] [--force] [--env ENV --config FILE]
       spaceops snapshot <definition|dir|glob>... [--env ENV --config FILE] [--state-path PATH] [--concurrency N]
       spaceops snapshot --all -o DIR [--folder PATH] [--env ENV --config FILE] [--write-ids] [--force]`
export const SNAPSHOT_HELP = `Bring a live space into Git: the authoring YAML or the .geniespace.json document. Lossless:
ids are kept.

Onto an existing definition (-o naming it, or the definitions themselves) the file is edited in
place: only what changed in the space is written, in the file's own forms — comments, key order,
flow or block style, quoting, the short join form, instruction categories and left-out ids stay,
and what the file leaves to the environment (warehouse_id: null, no parent_path) is not written
in. A snapshot of an unchanged space leaves the file byte for byte. A new path gets a fresh file
(with title, description, warehouse and folder, so pushing it back changes nothing). Without -o
and a space id, it prints to stdout. The format follows -o's extension unless --format is given.

Given definitions instead of a space id, each one's live space is found as drift finds it (the id
the config gives it, its deploy record, its title in its folder) and the definition is edited.

--all adopts a workspace: one <DIR>/<slug of title>/space.yaml per space you can edit (every
page of the list; --folder keeps those under one workspace folder), each bound to its space by a
deploy record (and, with --write-ids, by spaces.<slug>.space_id in the config), so the next push
or promote updates those spaces instead of creating copies. Spaces it cannot read (no CAN EDIT),
duplicate titles and existing folders (without --force) are skipped and listed.

Usage: ${SNAPSHOT_USAGE}

Options:
  -o, --output PATH      file to write (written whole or not at all); with --all, the folder
  --format yaml|json     output format (default: from PATH, else yaml)
  --env ENV --config FILE  the space is in environment ENV of the promotion config: it is mapped
                         back into the source names (the inverse of ENV's catalog, schema and
                         table mappings) and ENV's own settings (warehouse, folder, title) are
                         not written into the definition; ENV's workspace is used
                         (DATABRICKS_<ENV>_HOST/_TOKEN, or --host/--token)
  --state-path PATH      workspace folder of the deploy records (default: the environment's
                         state_path, else <parent_path>/.spaceops)
  --concurrency N        definitions snapshotted side by side (default 8)
  --force                write over a file that is not a definition, or (--all) an existing folder
  --all                  every space the caller can edit (adoption)
  --folder PATH          with --all: only spaces in this workspace folder (and below)
  --write-ids            with --all and --env: write each space id into the promotion config
  --host, --token        connection overrides
  -h, --help             show this help

${CONNECTION_HELP}`

export const SNAPSHOT_OPTIONS = {
  output: { type: 'string', short: 'o' },
  format: { type: 'string' },
  force: { type: 'boolean' },
  env: { type: 'string' },
  config: { type: 'string' },
  'state-path': { type: 'string' },
  all: { type: 'boolean' },
  folder: { type: 'string' },
  'write-ids': { type: 'boolean' },
  concurrency: { type: 'string' },
  ...CONNECTION_OPTIONS
} as const

const SPACE_ID = /^[0-9a-f]{32}$/

export async function snapshotCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, SNAPSHOT_OPTIONS, SNAPSHOT_USAGE)
  if (values.help) {
    io.out(SNAPSHOT_HELP)
    return 0
  }
  if (!!values.env !== !!values.config) throw usageError('--env and --config go together', SNAPSHOT_USAGE)
  if (values['write-ids'] && !(values.all && values.env)) throw usageError('--write-ids goes with --all and --env', SNAPSHOT_USAGE)
  if (values.folder && !values.all) throw usageError('--folder goes with --all', SNAPSHOT_USAGE)
  let config: PromotionConfig | undefined
  if (values.config) config = await loadPromotionConfig(values.config, io.cwd, CLI_NAMES)
  const connect = config && values.env ? cliConnector(io, values, config, values.env) : undefined
  const client = () => (connect && values.env ? connect(values.env).client : clientFromCli(io, values))
  const expansion = () => cliExpansion(io, values)

  if (values.all) {
    if (positionals.length) throw usageError('--all takes no space id or definition', SNAPSHOT_USAGE)
    if (!values.output) throw usageError('--all needs -o DIR: the folder to write the definitions into', SNAPSHOT_USAGE)
    const logger = cliLogger(io, values.verbose ?? false)
    const result = await adoptSpaces(client(), {
      dir: values.output,
      cwd: io.cwd,
      ...(values.folder ? { folder: values.folder } : {}),
      force: values.force ?? false,
      names: CLI_NAMES,
      ...(config && values.env ? { env: { config, envc: resolveEnvironment(config, values.env, expansion()), writeIds: values['write-ids'] ?? false } } : {}),
      run: runInfo(io.env, 'cli'),
      now: () => new Date(),
      logger,
      containsSecret: (t) => io.secrets.redact(t) !== t
    })
    for (const w of result.written)
      io.err(
        `wrote ${w.file} from space ${w.spaceId} "${printable(w.title)}"${w.recorded ? '' : ' (no deploy record)'}${w.idWritten ? `; id written to ${values.config}` : ''}\n`
      )
    for (const s of result.skipped) io.err(`skipped space ${s.spaceId} "${printable(s.title)}": ${printable(s.reason)}\n`)
    io.err(
      `${result.written.length} definition${result.written.length === 1 ? '' : 's'} written, ${result.skipped.length} space${result.skipped.length === 1 ? '' : 's'} skipped\n`
    )
    return 0
  }

  const source = (): SnapshotSource => ({
    client: client(),
    ...(config && values.env ? { env: { config, name: values.env, policy: expansion() } } : {}),
    statePath: values['state-path']
  })
  const first = positionals[0]
  if (first !== undefined && SPACE_ID.test(first)) {
    if (positionals.length !== 1) throw usageError('snapshot takes exactly one space id', SNAPSHOT_USAGE)
    const fromPath = values.output ? formatOf(values.output) : undefined
    if (values.output && !fromPath) throw usageError(`${values.output}: use a .yaml, .yml or .geniespace.json file name`, SNAPSHOT_USAGE)
    const format = values.format ?? fromPath ?? 'yaml'
    if (format !== 'yaml' && format !== 'json') throw usageError(`--format must be yaml or json, not ${format}`, SNAPSHOT_USAGE)
    if (fromPath && values.format && fromPath !== format)
      throw usageError(`${values.output} is a ${fromPath === 'yaml' ? 'YAML' : 'JSON'} file name but --format is ${format}`, SNAPSHOT_USAGE)
    if (!values.output) {
      if (values.env) throw usageError('--env maps the space back into a definition: give -o PATH', SNAPSHOT_USAGE)
      const snap = await snapshotSpace(client(), first, format)
      if (snap.verbatim) io.err('note: the document has content this SpaceOps version does not model; it was written verbatim\n')
      io.out(snap.text)
      return 0
    }
    const r = await snapshotDefinition(source(), values.output, io.cwd, { spaceId: first, force: values.force, names: CLI_NAMES })
    if (r.note) io.err(`note: ${printable(r.note)}\n`)
    io.err(`${r.changed ? 'wrote' : 'unchanged:'} ${values.output} from space ${r.spaceId} "${printable(r.title)}"\n`)
    return 0
  }
  if (!positionals.length) throw usageError('snapshot takes a space id, definitions, or --all', SNAPSHOT_USAGE)
  if (values.output) throw usageError('-o goes with a space id (the definitions are edited in place)', SNAPSHOT_USAGE)
  const files = (await expandDefinitions(positionals, io.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
  const src = source()
  let changed = 0
  // side by side, printed in definition order; one that fails does not stop the others
  const concurrency = parsePositive(values.concurrency, '--concurrency', { integer: true }) ?? DEFAULT_CONCURRENCY
  const { results: outcomes, firstError } = await mapSettled(files, concurrency, (file) =>
    snapshotDefinition(src, file, io.cwd, { force: values.force, onlySpace: files.length === 1, names: CLI_NAMES })
  )
  for (const [i, file] of files.entries()) {
    const o = outcomes[i]
    if (!o || !('value' in o)) continue
    const r = o.value
    if (r.note) io.err(`note: ${printable(r.note)}\n`)
    if (r.changed) changed++
    io.err(`${r.changed ? 'updated' : 'unchanged:'} ${path.normalize(file)} from space ${r.spaceId} "${printable(r.title)}"\n`)
  }
  if (firstError) throw firstError.error
  io.err(`${changed} of ${files.length} definition${files.length === 1 ? '' : 's'} changed\n`)
  return 0
}
