import { BENCHMARK_HELP, BENCHMARK_USAGE, benchmarkCommand, planOutputs } from '../../src/cli/commands/benchmark.js'
import { benchmarkMode } from '../../src/action/benchmark.js'
import { readInputs } from '../../src/action/inputs.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { SpaceOpsError } from '../../src/util/errors.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { ROOT } from '../helpers/cli.js'
import type { CliIo } from '../../src/cli/io.js'

function io(): CliIo & { outText: () => string; errText: () => string } {
  let out = ''
  let err = ''
  return {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: {},
    cwd: ROOT,
    isTTY: false,
    secrets: new SecretRegistry(),
    outText: () => out,
    errText: () => err
  }
}

async function usage(argv: string[]): Promise<string> {
  try {
    await benchmarkCommand(argv, io())
  } catch (err) {
    expect(err).toBeInstanceOf(SpaceOpsError)
    expect((err as SpaceOpsError).exitCode).toBe(2)
    return (err as Error).message
  }
  throw new Error('expected a usage error')
}

describe('spaceops benchmark: arguments', () => {
  test('--help', async () => {
    const x = io()
    expect(await benchmarkCommand(['--help'], x)).toBe(0)
    expect(x.outText()).toBe(BENCHMARK_HELP)
    expect(BENCHMARK_HELP).toContain(BENCHMARK_USAGE)
    expect(BENCHMARK_HELP).toMatch(/--questions-per-minute N +pace of the questions asked \(default 5/)
  })

  test('bad usage is exit 2, one line, before any call', async () => {
    expect(await usage(['space-only'])).toMatch(/^benchmark takes a space id and at least one suite; usage: spaceops benchmark/)
    expect(await usage(['s', 'b.yaml', '--strategy', 'fast'])).toMatch(/^--strategy must be auto, eval or conversation, not fast/)
    expect(await usage(['s', 'b.yaml', '--format', 'html'])).toMatch(/^--format must be markdown, json or junit, not html/)
    expect(await usage(['s', 'b.yaml', '-o', 'report.txt'])).toMatch(/^cannot tell the format of report\.txt/)
    expect(await usage(['s', 'b.yaml', '--min-accuracy', '1.5'])).toBe('--min-accuracy must be a fraction between 0 and 1 (or a percentage), not "1.5"')
    expect(await usage(['s', 'b.yaml', '--questions-per-minute', '0'])).toBe('--questions-per-minute must be a positive number, not "0"')
    expect(await usage(['s', 'b.yaml', '--bogus'])).toMatch(/unknown option --bogus/)
    expect(await usage(['s', 'b.yaml', '--repeat', '2.5'])).toBe('--repeat must be a positive whole number, not "2.5"')
    expect(await usage(['s', 'b.yaml', '--regression-p', '1'])).toBe('--regression-p must be a p-value between 0 and 1 (e.g. 0.05), not "1"')
    expect(await usage(['s', 'b.yaml', '--gate-on', 'upper'])).toMatch(/^--gate-on must be point or lower-bound, not upper/)
    expect(await usage(['s', 'b.yaml', '--keep-conversations', 'some'])).toMatch(/^--keep-conversations must be all, failed or none, not some/)
  })

  test('outputs: format from the extension, or paired with --format in order', () => {
    expect(planOutputs(['a.md', 'b.json', 'c.xml'], [])).toEqual([
      { file: 'a.md', format: 'markdown' },
      { file: 'b.json', format: 'json' },
      { file: 'c.xml', format: 'junit' }
    ])
    expect(planOutputs(['report.txt'], ['junit'])).toEqual([{ file: 'report.txt', format: 'junit' }])
    expect(planOutputs(['a.txt', 'b.out'], ['json', 'markdown'])).toEqual([
      { file: 'a.txt', format: 'json' },
      { file: 'b.out', format: 'markdown' }
    ])
    expect(planOutputs(['a.json', 'b.out'], ['junit'])).toEqual([
      { file: 'a.json', format: 'json' },
      { file: 'b.out', format: 'junit' }
    ])
    expect(() => planOutputs(['a.json'], ['json', 'junit'])).toThrow(/one --format per --output/)
  })
})

describe('mode: benchmark inputs', () => {
  test('space-id and benchmark are required; bad extra inputs are one line', async () => {
    const SPACE = '0123456789abcdef0123456789abcdef'
    const run = async (inputs: Record<string, string>) => {
      const rt = new FakeRuntime({ mode: 'benchmark', ...inputs }, ROOT)
      const secrets = new SecretRegistry()
      return Promise.resolve()
        .then(() => benchmarkMode(rt, readInputs(rt, secrets), secrets))
        .then(
          () => 'ok',
          (err: Error) => err.message
        )
    }
    expect(await run({ benchmark: 'x.yaml' })).toBe(
      'mode benchmark needs input space-id (the space to measure), or target-env to measure the space of definition in that environment of the promotion config'
    )
    expect(await run({ 'space-id': SPACE })).toMatch(/^mode benchmark needs input benchmark/)
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', 'benchmark-strategy': 'x' })).toBe(
      'input benchmark-strategy must be auto, eval or conversation, not "x"'
    )
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', 'questions-per-minute': '-1' })).toBe(
      'input questions-per-minute must be a positive number, not "-1"'
    )
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', concurrency: '2.5' })).toBe('input concurrency must be a positive whole number, not "2.5"')
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', 'report-format': 'json, html' })).toBe(
      'input report-format must list markdown, json or junit, not "html"'
    )
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', repeat: '0' })).toBe('input repeat must be a positive whole number, not "0"')
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', 'regression-p': '5%' })).toBe(
      'input regression-p must be a p-value between 0 and 1 (e.g. 0.05), not "5%"'
    )
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', 'gate-on': 'median' })).toBe('input gate-on must be point or lower-bound, not "median"')
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', 'keep-conversations': 'most' })).toBe(
      'input keep-conversations must be all, failed or none, not "most"'
    )
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', 'report-format': 'json' })).toBe(
      'input report-format goes with input reports (the files to write)'
    )
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', reports: 'r.txt' })).toBe(
      'cannot tell the format of r.txt: name it .md, .json or .xml, or pass input report-format'
    )
    expect(await run({ 'space-id': SPACE, benchmark: 'x.yaml', reports: 'a.md, b.json', 'report-format': 'json, junit, markdown' })).toBe(
      'give one input report-format per input reports, or one input report-format for all'
    )
  })
})
