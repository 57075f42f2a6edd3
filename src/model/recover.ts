import type { z } from 'zod'
import type { Problem } from './problems.js'
import type { Path } from './space.js'

/**
 * Schema problems and rule problems in one run. When a file fails its schema, the schema problems
 * are reported as they are; then a copy of the value is repaired just enough to pass (an unknown
 * key dropped, a missing value or one of the wrong type replaced by an empty one of the right
 * type, a number outside its range clamped, anything else left out) so the rules can run on everything else. What was repaired
 * is `touched`: a rule problem at, under or above a touched place may be an artefact of the repair
 * and is not reported (`notTouched`). Array items are never removed (that would shift the
 * positions every later item is reported at); a list that is too long loses only its tail.
 */
export interface Recovered<T> {
  /** the repaired value as the schema parses it; undefined when it could not be repaired */
  data?: T
  /** places (in the value given) whose content was changed or left out */
  touched: Path[]
  /** mappings an unknown key was dropped from (a rule about the mapping itself may be an artefact: "no expectation") */
  keysDropped: Path[]
}

const MAX_ROUNDS = 12

type Container = Record<string | number, unknown>

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null
}

function parentOf(root: Container, path: Path): Container | undefined {
  let v: unknown = root
  for (const seg of path.slice(0, -1)) v = isContainer(v) ? v[seg] : undefined
  return isContainer(v) ? v : undefined
}

function placeholder(expected: string): unknown {
  switch (expected) {
    case 'string':
      return ''
    case 'number':
    case 'int':
      return 0
    case 'boolean':
      return false
    case 'array':
      return []
    case 'object':
    case 'record':
      return {}
    case 'null':
      return null
    default:
      return undefined
  }
}

/** Repair the place of one issue; false when it cannot be repaired (the root, an unknown shape). */
function repair(root: { value: unknown }, issue: z.core.$ZodIssue, prefix: Path, out: Omit<Recovered<unknown>, 'data'>): boolean {
  const { touched } = out
  const path = [...prefix, ...(issue.path as Path)]
  const container = { v: root.value } as Container
  const full: Path = ['v', ...path]
  const parent = parentOf(container, full)
  const last = full[full.length - 1] as string | number
  if (issue.code === 'unrecognized_keys') {
    const target = isContainer(parent?.[last]) ? (parent?.[last] as Container) : undefined
    for (const key of issue.keys) if (target) delete target[key]
    out.keysDropped.push(path)
    return !!target
  }
  if (!parent || !path.length) return false
  const set = (v: unknown) => {
    parent[last] = v
    touched.push(path)
  }
  const actual = parent[last]
  if (issue.code === 'invalid_union') {
    // repair the branch whose shape matches what was written, as describeIssues reports it
    const branch = issue.errors.find((errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0))
    if (branch?.length && isContainer(actual)) return branch.every((e) => repair(root, e, path, out))
  }
  if (issue.code === 'invalid_value' && actual === undefined && typeof issue.values[0] !== 'symbol') {
    set(issue.values[0])
    return true
  }
  if (issue.code === 'invalid_type') {
    // missing, or of the wrong type: an empty value of the right type keeps the shape (`dev:` with
    // nothing under it stays an environment)
    const p = placeholder(issue.expected)
    if (p !== undefined || issue.expected === 'null') {
      set(p)
      return true
    }
    if (actual === undefined) return false
  }
  if ((issue.code === 'too_big' || issue.code === 'too_small') && typeof actual === 'number') {
    const bound = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum)
    if (Number.isFinite(bound)) {
      set(bound)
      return true
    }
  }
  if (issue.code === 'too_big' && (Array.isArray(actual) || typeof actual === 'string')) {
    set(actual.slice(0, Number(issue.maximum)))
    return true
  }
  if (typeof last === 'number' || Array.isArray(parent)) {
    // an item of a list: replaced by an empty one of the same type, never removed
    const p = typeof actual === 'string' ? '' : undefined
    if (p === undefined) return false
    set(p)
    return true
  }
  // a key of a mapping: left out (if it is required, the next round puts an empty value there)
  delete parent[last]
  touched.push(path)
  return true
}

/** A schema of zod's chained API or of zod/mini: both parse alike. */
interface Parses {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: z.core.$ZodIssue[] } }
}

/**
 * The value repaired until `schema` accepts it (see above), starting from the issues of its failed
 * parse. The value given is not changed.
 */
export function recoverParse<S extends z.core.$ZodType & Parses>(schema: S, value: unknown, issues: readonly z.core.$ZodIssue[]): Recovered<z.output<S>> {
  const root = { value: structuredClone(value) }
  const out: Omit<Recovered<unknown>, 'data'> = { touched: [], keysDropped: [] }
  let current = issues
  for (let round = 0; round < MAX_ROUNDS; round++) {
    for (const issue of current) if (!repair(root, issue, [], out)) return out
    const r = schema.safeParse(root.value)
    if (r.success) return { data: r.data as z.output<S>, ...out }
    current = r.error.issues
  }
  return out
}

/**
 * A filter for rule problems found on a repaired value: false for a problem at, under or above a
 * touched place, or at a mapping an unknown key was dropped from (`path` is dotted, as
 * Problem.path is). Places are paths in the file.
 */
export function notTouched(repaired: Pick<Recovered<unknown>, 'touched' | 'keysDropped'>): (p: Problem) => boolean {
  const places = repaired.touched.map((t) => t.join('.'))
  const parents = new Set(repaired.keysDropped.map((t) => t.join('.')))
  const related = (a: string, b: string) => a === b || a === '' || b === '' || a.startsWith(`${b}.`) || b.startsWith(`${a}.`)
  return (p) => !parents.has(p.path ?? '') && !places.some((t) => related(p.path ?? '', t))
}
