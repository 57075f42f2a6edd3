import { appendFileSync, existsSync, writeSync } from 'node:fs'
import { appendFile } from '../util/fs.js'
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

/** Where the runner protocol's stdout lines go: `writeStdout` in a step, a capture in tests. */
export type Out = (text: string) => void

/**
 * The step's stdout, written to fd 1 directly and in order. `process.stdout` is not used: creating
 * it loads Node's stream and socket machinery (about 2.5 ms of a start that prints three lines).
 * A pipe left non-blocking by another writer may answer EAGAIN: wait a millisecond and go on. A
 * reader that went away (EPIPE) has nothing left to show; the rest is dropped, as a closed log is.
 */
export function writeStdout(text: string): void {
  writeAll(1, text)
}

/** Write all of `text` to `fd`, however many writes it takes. */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  let done = 0
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EPIPE') return
      if (code !== 'EAGAIN') throw err
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1)
    }
  }
}

/** `core.getInput(name)`: INPUT_<NAME, spaces as _, upper case>, trimmed, '' when unset. */
export function getInput(name: string, env: Record<string, string | undefined> = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim()
}

/** `core.issueCommand`: `::name key=value,…::message` and a line break, on stdout. */
export function issueCommand(command: string, properties: Record<string, string | number | undefined>, message: string, out: Out = writeStdout): void {
  out(formatCommand(command, properties, message) + EOL)
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
export function setOutput(name: string, value: string, env: Record<string, string | undefined> = process.env, out: Out = writeStdout): void {
  const file = env.GITHUB_OUTPUT || ''
  if (!file) {
    out(EOL)
    issueCommand('set-output', { name }, value, out)
    return
  }
  const delimiter = heredocDelimiter(name, value)
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' })
}

/**
 * A heredoc delimiter found in neither the name nor the value, so neither can end the heredoc early
 * (what @actions/core's random UUID is for; it throws when the value holds it). Checking is what
 * makes it safe, so the candidate needs no cryptographic randomness.
 */
export function heredocDelimiter(name: string, value: string): string {
  for (;;) {
    const delimiter = `ghadelimiter_${Math.random().toString(16).slice(2, 14)}${Math.random().toString(16).slice(2, 14)}`
    if (!name.includes(delimiter) && !value.includes(delimiter)) return delimiter
  }
}

/** `core.summary.addRaw(markdown, true).write()`: appended with a line break; nothing without the file. */
export async function appendSummary(markdown: string, env: Record<string, string | undefined> = process.env): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY
  if (!file) return
  await appendFile(file, markdown + EOL, { encoding: 'utf8' })
}
