import * as yaml from 'js-yaml'
import { SpaceOpsError } from '../util/errors.js'
import type { Path } from './space.js'

/**
 * Reading YAML (and JSON, which is read by the same parser for positions) while remembering
 * where every key and value stands, so every problem can be reported as file:line:col.
 * js-yaml 5 exposes a parser event stream with source offsets; we walk it once alongside the
 * value js-yaml constructs.
 */
export interface Position {
  line: number // 1-based
  col: number // 1-based
}

export class SourceMap {
  private readonly keys = new Map<string, number>()
  private readonly values = new Map<string, number>()
  private readonly lineStarts: number[]

  constructor(readonly text: string) {
    this.lineStarts = [0]
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1)
  }

  /** `key` is a path joined by pathKey(). */
  recordKeyAt(key: string, offset: number): void {
    this.keys.set(key, offset)
  }
  recordValueAt(key: string, offset: number): void {
    this.values.set(key, offset)
  }

  position(offset: number): Position {
    let lo = 0
    let hi = this.lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, col: offset - (this.lineStarts[lo] ?? 0) + 1 }
  }

  has(path: Path): boolean {
    const k = pathKey(path)
    return this.keys.has(k) || this.values.has(k)
  }

  /** Where a value stands (falling back to its key, then to the nearest enclosing node). */
  locate(path: Path, prefer: 'key' | 'value' = 'value'): Position | undefined {
    for (let n = path.length; n >= 0; n--) {
      const k = pathKey(path.slice(0, n))
      const first = prefer === 'key' ? this.keys.get(k) : this.values.get(k)
      const second = prefer === 'key' ? this.values.get(k) : this.keys.get(k)
      const off = first ?? second
      if (off !== undefined) return this.position(off)
    }
    return undefined
  }
}

const pathKey = (path: Path) => path.map(String).join('\u0000')

// Frames carry their path already joined (see pathKey) so the walk allocates no arrays.
type Frame = { kind: 'map' | 'seq'; path: string; expectKey: boolean; key: string; index: number }

const SEP = '\u0000'
const child = (parent: string | undefined, seg: string | number) => (parent === undefined ? String(seg) : parent + SEP + String(seg))

/** Walk js-yaml's event stream and record key/value offsets by path. */
function mapPositions(text: string, events: readonly yaml.Event[], map: SourceMap): void {
  const stack: Frame[] = []
  for (const ev of events) {
    if (ev.type === yaml.EVENT_ID.DOCUMENT) continue
    if (ev.type === yaml.EVENT_ID.POP) {
      stack.pop()
      continue
    }
    const top = stack[stack.length - 1]
    // a quoted scalar's value starts after its quote; point at the quote
    const start =
      ev.type === yaml.EVENT_ID.SCALAR
        ? ev.valueStart - (ev.style === 2 || ev.style === 3 ? 1 : 0)
        : ev.type === yaml.EVENT_ID.ALIAS
          ? ev.anchorStart
          : ev.start
    const isCollection = ev.type === yaml.EVENT_ID.SEQUENCE || ev.type === yaml.EVENT_ID.MAPPING
    if (top && top.kind === 'map' && top.expectKey) {
      // a key: only scalar keys get a name; a complex key is consumed (and its children skipped)
      top.key = ev.type === yaml.EVENT_ID.SCALAR ? yaml.getScalarValue(text, ev) : '?'
      top.expectKey = false
      map.recordKeyAt(child(top.path === '' && stack.length === 1 ? undefined : top.path, top.key), start)
      if (isCollection)
        stack.push({ kind: ev.type === yaml.EVENT_ID.SEQUENCE ? 'seq' : 'map', path: child(top.path, '?key'), expectKey: true, key: '', index: 0 })
      continue
    }
    let path = ''
    if (top) {
      const parent = top.path === '' && stack.length === 1 ? undefined : top.path
      if (top.kind === 'map') {
        path = child(parent, top.key)
        top.expectKey = true
      } else {
        path = child(parent, top.index)
        top.index++
      }
    }
    // A block scalar's text starts on the next line; point at its key instead.
    const blockScalar = ev.type === yaml.EVENT_ID.SCALAR && (ev.style === 4 || ev.style === 5)
    // An empty value (`dev:` with nothing after it) has no position of its own (-1): its key stands for it.
    if (!blockScalar && start >= 0) map.recordValueAt(path, start)
    if (isCollection) stack.push({ kind: ev.type === yaml.EVENT_ID.SEQUENCE ? 'seq' : 'map', path, expectKey: true, key: '', index: 0 })
  }
}

export interface ParsedSource {
  value: unknown
  map: SourceMap
}

/** Parse YAML text; syntax errors become a SpaceOpsError located at file:line:col. */
export function parseYaml(file: string, text: string): ParsedSource {
  let value: unknown
  let events: yaml.Event[]
  if (!/^[ \t]*[^#\s]/m.test(text)) return { value: undefined, map: new SourceMap(text) }
  try {
    // one parse: the event stream gives both the value and the positions
    events = yaml.parseEvents(text, { filename: file })
    const docs = yaml.constructFromEvents(events, { source: text, filename: file, maxAliases: 100 })
    if (docs.length > 1) throw new SpaceOpsError('a definition is one YAML document; this file has several (---)', { location: { file } })
    value = docs[0]
  } catch (err) {
    if (err instanceof SpaceOpsError) throw err
    if (err instanceof yaml.YAMLException) {
      const mark = err.mark
      throw new SpaceOpsError(`YAML syntax error: ${err.reason}`, {
        location: { file, ...(mark ? { line: mark.line + 1, col: mark.column + 1 } : {}) }
      })
    }
    throw new SpaceOpsError(`cannot parse YAML: ${err instanceof Error ? err.message : String(err)}`, { location: { file } })
  }
  const map = new SourceMap(text)
  mapPositions(text, events, map)
  return { value, map }
}

/** Parse JSON text strictly (as the API would), with positions taken from the YAML event stream. */
export function parseJson(file: string, text: string): ParsedSource {
  const map = new SourceMap(text)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    const pos = /position (\d+)/.exec(msg)
    const lc = /line (\d+) column (\d+)/.exec(msg)
    const location = lc ? { file, line: Number(lc[1]), col: Number(lc[2]) } : pos ? { file, ...map.position(Number(pos[1])) } : { file }
    throw new SpaceOpsError(`JSON syntax error: ${msg.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '')}`, { location })
  }
  // JSON.parse keeps the last of two equal keys; the API may keep either. Refuse the ambiguity.
  const dup = findDuplicateJsonKey(text)
  if (dup) {
    const first = map.position(dup.firstOffset)
    throw new SpaceOpsError(`duplicate key "${dup.key}" in one object (first at ${first.line}:${first.col}); a key may appear once`, {
      location: { file, ...map.position(dup.offset) }
    })
  }
  try {
    mapPositions(text, yaml.parseEvents(text, {}), map)
  } catch {
    // positions are a convenience; valid JSON that YAML cannot tokenise simply has none
  }
  return { value, map }
}

/**
 * The first key that appears twice in one object of `text`, which must be valid JSON (call after
 * JSON.parse succeeded). Keys are compared as JSON.parse decodes them, so `"a"` and `"\u0061"` are
 * the same key. Offsets are of the key's opening quote.
 */
export function findDuplicateJsonKey(text: string): { key: string; offset: number; firstOffset: number } | undefined {
  // one entry per open container: the keys seen so far for an object, null for an array
  const stack: (Map<string, number> | null)[] = []
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22 /* " */) {
      let j = i + 1
      while (j < text.length && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1
      const keys = stack[stack.length - 1]
      if (keys && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string
        const first = keys.get(key)
        if (first !== undefined) return { key, offset: i, firstOffset: first }
        keys.set(key, i)
        expectKey = false
      }
      i = j
    } else if (c === 0x7b /* { */) {
      stack.push(new Map())
      expectKey = true
    } else if (c === 0x5b /* [ */) {
      stack.push(null)
      expectKey = false
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop()
      expectKey = false
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] != null
    }
  }
  return undefined
}

/** Write YAML the way people write it: block text for multi-line strings, no line folding. */
export function dumpYaml(value: unknown, header?: string): string {
  const body = yaml.dump(value, { lineWidth: -1, noRefs: true })
  return header ? `${header}\n${body}` : body
}
