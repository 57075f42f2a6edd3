/**
 * How a face names the ways a user gives a setting. Core code never spells a flag or an input: it
 * asks `names.option('min-accuracy')` and the CLI answers `--min-accuracy`, the action `input
 * min-accuracy` (a switch: `--force`, `force: true`). A face
 * that has no such setting answers undefined, and the message names only what remains (an
 * environment variable, the definition, the config). Core functions called without names use
 * NEUTRAL_NAMES, which name no face's setting at all.
 */
export type OptionName =
  | 'baseline'
  | 'client-id'
  | 'client-secret'
  | 'config'
  | 'force'
  | 'format'
  | 'host'
  | 'keep-conversations'
  | 'lock-timeout'
  | 'max-questions'
  | 'max-regression'
  | 'min-accuracy'
  | 'regression-p'
  | 'repeat'
  | 'run-timeout'
  | 'skip-preflight'
  | 'space-id'
  | 'strategy'
  | 'timeout'
  | 'title'
  | 'token'
  | 'trend'
  | 'warehouse-id'

export interface Names {
  /** the face's word for a setting, e.g. `--min-accuracy` or `input min-accuracy`; undefined when the face has none */
  option(name: OptionName): string | undefined
  /** the setting given a value, as a user writes it: `--strategy conversation`, `benchmark-strategy: conversation` */
  setting(name: OptionName, value: string): string | undefined
}

/** The CLI's flags. It has no flags for OAuth secrets: those come from the environment only. */
const CLI_FLAGS: Record<OptionName, string | undefined> = {
  baseline: '--baseline',
  'client-id': undefined,
  'client-secret': undefined,
  config: '--config',
  force: '--force',
  format: '--format',
  host: '--host',
  'keep-conversations': '--keep-conversations',
  'lock-timeout': '--lock-timeout',
  'max-questions': '--max-questions',
  'max-regression': '--max-regression',
  'min-accuracy': '--min-accuracy',
  'regression-p': '--regression-p',
  repeat: '--repeat',
  'run-timeout': '--run-timeout',
  'skip-preflight': '--skip-preflight',
  'space-id': '--space-id',
  strategy: '--strategy',
  timeout: '--timeout',
  title: '--title',
  token: '--token',
  trend: '--trend',
  'warehouse-id': '--warehouse-id'
}

/** The action's inputs (action.yml). Snapshot formats are the CLI's alone. */
const ACTION_INPUTS: Record<OptionName, string | undefined> = {
  baseline: 'baseline',
  'client-id': 'client-id',
  'client-secret': 'client-secret',
  config: 'config',
  force: 'force',
  format: undefined,
  host: 'host',
  'keep-conversations': 'keep-conversations',
  'lock-timeout': 'lock-timeout',
  'max-questions': 'preview-max-questions',
  'max-regression': 'max-regression',
  'min-accuracy': 'min-accuracy',
  'regression-p': 'regression-p',
  repeat: 'repeat',
  'run-timeout': 'run-timeout',
  'skip-preflight': 'skip-preflight',
  'space-id': 'space-id',
  strategy: 'benchmark-strategy',
  timeout: 'timeout',
  title: 'title',
  token: 'token',
  trend: 'trend',
  'warehouse-id': 'warehouse-id'
}

export const CLI_NAMES: Names = {
  option: (name) => CLI_FLAGS[name],
  setting: (name, value) => (CLI_FLAGS[name] === undefined ? undefined : `${CLI_FLAGS[name]} ${value}`)
}

/** Switches: named turned on, as `--force` is (`force: true`, as written under `with:`). */
const SWITCHES: ReadonlySet<OptionName> = new Set(['force', 'skip-preflight'])

export const ACTION_NAMES: Names = {
  option: (name) => {
    const input = ACTION_INPUTS[name]
    if (input === undefined) return undefined
    // as every action message names an input: `input timeout`, `input config-variables`
    return SWITCHES.has(name) ? `${input}: true` : `input ${input}`
  },
  // as written under the step's `with:`
  setting: (name, value) => (ACTION_INPUTS[name] === undefined ? undefined : `${ACTION_INPUTS[name]}: ${value}`)
}

export const NEUTRAL_NAMES: Names = { option: () => undefined, setting: () => undefined }

/** `--strategy conversation` / `benchmark-strategy: conversation`; without the setting, `strategy conversation`. */
export function settingText(names: Names, name: OptionName, value: string): string {
  return names.setting(name, value) ?? `${name} ${value}`
}

/** `${before}${the face's name}${after}` when the face has the setting, else `otherwise` (default ''). */
export function viaOption(names: Names, name: OptionName, before: string, after = '', otherwise = ''): string {
  const word = names.option(name)
  return word === undefined ? otherwise : `${before}${word}${after}`
}
