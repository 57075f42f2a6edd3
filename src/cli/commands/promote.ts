import { CLI_NAMES } from '../../core/names.js'
import path from 'node:path'
import { readDefinition } from '../../core/validate.js'
import { expandDefinitions } from '../../core/paths.js'
import { loadPromotionConfig } from '../../promote/config.js'
import { promote, type PromoteResult } from '../../promote/promote.js'
import { planFileOf, plannedFor, readPlanFile } from '../../promote/plan-file.js'
import { writeFileAtomic } from '../../core/files.js'
import { runInfo } from '../../deploy/records.js'
import { lockSettings } from '../../deploy/lock.js'
import { parseLockTimeout } from '../../util/duration.js'
import { contentOf, holdsLine, renderText } from '../../plan/render.js'
import { formatProblem } from '../../model/problems.js'
import { SpaceOpsError } from '../../util/errors.js'
import { parse, usageError } from '../args.js'
import { CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import { cliLogger, type CliIo } from '../io.js'
import { cliConnector, cliExpansion } from '../config.js'
import { benchmarkGate } from '../../promote/gate.js'
import { printable } from '../../util/printable.js'

export const PROMOTE_USAGE =
  'spaceops promote <definition> <target_env> --config <file> [--benchmark PATH]... [--dry-run] [--save-plan FILE] [--plan FILE] [--force] [--skip-preflight] [--write-ids]'
export const PROMOTE_HELP = `Promote a definition to an environment: validate → render for the target (its warehouse,
folder, catalog/schema/table mappings) → plan against the live target → checks → backup → write
→ verify. Nothing is written unless every check before the write passed.

Checks: the target preflight (spaceops preflight: tables, metric views, functions, columns and
warehouse exist in the target, every mapping matches a name; --force does not skip its errors,
--skip-preflight does); the previous environment in promotion_order must hold the same rendered content; the
target must not have been edited outside SpaceOps since SpaceOps last deployed it (the deploy
record kept in the target workspace, <parent_path>/.spaceops or the config's state_path); benchmark suites (--benchmark) run against the previous environment before
any write, and against the target after it (--post-deploy-gate, always for the first
environment), where a failure puts the backup back.

Usage: ${PROMOTE_USAGE}

Options:
  --config FILE          promotion config (required; e.g. config/promotion.yaml)
  --benchmark PATH       benchmark suites (files, dirs, globs; repeatable)
  --min-accuracy F       override the suites' min_accuracy (0–1)
  --skip-benchmark       do not run benchmark gates
  --post-deploy-gate     also run the suites against the target after the write (rollback on failure)
  --dry-run              stop before the write: report the order check, the drift guard and the
                         (read-only) gate on the previous environment
  --save-plan FILE       write what this run saw (a saved plan; usually with --dry-run)
  --plan FILE            apply a saved plan: refuse, naming what moved, when the definition, what the
                         target gets from it or the live target changed since the plan was made
  --force                skip the promotion order check and the drift guard (says what it skipped);
                         not preflight errors
  --skip-preflight       do not check the target (catalog objects, columns, warehouse, mappings,
                         principals' access) before the write; the report says so
  --write-ids            record the space id in the config (environments.<env>.spaces.<name>)
  --state-path PATH      workspace folder of the target's deploy records and lock (default: the
                         environment's state_path, else <parent_path>/.spaceops)
  --lock-timeout D       how long to wait for another run's deploy lock (default 5m; 0 = fail at once)
  --backup-dir DIR       where backups go (default .spaceops/backups)
  -h, --help             show this help

Hosts and credentials per environment: DATABRICKS_<ENV>_HOST and DATABRICKS_<ENV>_TOKEN (or
_CLIENT_ID/_CLIENT_SECRET); --host/--token are the target's. The generic DATABRICKS_TOKEN (…)
serves only an environment whose host is DATABRICKS_HOST. The config's host may only be
\${DATABRICKS_<ENV>_HOST} (or left out).
${CONNECTION_HELP}`

const VERB: Record<PromoteResult['status'], string> = {
  promoted: 'promoted',
  created: 'created',
  unchanged: 'unchanged',
  planned: 'planned (dry run, nothing written)',
  blocked: 'BLOCKED',
  'rolled-back': 'ROLLED BACK'
}

export const PROMOTE_OPTIONS = {
  config: { type: 'string' },
  benchmark: { type: 'string', multiple: true },
  'min-accuracy': { type: 'string' },
  'skip-benchmark': { type: 'boolean' },
  'post-deploy-gate': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  'write-ids': { type: 'boolean' },
  'state-path': { type: 'string' },
  plan: { type: 'string' },
  'save-plan': { type: 'string' },
  'lock-timeout': { type: 'string' },
  'backup-dir': { type: 'string' },
  'skip-preflight': { type: 'boolean' },
  ...CONNECTION_OPTIONS
} as const

export async function promoteCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, PROMOTE_OPTIONS, PROMOTE_USAGE)
  if (values.help) {
    io.out(PROMOTE_HELP)
    return 0
  }
  if (positionals.length !== 2) throw usageError('promote takes a definition and a target environment', PROMOTE_USAGE)
  if (!values.config) throw usageError('--config is required', PROMOTE_USAGE)
  const [defArg, target] = positionals as [string, string]
  const config = await loadPromotionConfig(values.config, io.cwd, CLI_NAMES)
  const [file] = await expandDefinitions([defArg], io.cwd)
  if (!file) throw new SpaceOpsError(`${defArg}: no definition`)
  const { definition, problems } = await readDefinition(file, { cwd: io.cwd, strict: true })
  for (const p of problems) io.err(`${formatProblem(p)}\n`)
  const logger = cliLogger(io, values.verbose ?? false)
  // --host/--token belong to the target; every other environment is reached by its own variables
  const connect = cliConnector(io, values, config, target)
  const expansion = cliExpansion(io, values)
  const gate =
    values['skip-benchmark'] || !values.benchmark?.length
      ? undefined
      : await benchmarkGate({
          paths: values.benchmark,
          ...(values['min-accuracy'] !== undefined ? { minAccuracy: values['min-accuracy'] } : {}),
          cwd: io.cwd,
          logger,
          names: CLI_NAMES
        })
  const lockWait = values['lock-timeout'] !== undefined ? parseLockTimeout(values['lock-timeout'], '--lock-timeout') : undefined
  const saved = values.plan ? await readPlanFile(values.plan, io.cwd, target) : undefined
  const planned = saved && values.plan ? { file: values.plan, planned: plannedFor(saved, file, values.plan), createdAt: saved.created_at } : undefined
  const result = await promote({
    ...(planned ? { plan: planned } : {}),
    definitionFile: file,
    space: definition.space,
    config,
    target,
    env: expansion,
    connect,
    logger,
    names: CLI_NAMES,
    now: () => new Date(),
    cwd: io.cwd,
    force: values.force ?? false,
    definition,
    skipPreflight: values['skip-preflight'] ?? false,
    dryRun: values['dry-run'] ?? false,
    writeIds: values['write-ids'] ?? false,
    run: runInfo(io.env, 'cli'),
    ...(values['state-path'] ? { statePath: values['state-path'] } : {}),
    lock: lockSettings(io.env, lockWait, CLI_NAMES),
    containsSecret: (t) => io.secrets.redact(t) !== t,
    backupDir: values['backup-dir'] ?? path.join('.spaceops', 'backups'),
    ...(gate ? { gate } : {}),
    postDeployGate: values['post-deploy-gate'] ?? false
  })
  if (result.diff.changes.length) {
    io.out(
      renderText([
        { definition: file, title: result.title, target, status: 'changed', diff: result.diff, ...(result.spaceId ? { spaceId: result.spaceId } : {}) }
      ])
    )
  }
  for (const s of result.skipped) io.err(`warning: --force skipped ${s}\n`)
  if (result.preflightSkipped) io.err(`warning: --skip-preflight: the target preflight was not run for ${target}\n`)
  for (const f of result.preflight?.findings ?? []) io.err(`${formatProblem(f)}\n`)
  const holds = result.status === 'created' || (result.status === 'planned' && !result.spaceId) ? `, holding ${holdsLine(contentOf(result.rendered))}` : ''
  io.out(
    `${VERB[result.status]}: "${printable(result.title)}" → ${target}${result.spaceId ? ` (space ${result.spaceId})` : ''}${holds}${result.reason ? ` — ${result.reason}` : ''}\n`
  )
  if (result.backup) io.out(`backup: ${path.relative(io.cwd, result.backup)} (spaceops restore <file> puts it back)\n`)
  if (values['save-plan']) {
    await writeFileAtomic(
      path.resolve(io.cwd, values['save-plan']),
      `${JSON.stringify(planFileOf(target, values['dry-run'] ?? false, [{ file, result }], new Date()), null, 2)}\n`,
      values['save-plan']
    )
    io.err(`plan saved to ${values['save-plan']}\n`)
  }
  return result.status === 'blocked' || result.status === 'rolled-back' ? 1 : 0
}
