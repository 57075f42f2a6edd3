import { spawn } from 'node:child_process'
import path from 'node:path'
import { ROOT } from './cli.js'

export interface ProcessResult {
  code: number | null
  out: string
  err: string
}

/** Run a node script asynchronously (the emulator under test lives in this same process). */
export function runNode(script: string, args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [script, ...args], { ...options, input: options.input ?? '' })
}

/** Run any program asynchronously, with only PATH and `env` in its environment; stdin is `input`, else none. */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {}
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    let out = ''
    let err = ''
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out, err }))
    if (options.input !== undefined) child.stdin?.end(options.input)
  })
}

export const spaceops = (args: string[], options: Parameters<typeof runNode>[2] = {}) => runNode(path.join(ROOT, 'bin/spaceops.js'), args, options)

/** Run the built action with inputs as a runner passes them; returns outputs parsed from $GITHUB_OUTPUT. */
export async function runAction(inputs: Record<string, string>, options: { cwd: string; env?: Record<string, string> }) {
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-runner-'))
  const output = path.join(dir, 'output')
  const summary = path.join(dir, 'summary')
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const env: Record<string, string> = { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...options.env }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  const r = await runNode(path.join(ROOT, 'dist/index.cjs'), [], { cwd: options.cwd, env })
  const outputs: Record<string, string> = {}
  for (const m of readFileSync(output, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1] as string] = m[3] as string
  return { ...r, outputs, summary: readFileSync(summary, 'utf8'), outputFile: readFileSync(output, 'utf8') }
}
