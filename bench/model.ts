/**
 * Validate + render speed of the space model (npm run bench:model).
 * 1. a maximum-size space: 30 tables × 100 columns, 100 instruction paragraphs (merged into the
 *    one text instruction Genie keeps), then as many instruction items as the API's limit of 100
 *    allows — 79 example queries, 10 joins, 10 measures — and 50 benchmark questions; parsed from
 *    YAML, validated, rendered to the API payload;
 * 2. 1,000 generated spaces of ordinary size, each the same way.
 * Prints milliseconds per space (median of runs for the large one) and the heap used.
 */
import { performance } from 'node:perf_hooks'
import { loadDefinitionText } from '../src/model/load.js'
import { validateDefinition } from '../src/validate/rules.js'
import { renderPayload } from '../src/model/convert.js'
import { dumpYaml } from '../src/model/source.js'
import { DEFAULT_LIMITS } from '../src/validate/limits.js'

function maxSpace(seed: number): string {
  const tables = Array.from({ length: 30 }, (_, t) => ({
    identifier: `bench_catalog.schema_${seed}.table_${t}`,
    description: `Table ${t} of space ${seed}.\nLoaded nightly.`,
    column_configs: Array.from({ length: 100 }, (_, c) => ({
      column_name: `column_${c}`,
      description: `Column ${c}`,
      synonyms: [`col ${c}`, `field ${c}`],
      enable_format_assistance: c % 2 === 0,
      enable_entity_matching: c === 0 || (t < 3 && c < 30)
    }))
  }))
  return dumpYaml({
    title: `Benchmark space ${seed}`,
    warehouse_id: 'wh-bench',
    data_sources: { tables },
    instructions: Array.from({ length: 100 }, (_, i) => ({
      content: `Rule ${i}: always filter table_${i % 30} by its date column.`,
      category: `Group ${i % 5}`
    })),
    example_queries: Array.from({ length: 79 }, (_, i) => ({
      question: `Question ${i} for space ${seed}?`,
      sql: `SELECT column_1, SUM(column_2) AS total\nFROM bench_catalog.schema_${seed}.table_${i % 30}\nWHERE column_3 = :p${i}\nGROUP BY column_1`,
      parameters: [{ name: `p${i}`, type_hint: 'STRING', default_value: 'x' }]
    })),
    joins: Array.from({ length: 10 }, (_, i) => ({
      left: { identifier: `bench_catalog.schema_${seed}.table_${i}`, alias: `t${i}` },
      right: { identifier: `bench_catalog.schema_${seed}.table_${i + 1}`, alias: `t${i + 1}` },
      condition: `t${i}.column_0 = t${i + 1}.column_0`,
      relationship_type: 'many_to_one'
    })),
    measures: Array.from({ length: 10 }, (_, i) => ({ alias: `m${i}`, sql: `SUM(t${i}.column_${i})` })),
    sample_questions: Array.from({ length: 20 }, (_, i) => `Sample question ${i}?`),
    benchmarks: Array.from({ length: 50 }, (_, i) => ({
      question: `Benchmark ${i}?`,
      sql: `SELECT COUNT(*) FROM bench_catalog.schema_${seed}.table_${i % 30}`
    }))
  })
}

function smallSpace(seed: number): string {
  return dumpYaml({
    title: `Space ${seed}`,
    warehouse_id: 'wh',
    data_sources: {
      tables: Array.from({ length: 5 }, (_, t) => ({
        identifier: `c.s${seed}.t${t}`,
        column_configs: Array.from({ length: 10 }, (_, c) => ({ column_name: `col${c}`, enable_entity_matching: c < 2 }))
      }))
    },
    instructions: [{ content: `Space ${seed} rules.\nUse net amounts.` }],
    example_queries: Array.from({ length: 5 }, (_, i) => ({ question: `Q${i} of ${seed}?`, sql: `SELECT * FROM c.s${seed}.t${i}` })),
    sample_questions: [`How many rows in ${seed}?`],
    benchmarks: Array.from({ length: 5 }, (_, i) => ({ question: `B${i} of ${seed}?`, sql: `SELECT ${i}` }))
  })
}

function process(file: string, text: string): number {
  const loaded = loadDefinitionText(file, text)
  if (!loaded.definition) throw new Error(`${file}: ${loaded.problems[0]?.message}`)
  const problems = validateDefinition(loaded.definition, DEFAULT_LIMITS).filter((p) => p.severity === 'error')
  if (problems.length) throw new Error(`${file}: ${problems[0]?.message}`)
  return JSON.stringify({ ...renderPayload(loaded.definition.space), serialized_space: JSON.stringify(loaded.definition.space.document) }).length
}

const big = maxSpace(1)
process('warmup.yaml', big)
const runs: number[] = []
let payloadBytes = 0
for (let i = 0; i < 15; i++) {
  const t0 = performance.now()
  payloadBytes = process('max.yaml', big)
  runs.push(performance.now() - t0)
}
runs.sort((a, b) => a - b)
const median = runs[Math.floor(runs.length / 2)] ?? 0

const texts = Array.from({ length: 1000 }, (_, i) => smallSpace(i))
const t1 = performance.now()
for (let i = 0; i < texts.length; i++) process(`s${i}.yaml`, texts[i] as string)
const total = performance.now() - t1

const mb = (n: number) => (n / 1024 / 1024).toFixed(1)
console.log(`node ${globalThis.process.version}`)
console.log(
  `maximum-size space (30 tables x 100 columns, 100 instruction paragraphs, 79 examples, 10 joins, 10 measures, 50 benchmarks; YAML ${mb(big.length)} MiB, payload ${mb(payloadBytes)} MiB):`
)
console.log(
  `  validate + render: median ${median.toFixed(1)} ms, min ${runs[0]?.toFixed(1)} ms, max ${runs[runs.length - 1]?.toFixed(1)} ms over ${runs.length} runs`
)
console.log(`1,000 generated spaces (5 tables x 10 columns each):`)
console.log(`  validate + render: ${total.toFixed(0)} ms in all, ${(total / texts.length).toFixed(2)} ms per space`)
console.log(`heap used at the end: ${mb(globalThis.process.memoryUsage().heapUsed)} MiB`)
