/**
 * The emulator's "Genie": a deterministic answer engine that knows only what the space itself
 * holds, so a better space answers more questions.
 *
 * Rules (in order):
 *   1. The question and every `instructions.example_question_sqls[].question` are normalised:
 *      lower case; possessive 's and apostrophes dropped; everything else but letters and digits
 *      becomes a space; STOP_WORDS are dropped;
 *      a light plural stem is applied ("categories" → "category", "orders" → "order"; not to words
 *      ending in ss/us/is or of 3 letters or fewer).
 *   2. Exact match: the first example (in document order, i.e. by id) whose normalised token list
 *      equals the question's.
 *   3. Otherwise the example with the highest Jaccard similarity of the token SETS, if it is at
 *      least the threshold (default 0.5); ties → the first in document order.
 *   4. The answer is that example's SQL with every `:name` marker replaced by the default value of
 *      the parameter of that name, as a literal per its `type_hint` (literalForType in
 *      sql/translate.ts: numbers/booleans bare, DATE '…', TIMESTAMP '…', other types quoted;
 *      several default values → a comma-separated list).
 *   5. No example reaches the threshold → a clarifying question (text attachment, purpose
 *      FOLLOW_UP_QUESTION, no SQL). So does a matched example whose SQL uses a parameter that has
 *      no default value (Genie would have to ask for it).
 *
 * Never used as knowledge: `benchmarks` (real Genie does not see the benchmark answers), text
 * instructions, snippets, joins (an LLM would use them; this engine does not pretend to).
 * Each question is answered on its own: follow-up messages get no conversation context.
 */
import { isPlainObject } from '../http.js'
import { bindParameters, literalForType, parameterNames } from '../sql/translate.js'

export const DEFAULT_MATCH_THRESHOLD = 0.5

export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'the',
  'of',
  'in',
  'on',
  'at',
  'for',
  'to',
  'from',
  'by',
  'with',
  'and',
  'or',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'being',
  'do',
  'does',
  'did',
  'what',
  'which',
  'who',
  'whom',
  'whose',
  'how',
  'me',
  'my',
  'our',
  'we',
  'us',
  'i',
  'you',
  'your',
  'show',
  'give',
  'tell',
  'list',
  'please',
  'can',
  'could',
  'would',
  'should',
  'there',
  'it',
  'its',
  'as',
  'about',
  'into',
  'have',
  'has',
  'had',
  'get',
  'find',
  'let',
  'see'
])

export interface ExampleParameter {
  name: string
  type_hint?: string
  /** `default_value.values`; absent = no default. */
  defaults?: string[]
}

export interface ExampleSql {
  id: string
  question: string
  sql: string
  parameters: ExampleParameter[]
}

export interface SpaceKnowledge {
  examples: ExampleSql[]
  sampleQuestions: string[]
  /** data_sources tables and metric views (identifiers), for the "data sourcing" thought. */
  tables: string[]
}

export type Answer =
  | { kind: 'query'; sql: string; example: ExampleSql; score: number }
  | { kind: 'text'; content: string; reason: 'no-match' | 'missing-parameter' }

function text(v: unknown): string {
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').join('')
  return ''
}

function list(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : []
}

/** What the answer engine may use from a stored serialized_space document. */
export function knowledgeFromDocument(doc: Record<string, unknown>): SpaceKnowledge {
  const instructions = isPlainObject(doc['instructions']) ? doc['instructions'] : {}
  const examples = list(instructions['example_question_sqls']).map((e) => ({
    id: typeof e['id'] === 'string' ? e['id'] : '',
    question: text(e['question']),
    sql: text(e['sql']),
    parameters: list(e['parameters']).map((p) => {
      const out: ExampleParameter = { name: typeof p['name'] === 'string' ? p['name'] : '' }
      if (typeof p['type_hint'] === 'string') out.type_hint = p['type_hint']
      const dv = p['default_value']
      if (isPlainObject(dv) && Array.isArray(dv['values'])) out.defaults = dv['values'].filter((x): x is string => typeof x === 'string')
      return out
    })
  }))
  const config = isPlainObject(doc['config']) ? doc['config'] : {}
  const sources = isPlainObject(doc['data_sources']) ? doc['data_sources'] : {}
  const tables = [...list(sources['tables']), ...list(sources['metric_views'])].map((t) => t['identifier']).filter((x): x is string => typeof x === 'string')
  return { examples, sampleQuestions: list(config['sample_questions']).map((q) => text(q['question'])), tables }
}

function stem(word: string): string {
  if (word.length <= 3 || /(ss|us|is)$/.test(word)) return word
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`
  if (word.endsWith('s')) return word.slice(0, -1)
  return word
}

/** Normalised tokens of a question (rule 1). */
export function normaliseQuestion(question: string): string[] {
  return question
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w !== '' && !STOP_WORDS.has(w))
    .map(stem)
}

export function jaccard(a: readonly string[], b: readonly string[]): number {
  const x = new Set(a)
  const y = new Set(b)
  if (x.size === 0 && y.size === 0) return 0
  let both = 0
  for (const w of x) if (y.has(w)) both++
  return both / (x.size + y.size - both)
}

/** The best example for a question (rules 2 and 3), or undefined. */
export function matchExample(
  knowledge: SpaceKnowledge,
  question: string,
  threshold = DEFAULT_MATCH_THRESHOLD
): { example: ExampleSql; score: number } | undefined {
  const q = normaliseQuestion(question)
  const exact = knowledge.examples.find((e) => {
    const n = normaliseQuestion(e.question)
    return n.length === q.length && n.every((w, i) => w === q[i])
  })
  if (exact) return { example: exact, score: 1 }
  let best: { example: ExampleSql; score: number } | undefined
  for (const example of knowledge.examples) {
    const score = jaccard(q, normaliseQuestion(example.question))
    if (score >= threshold && (!best || score > best.score)) best = { example, score }
  }
  return best
}

/** The example's SQL with parameter defaults substituted (rule 4); undefined names the missing parameter. */
export function substituteDefaults(example: ExampleSql): { sql: string } | { missing: string } {
  const byName = new Map(example.parameters.map((p) => [p.name, p]))
  for (const name of parameterNames(example.sql)) {
    const p = byName.get(name)
    if (!p?.defaults || p.defaults.length === 0) return { missing: name }
  }
  const sql = bindParameters(example.sql, (name) => {
    const p = byName.get(name) as ExampleParameter
    return (p.defaults ?? []).map((v) => literalForType(v, p.type_hint)).join(', ')
  })
  return { sql }
}

/** Answer one question from the space's own content. */
export function answerQuestion(knowledge: SpaceKnowledge, question: string, threshold = DEFAULT_MATCH_THRESHOLD): Answer {
  const match = matchExample(knowledge, question, threshold)
  if (!match) {
    const hints = knowledge.sampleQuestions.slice(0, 3)
    return {
      kind: 'text',
      reason: 'no-match',
      content:
        `I'm not sure what you mean by "${question.trim()}". Could you clarify which data or measure you are asking about?` +
        (hints.length > 0 ? ` For example: ${hints.map((h) => `"${h}"`).join(', ')}.` : '')
    }
  }
  const substituted = substituteDefaults(match.example)
  if ('missing' in substituted) {
    return {
      kind: 'text',
      reason: 'missing-parameter',
      content: `To answer this I need a value for "${substituted.missing}". Which ${substituted.missing} do you mean?`
    }
  }
  return { kind: 'query', sql: substituted.sql, example: match.example, score: match.score }
}

/**
 * `--answer-noise p`: like a real model on a bad day, a seeded share `p` of answers is not the best
 * one. Of those, half (by a second draw) take the next-best example — the example with the
 * second-highest overlap, whatever the threshold, so the SQL is plausible but answers another
 * question — and the rest ask a clarifying question instead. With no second example the answer is
 * a clarifying question. `draw` is the store's seeded generator (one or two draws per answer, only
 * when p > 0, so a run without noise is unchanged).
 */
export function answerWithNoise(knowledge: SpaceKnowledge, question: string, threshold: number, noise: number, draw: () => number): Answer {
  const best = answerQuestion(knowledge, question, threshold)
  if (!(noise > 0) || draw() >= noise) return best
  if (draw() < 0.5 && best.kind === 'query') {
    const q = normaliseQuestion(question)
    const ranked = knowledge.examples
      .filter((e) => e !== best.example)
      .map((example) => ({ example, score: jaccard(q, normaliseQuestion(example.question)) }))
      .sort((a, b) => b.score - a.score)
    const next = ranked[0]
    if (next) {
      const substituted = substituteDefaults(next.example)
      if ('sql' in substituted) return { kind: 'query', sql: substituted.sql, example: next.example, score: next.score }
    }
  }
  return {
    kind: 'text',
    reason: 'no-match',
    content: `Before I answer "${question.trim()}": which time range and which measure do you mean?`
  }
}
