/**
 * How close `spaceops benchmark` (conversation strategy) comes to the fastest the question rate
 * limit allows (npm run bench:benchmark). Real time, real HTTP:
 * 1. starts the Genie emulator in-process with a question limit of Q per rolling minute and
 *    Genie-like answer latency (base L ms + up to J ms seeded jitter per message);
 * 2. creates a space with N answerable questions (one example SQL each) and a suite asking them,
 *    each with expected_sql (so every answer is also run on the warehouse and compared);
 * 3. runs the benchmark at Q questions per minute and prints achieved vs ideal time.
 *
 * Ideal = the lower bound the rate limit sets: with at most Q questions in any rolling minute the
 * N-th question cannot be asked before ⌊(N−1)/Q⌋ minutes, nor answered before the fastest answer
 * (L). Also printed: the bound for evenly spaced questions ((N−1)·60/Q s + L) and what one question
 * at a time would take (about N × answer time).
 *
 * Options: --questions N (50) --rate Q (30) --latency L (8000) --jitter J (4000).
 */
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { GenieClient, PatAuth } from '../src/client/index.js'
import { runBenchmarks } from '../src/benchmark/runner.js'
import type { BenchmarkQuestion, Progress } from '../src/benchmark/types.js'
import { startEmulator } from '../src/emulator/index.js'
import { SecretRegistry } from '../src/util/secrets.js'

const { values } = parseArgs({
  options: {
    questions: { type: 'string', default: '50' },
    rate: { type: 'string', default: '30' },
    latency: { type: 'string', default: '8000' },
    jitter: { type: 'string', default: '4000' }
  }
})
const N = Number(values.questions)
const Q = Number(values.rate)
const L = Number(values.latency)
const J = Number(values.jitter)

const emu = await startEmulator({
  port: 0,
  seed: 11,
  questionsPerMinute: Q,
  faults: { genieLatencyMs: L, genieLatencyJitterMs: J, statementLatencyMs: 200 }
})
try {
  const secrets = new SecretRegistry()
  const client = new GenieClient({ host: emu.url, auth: new PatAuth('dapi-bench-benchmark-0001', secrets), secrets })
  const hex = (n: number) => n.toString(16).padStart(32, '0')
  const sql = (i: number) => `SELECT COUNT(*) AS orders FROM shop_dev.sales.orders WHERE customer_id = ${i + 1}`
  const text = (i: number) => `How many orders did customer ${i + 1} place?`
  const document = {
    version: 2,
    data_sources: { tables: [{ identifier: 'shop_dev.sales.orders' }] },
    instructions: { example_question_sqls: Array.from({ length: N }, (_, i) => ({ id: hex(i + 1), question: [text(i)], sql: [sql(i)] })) }
  }
  const space = await client.createSpace({ warehouse_id: 'wh-bench', title: 'Benchmark bench', serialized_space: JSON.stringify(document) })
  const questions: BenchmarkQuestion[] = Array.from({ length: N }, (_, i) => ({
    question: text(i),
    expectedTables: ['shop_dev.sales.orders'],
    expectedColumns: [],
    expectedContains: [],
    expectedSql: sql(i).replace('AS orders', 'AS n'),
    tags: [],
    repeat: 1,
    minPasses: 1,
    timeoutMs: 600_000
  }))

  let last: Progress | undefined
  const t0 = performance.now()
  const report = await runBenchmarks({
    client,
    spaceId: space.space_id,
    suites: [{ name: 'bench', questions }],
    strategy: 'conversation',
    questionsPerMinute: Q,
    onProgress: (p) => {
      last = p
      if (p.done % 10 === 0 || p.done === p.total) {
        process.stdout.write(
          `  [${p.done}/${p.total}] ${((performance.now() - t0) / 1000).toFixed(1)} s${p.etaMs !== undefined ? `, ETA ${(p.etaMs / 1000).toFixed(0)} s` : ''}\n`
        )
      }
    }
  })
  const achieved = (performance.now() - t0) / 1000
  const windowBound = Math.floor((N - 1) / Q) * 60 + L / 1000
  const evenBound = ((N - 1) * 60) / Q + L / 1000
  const attempts = report.suites[0]?.questions.flatMap((q) => q.attempts) ?? []
  const latencies = attempts.map((a) => a.duration_ms / 1000).sort((a, b) => a - b)
  const meanAnswer = latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length)
  const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { method: string; path: string; status: number }[]
  const asks = log.filter((r) => r.method === 'POST' && r.path.endsWith('/start-conversation'))

  console.log(`node ${process.version}`)
  console.log(`${N} questions, limit ${Q} per rolling minute, answer latency ${L} ms + up to ${J} ms jitter (emulator, real time, real HTTP)`)
  console.log(`  achieved:            ${achieved.toFixed(1)} s  (${report.totals.passed}/${report.totals.questions} passed, ${report.totals.errors} errors)`)
  console.log(`  ideal (lower bound): ${windowBound.toFixed(1)} s  (question ${N} asked at ${Math.floor((N - 1) / Q)} min + fastest answer ${L / 1000} s)`)
  console.log(`  over ideal:          ${(((achieved - windowBound) / windowBound) * 100).toFixed(1)} %`)
  console.log(
    `  evenly spaced bound: ${evenBound.toFixed(1)} s;  one at a time: ~${(N * meanAnswer).toFixed(0)} s (${N} × mean answer ${meanAnswer.toFixed(1)} s incl. polling and scoring)`
  )
  console.log(
    `  asking POSTs: ${asks.length} (${asks.filter((r) => r.status === 200).length} accepted, ${asks.filter((r) => r.status === 429).length} refused with 429); rate-limit waits in the report: ${report.totals.rate_limited}`
  )
  const lost = attempts.filter((a) => a.status === 'error').length
  console.log(
    `  questions lost to a 429: ${
      lost === 0 && attempts.length === N
        ? 'none'
        : `${lost} (errors: ${attempts
            .filter((a) => a.error)
            .map((a) => a.error)
            .join('; ')})`
    }`
  )
  console.log(
    `  answer + scoring time per question: median ${(latencies[Math.floor(latencies.length / 2)] ?? 0).toFixed(1)} s, max ${(latencies[latencies.length - 1] ?? 0).toFixed(1)} s`
  )
  if (last && last.done !== N) console.log(`  (progress stopped at ${last.done}/${N})`)
} finally {
  await emu.close()
}
