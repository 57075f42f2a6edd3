import { CLI_NAMES } from '../../core/names.js'
import { expandDefinitions } from '../../core/paths.js'
import { lockSettings } from '../../deploy/lock.js'
import { runInfo } from '../../deploy/records.js'
import { parsePositive } from '../../benchmark/run.js'
import { loadPromotionConfig, previewEnvironment, spaceKey } from '../../promote/config.js'
import { cleanupPreviews } from '../../preview/cleanup.js'
import { DEFAULT_PREVIEW_MAX_AGE_MS, parsePreviewAge } from '../../preview/age.js'
import { renderPreviewMarkdown } from '../../preview/render.js'
import { previewRoots, previewSpaces } from '../../preview/run.js'
import { parseLockTimeout } from '../../util/duration.js'
import { parse, usageError } from '../args.js'
import { CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import { cliLogger, type CliIo } from '../io.js'
import { cliConnector, cliExpansion } from '../config.js'

export const PREVIEW_USAGE = 'spaceops preview <definition|dir|glob>... --pr N --config FILE [--max-questions N] | --cleanup [--pr N | --max-age 7d]'
export const PREVIEW_HELP = `Deploy each definition as a preview of pull request N — a temporary space in the preview
environment of the promotion config (the one marked preview: true, else the first of
promotion_order), in <parent_path>/previews/pr-N, titled "<title> [PR #N]", re-used on every run —
and benchmark it next to the space the definition has there. Prints the preview report (Markdown).
Preview records live in the preview folder's .spaceops; the environment's deploy records are never
read or written. --cleanup trashes previews (and their conversations) instead: pull request N's,
or without --pr every preview older than --max-age.

Usage: ${PREVIEW_USAGE}

Options:
  --pr N                    the pull request
  --config FILE             promotion config (required)
  --max-questions N         at most N Genie questions for the base and the PR together
  --questions-per-minute Q  the workspace's question rate (default 5), shared by every measurement
  --cleanup                 trash previews instead of deploying them
  --max-age D               with --cleanup and no --pr: previews created more than D ago (7d, 36h; default 7d)
  --lock-timeout D          how long to wait for another run's lock on the preview folder (default 5m)
  --host, --token           connection overrides (they belong to the preview environment)
  -h, --help                show this help

${CONNECTION_HELP}`

export const PREVIEW_OPTIONS = {
  pr: { type: 'string' },
  config: { type: 'string' },
  'max-questions': { type: 'string' },
  'questions-per-minute': { type: 'string' },
  cleanup: { type: 'boolean' },
  'max-age': { type: 'string' },
  'lock-timeout': { type: 'string' },
  ...CONNECTION_OPTIONS
} as const

export async function previewCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, PREVIEW_OPTIONS, PREVIEW_USAGE)
  if (values.help) {
    io.out(PREVIEW_HELP)
    return 0
  }
  if (!positionals.length) throw usageError('preview needs at least one definition', PREVIEW_USAGE)
  if (!values.config) throw usageError('--config is required (the promotion config names the preview environment)', PREVIEW_USAGE)
  const pr = parsePositive(values.pr, '--pr', { integer: true })
  if (!values.cleanup && pr === undefined) throw usageError('--pr is required (the pull request the previews belong to)', PREVIEW_USAGE)
  if (values['max-age'] !== undefined && (!values.cleanup || pr !== undefined)) throw usageError('--max-age goes with --cleanup and no --pr', PREVIEW_USAGE)
  const maxQuestions = parsePositive(values['max-questions'], '--max-questions', { integer: true })
  const questionsPerMinute = parsePositive(values['questions-per-minute'], '--questions-per-minute')
  const maxAgeMs = values['max-age'] !== undefined ? parsePreviewAge(values['max-age'], '--max-age') : DEFAULT_PREVIEW_MAX_AGE_MS
  const lockTimeout = values['lock-timeout'] !== undefined ? parseLockTimeout(values['lock-timeout'], '--lock-timeout') : undefined

  // the config (and its preview environment) is checked before any request
  const config = await loadPromotionConfig(values.config, io.cwd)
  const environment = previewEnvironment(config)
  const expansion = cliExpansion(io, values)
  const files = (await expandDefinitions(positionals, io.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
  const logger = cliLogger(io, values.verbose ?? false)
  const client = () => cliConnector(io, values, config, environment)(environment).client

  if (values.cleanup) {
    const roots = await previewRoots({ config, environment, expansion, files, cwd: io.cwd })
    if (!roots.length) {
      io.err(`no definition has a folder in ${environment}: there are no previews to clean up\n`)
      return 0
    }
    const result = await cleanupPreviews({
      client: client(),
      roots,
      keys: files.map(spaceKey),
      ...(pr !== undefined ? { pr } : { maxAgeMs }),
      now: () => new Date(),
      logger
    })
    for (const t of result.trashed) io.out(`trashed ${t.spaceId} "${t.title}" (${t.reason}; ${t.conversations} conversation(s) deleted)\n`)
    io.out(`${result.trashed.length} preview(s) trashed in ${environment}${pr === undefined ? `, ${result.kept} kept` : ''}\n`)
    for (const f of result.failed) io.err(`could not trash ${f}\n`)
    return result.failed.length ? 1 : 0
  }

  const { outcomes, asked } = await previewSpaces({
    client: client(),
    config,
    environment,
    expansion,
    pr: pr as number,
    files,
    onlySpace: files.length === 1,
    cwd: io.cwd,
    run: runInfo(io.env, 'cli'),
    logger,
    info: (line) => io.err(`${line}\n`),
    lock: lockSettings(io.env, lockTimeout),
    containsSecret: (t) => io.secrets.redact(t) !== t,
    redact: (t) => io.secrets.redact(t),
    ...(questionsPerMinute !== undefined ? { questionsPerMinute } : {}),
    ...(maxQuestions !== undefined ? { maxQuestions } : {}),
    names: CLI_NAMES
  })
  io.out(renderPreviewMarkdown(outcomes, { pr: pr as number, environment, asked, names: CLI_NAMES }))
  return outcomes.some((o) => o.status === 'error') ? 1 : 0
}
