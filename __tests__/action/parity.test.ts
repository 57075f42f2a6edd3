import { readFileSync } from 'node:fs'
import path from 'node:path'
import * as yaml from 'js-yaml'
import { COMMANDS } from '../../src/cli/main.js'
import { BUILT_MODES } from '../../src/main.js'
import { INPUT_NAMES, MODES } from '../../src/action/inputs.js'
import { ROOT } from '../helpers/cli.js'

/**
 * "A feature in one face only is a bug": every flag of a CLI command that has an action mode has an
 * input of the action (declared in action.yml, validated in inputs.ts, documented in README's inputs
 * table), unless it is listed below with the reason it cannot or need not be one.
 */

/** CLI commands with no action mode, and why. */
const CLI_ONLY: Record<string, string> = {
  render: 'authoring aid: prints a payload for a person to read; in a workflow, mode diff shows what a write would change',
  convert: 'authoring aid: rewrites a file in the working copy, which a workflow does not commit',
  schema: 'authoring aid: prints the JSON Schema for editors; it is committed as schema/space.schema.json',
  emulator: 'a local test server; never part of the action bundle',
  list: 'an inventory for a person: no workflow step decides on it (ids come from the space-id / space-ids outputs of push and promote)',
  preflight:
    'mode diff with target-env (the plan comment shows its findings above the diff) and mode promote (dry-run too) run the same checks before any write; a step of its own would only repeat them',
  delete:
    'moves a space to the trash: irreversible from CI and asked for on a terminal; SpaceOps never deletes unattended (a failed first deploy is trashed by promote itself)'
}

/** A flag whose input has another name: env → target-env etc. */
const RENAMED: Record<string, Record<string, string>> = {
  validate: { limit: 'limits' },
  diff: { env: 'target-env' },
  drift: { env: 'target-env' },
  snapshot: { output: 'definition', env: 'target-env', all: 'all-spaces', folder: 'parent-path' },
  benchmark: { strategy: 'benchmark-strategy', output: 'reports', format: 'report-format', env: 'target-env' },
  restore: { env: 'target-env' },
  preview: { 'max-questions': 'preview-max-questions', 'max-age': 'preview-max-age' }
}

/** Flags with no input, and why. `*` applies to every command. */
const NO_INPUT: Record<string, Record<string, string>> = {
  '*': {
    help: 'usage text: action.yml describes every input',
    verbose: "the runner's step debug logging (ACTIONS_STEP_DEBUG) shows what --verbose prints"
  },
  validate: { format: 'output format: the action reports through annotations, outputs and the job summary' },
  diff: {
    format: 'output format: the action writes the job summary, the pull request comment and the JSON plan (output plan-path)',
    'detailed-exitcode': 'the exit code as a signal: the action sets outputs changes and spaces-changed instead of failing the step'
  },
  drift: { format: 'output format: the action writes the job summary and the JSON report (output plan-path)' },
  snapshot: {
    format: "the format follows the extension of definition (with -o the CLI's --format must agree with it; without -o it only picks what is printed)"
  },
  promote: { 'save-plan': 'the action writes the plan file of every promote run (output plan-path)' },
  restore: { yes: 'confirmation on a terminal: a step with mode restore and a backup is the confirmation (there is no terminal to ask on)' },
  preview: {
    pr: 'the action reads the pull request from the workflow event (a preview outside a pull_request event is refused)',
    cleanup: 'the action has its own mode for it: preview-cleanup'
  }
}

const actionYml = yaml.load(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { description?: string }> }
const declared = Object.keys(actionYml.inputs)
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const inputsTable = (readme.split('| input | default | meaning |')[1] ?? '').split('\n\n')[0] ?? ''
const documented = new Set([...inputsTable.matchAll(/^\|([^|]*)\|/gm)].flatMap((m) => [...(m[1] ?? '').matchAll(/`([\w-]+)`/g)].map((n) => n[1] as string)))

describe('the action can do everything the CLI can', () => {
  const withMode = Object.keys(COMMANDS).filter((c) => !(c in CLI_ONLY))

  it.each(withMode)('command %s has an action mode', (command) => {
    expect(Object.keys(BUILT_MODES)).toContain(command)
  })

  const flags = withMode.flatMap((command) => Object.keys(COMMANDS[command]?.options ?? {}).map((flag) => [command, flag] as const))
  it.each(flags)('spaceops %s --%s has an input', (command, flag) => {
    if (NO_INPUT['*']?.[flag] || NO_INPUT[command]?.[flag]) return
    const input = RENAMED[command]?.[flag] ?? flag
    expect({
      flag: `${command} --${flag}`,
      input,
      declared: declared.includes(input),
      validated: INPUT_NAMES.includes(input),
      documented: documented.has(input)
    }).toEqual({
      flag: `${command} --${flag}`,
      input,
      declared: true,
      validated: true,
      documented: true
    })
  })

  it('every exception names a command and flag that exist (no stale exceptions)', () => {
    for (const command of Object.keys(CLI_ONLY)) expect(Object.keys(COMMANDS)).toContain(command)
    for (const [command, map] of [...Object.entries(NO_INPUT), ...Object.entries(RENAMED)]) {
      if (command === '*') continue
      for (const flag of Object.keys(map)) expect(`${command} --${flag}: ${flag in (COMMANDS[command]?.options ?? {})}`).toBe(`${command} --${flag}: true`)
    }
  })

  it('every input of action.yml is validated by inputs.ts, has a description, and the reverse', () => {
    expect([...declared].sort()).toEqual([...INPUT_NAMES].sort())
    for (const name of declared) expect(`${name}: ${(actionYml.inputs[name]?.description ?? '').trim().length > 0}`).toBe(`${name}: true`)
  })

  it('every mode is built, listed in inputs.ts and described in action.yml', () => {
    expect([...MODES].sort()).toEqual(Object.keys(BUILT_MODES).sort())
    const modeDoc = actionYml.inputs.mode?.description ?? ''
    for (const mode of MODES) expect(`${mode}: ${new RegExp(`\\b${mode} \\(`).test(modeDoc)}`).toBe(`${mode}: true`)
  })
})
