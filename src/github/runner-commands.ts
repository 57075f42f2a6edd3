import { randomUUID } from 'node:crypto'
import { appendFileSync, existsSync } from 'node:fs'
import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'
import type { AnnotationProps } from './actions.js'

/**
 * GitHub's documented runner protocol — workflow commands on stdout and file commands
 * (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) — written exactly as @actions/core 3 writes them, so the
 * action's start does not evaluate @actions/core and, through its OIDC client, @actions/http-client
 * and undici (about half of a validate run's time). Same input name mangling, same heredoc
 * delimiter, same escaping of command data and properties; `getIDToken`, which needs HTTP, is the
 * one call left to @actions/core (loaded when asked).
 */

/** `core.getInput(name)`: INPUT_<NAME, spaces as _, upper case>, trimmed, '' when unset. */
export function getInput(name: string, env: Record<string, string | undefined> = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim()
}

/** `core.issueCommand`: `::name key=value,…::message` and a line break, on stdout. */
export function issueCommand(command: string, properties: Record<string, string | number | undefined>, message: string): void {
  process.stdout.write(formatCommand(command, properties, message) + EOL)
}

export function formatCommand(command: string, properties: Record<string, string | number | undefined>, message: string): string {
  let text = `::${command || 'missing.command'}`
  const props = Object.entries(properties).filter(([, v]) => v !== undefined && v !== '' && v !== 0)
  if (props.length) text += ` ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}`
  return `${text}::${escapeData(message)}`
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** `toCommandProperties`: an annotation's properties under the names the runner reads. */
export function annotationProperties(p: AnnotationProps | undefined): Record<string, string | number | undefined> {
  if (!p || !Object.keys(p).length) return {}
  return { title: p.title, file: p.file, line: p.startLine, col: p.startColumn }
}

/** `core.setOutput`: a heredoc in GITHUB_OUTPUT, or the old `set-output` command without one. */
export function setOutput(name: string, value: string, env: Record<string, string | undefined> = process.env): void {
  const file = env.GITHUB_OUTPUT || ''
  if (!file) {
    process.stdout.write(EOL)
    issueCommand('set-output', { name }, value)
    return
  }
  const delimiter = `ghadelimiter_${randomUUID()}`
  // as @actions/core: never let a name or value end the heredoc early
  if (name.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`)
  if (value.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`)
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' })
}

/** `core.summary.addRaw(markdown, true).write()`: appended with a line break; nothing without the file. */
export async function appendSummary(markdown: string, env: Record<string, string | undefined> = process.env): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY
  if (!file) return
  await appendFile(file, markdown + EOL, { encoding: 'utf8' })
}
