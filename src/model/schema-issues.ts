import type { z } from 'zod'
import { suggest } from './didyoumean.js'
import type { Path } from './space.js'

/**
 * Turns zod issues into one-line, human messages: "unknown key "titel" in the space (did you mean
 * "title"?)", "data_sources.tables[0].identifier: expected text, got a number". Allowed keys for
 * the hint are looked up in the JSON Schema generated from the same zod schema.
 */
const TEXT_KEYS = new Set(['description', 'content', 'question', 'sql', 'usage_guidance', 'instruction', 'comment', 'condition', 'expected_sql'])

export interface SchemaIssue {
  path: Path
  message: string
  /** true when the issue is about a key (point at the key, not its value) */
  atKey: boolean
  rule: string
}

type JsonSchema = {
  properties?: Record<string, JsonSchema>
  additionalProperties?: JsonSchema | boolean
  items?: JsonSchema
  anyOf?: JsonSchema[]
  type?: string | string[]
}

function keysAt(schema: JsonSchema, path: Path, value: unknown): string[] {
  let nodes: JsonSchema[] = [schema]
  let v: unknown = value
  for (const seg of path) {
    const next: JsonSchema[] = []
    for (const n of expand(nodes)) {
      if (typeof seg === 'number' && n.items) next.push(n.items)
      if (typeof seg === 'string' && n.properties?.[seg]) next.push(n.properties[seg])
      // a record (e.g. environments.<name>): any key leads to its value schema
      else if (typeof seg === 'string' && n.additionalProperties && typeof n.additionalProperties === 'object') next.push(n.additionalProperties)
    }
    nodes = next
    v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined
  }
  const keys = new Set<string>()
  for (const n of expand(nodes)) for (const k of Object.keys(n.properties ?? {})) keys.add(k)
  return [...keys]
}

function expand(nodes: JsonSchema[]): JsonSchema[] {
  return nodes.flatMap((n) => (n.anyOf ? expand(n.anyOf) : [n]))
}

function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  if (typeof v === 'string') return 'text'
  if (typeof v === 'number') return 'a number'
  if (typeof v === 'boolean') return 'true/false'
  return typeof v
}

const expectedName: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'null'
}

export function pathLabel(path: Path, rootLabel: string): string {
  if (!path.length) return rootLabel
  let out = ''
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`
  return out
}

function get(value: unknown, path: Path): unknown {
  let v = value
  for (const seg of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined
  return v
}

function rangeMessage(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall, actual: unknown): string {
  const big = issue.code === 'too_big'
  const bound = Number(big ? issue.maximum : issue.minimum)
  const exclusive = issue.inclusive === false
  const limit = `${big ? (exclusive ? 'below' : 'at most') : exclusive ? 'above' : 'at least'} ${bound}`
  if (issue.origin === 'array' || issue.origin === 'set') return `has ${Array.isArray(actual) ? actual.length : 'too many'} item(s); it must have ${limit}`
  if (issue.origin === 'string') return `is ${typeof actual === 'string' ? actual.length : '?'} characters long; it must be ${limit}`
  return `${JSON.stringify(actual)} is ${big ? 'too big' : 'too small'}: it must be ${limit}`
}

export function describeIssues(issues: readonly z.core.$ZodIssue[], value: unknown, jsonSchema: object, rootLabel: string, textHint = false): SchemaIssue[] {
  const out: SchemaIssue[] = []
  const visit = (issue: z.core.$ZodIssue, prefix: Path) => {
    const path = [...prefix, ...(issue.path as Path)]
    const label = pathLabel(path, rootLabel)
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = keysAt(jsonSchema as JsonSchema, path, value)
        for (const key of issue.keys) {
          const s = suggest(key, allowed)
          out.push({
            path: [...path, key],
            atKey: true,
            rule: 'unknown-key',
            message: `unknown key "${key}" in ${label}${s ? ` (did you mean "${s}"?)` : allowed.length ? `; expected one of: ${allowed.join(', ')}` : ''}`
          })
        }
        return
      }
      case 'invalid_type': {
        const actual = get(value, path)
        if (actual === undefined) {
          out.push({
            path,
            atKey: true,
            rule: 'required',
            message: `${pathLabel(path.slice(0, -1), rootLabel)}: missing required key "${String(path[path.length - 1])}"`
          })
          return
        }
        const expected = expectedName[issue.expected] ?? issue.expected
        const hint =
          textHint && issue.expected === 'string' && Array.isArray(actual) && TEXT_KEYS.has(String(path[path.length - 1]))
            ? ' (write text as one YAML string; use | for several lines)'
            : ''
        out.push({ path, atKey: false, rule: 'type', message: `${label}: expected ${expected}, got ${typeName(actual)}${hint}` })
        return
      }
      case 'invalid_value':
        if (get(value, path) === undefined) {
          out.push({
            path,
            atKey: true,
            rule: 'required',
            message: `${pathLabel(path.slice(0, -1), rootLabel)}: missing required key "${String(path[path.length - 1])}" (one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')})`
          })
          return
        }
        out.push({
          path,
          atKey: false,
          rule: 'enum',
          message: `${label}: ${JSON.stringify(get(value, path))} is not allowed; use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
        })
        return
      case 'invalid_union': {
        const actual = get(value, path)
        // Report the branch that matches the shape the user wrote (text vs mapping).
        const branch = issue.errors.find((errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0)) ?? issue.errors[0]
        if (branch?.length && actual !== null && typeof actual === 'object') {
          for (const e of branch) visit(e, path)
          return
        }
        out.push({ path, atKey: false, rule: 'type', message: `${label}: expected text or a mapping, got ${typeName(actual)}` })
        return
      }
      case 'too_big':
      case 'too_small': {
        // zod's own wording ("Too big: expected number to be <=1") is replaced; a schema's own message is kept
        const own = !/^Too (big|small):/.test(issue.message)
        out.push({ path, atKey: false, rule: 'range', message: `${label}: ${own ? issue.message : rangeMessage(issue, get(value, path))}` })
        return
      }
      default:
        out.push({ path, atKey: false, rule: 'type', message: `${label}: ${issue.message}` })
    }
  }
  for (const issue of issues) visit(issue, [])
  // A misspelt required key shows up twice (unknown "identifer", missing "identifier"): keep the
  // unknown-key line, whose hint names the missing key.
  const hinted = new Set(
    out
      .filter((i) => i.rule === 'unknown-key')
      .map((i) => {
        const m = /did you mean "([^"]+)"/.exec(i.message)
        return m ? [...i.path.slice(0, -1), m[1]].join('\u0000') : ''
      })
  )
  return out.filter((i) => !(i.rule === 'required' && hinted.has(i.path.join('\u0000'))))
}
