import * as z from 'zod/mini'
import '../util/zod.js' // zod set up (messages, jitless) before this module builds a schema
import { AuthoringSpace } from './authoring.js'
import { canonicalizeDocument } from './canonical.js'
import { authoringToSpace } from './convert.js'
import { describeIssues } from './schema-issues.js'
import { SUPPORTED_VERSIONS, wireSpaceDocumentSchema } from './serialized.js'
import { looksLikeSuite, suiteSchema, suiteSchemaOverride, type Suite } from './suite.js'
import { recoverParse } from './recover.js'
import { Origins, type Path, type Space, type SpaceMeta } from './space.js'
import { findDuplicateJsonKey, parseJson, parseYaml, type SourceMap } from './source.js'
import type { Problem } from './problems.js'
import { SpaceOpsError } from '../util/errors.js'
import { readTextFile } from '../core/files.js'

/**
 * Loading a definition file into the model. Three inputs are understood, chosen by extension and
 * shape:
 * - `*.yaml` / `*.yml`: the authoring format;
 * - `*.json` (`*.geniespace.json`): a serialized_space document, version 1 or 2, as Databricks
 *   Asset Bundles and the API use it;
 * - `*.json` whose top level has `serialized_space`: a create/update payload (what `render`
 *   prints, or a GenieSpace API response), with the document as an object or a JSON string.
 * Problems found while reading (syntax, schema, unknown keys) are returned, each located.
 */
export type DefinitionFormat = 'yaml' | 'geniespace' | 'payload'

export interface LoadedDefinition {
  file: string
  format: DefinitionFormat
  space: Space
  origins: Origins
  source: SourceMap
  /** The authoring document as written (YAML only), for rules about how it was written. */
  authoring?: AuthoringSpace
  /** Where the document sits inside the file (['serialized_space'] for payloads). */
  documentPath: Path
}

export interface LoadedSuite {
  file: string
  suite: Suite
  source: SourceMap
}

export interface LoadResult {
  definition?: LoadedDefinition
  /** Set instead of `definition` when the file is a benchmark suite (top-level `queries`). */
  suite?: LoadedSuite
  /** The file is a promotion config (by name or top-level keys): `problems` says it is not a definition; validate checks it as a config. */
  promotionConfig?: true
  /**
   * When the schema refused the file: it repaired just enough for the rules to run on the rest
   * (model/recover.ts). For reporting only, never for use; `touched` are the repaired places.
   */
  partial?: { definition?: LoadedDefinition; suite?: LoadedSuite; touched: Path[]; keysDropped: Path[] }
  problems: Problem[]
}

let authoringJsonSchema: object | undefined
let wireJsonSchema: object | undefined
let suiteJsonSchema: object | undefined
export const authoringSchemaJson = () => (authoringJsonSchema ??= z.toJSONSchema(AuthoringSpace))
const wireSchemaJson = () => (wireJsonSchema ??= z.toJSONSchema(wireSpaceDocumentSchema()))
/** The suite as written (min_accuracy as `0.8` or `"80%"`): the input side of its transforms. */
export const suiteSchemaJson = () => (suiteJsonSchema ??= z.toJSONSchema(suiteSchema(), { io: 'input', override: suiteSchemaOverride }))

type PayloadSettings = { title?: string | null; description?: string | null; warehouse_id?: string | null; parent_path?: string | null }

/** A payload's settings as the model keeps them: unset and null left out, except a null warehouse_id (no warehouse). */
export function payloadMeta(p: PayloadSettings): SpaceMeta {
  const meta: SpaceMeta = {}
  if (p.title != null) meta.title = p.title
  if (p.description != null) meta.description = p.description
  if (p.warehouse_id !== undefined) meta.warehouse_id = p.warehouse_id
  if (p.parent_path != null) meta.parent_path = p.parent_path
  return meta
}

/** A promotion config by its name (`promotion.yaml`, `prod.promotion.yml`); validate finds these in directories too. */
export const PROMOTION_CONFIG_FILE = /(^|[/._-])promotion\.ya?ml$/i

/** A promotion config by its name or its top-level keys. */
export function looksLikePromotionConfig(file: string, value: unknown): boolean {
  if (PROMOTION_CONFIG_FILE.test(file.replace(/\\/g, '/'))) return true
  return isRecord(value) && ('promotion_order' in value || 'environments' in value)
}

export function formatOf(file: string): 'yaml' | 'json' | undefined {
  const f = file.toLowerCase()
  if (f.endsWith('.yaml') || f.endsWith('.yml')) return 'yaml'
  if (f.endsWith('.json')) return 'json'
  return undefined
}

function problemAt(file: string, source: SourceMap | undefined, path: Path, atKey: boolean, rule: string, message: string): Problem {
  const pos = source?.locate(path, atKey ? 'key' : 'value')
  return { severity: 'error', rule, message, file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: path.join('.') }
}

/** Record, for every object of a parsed wire document, its path in the file. */
function recordOrigins(value: unknown, path: Path, origins: Origins): void {
  if (Array.isArray(value)) value.forEach((v, i) => recordOrigins(v, [...path, i], origins))
  else if (value && typeof value === 'object') {
    origins.set(value, path)
    for (const [k, v] of Object.entries(value)) recordOrigins(v, [...path, k], origins)
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function loadDefinitionText(file: string, text: string): LoadResult {
  const kind = formatOf(file)
  if (!kind) {
    return {
      problems: [{ severity: 'error', rule: 'file-type', file, message: 'not a definition file: use .yaml/.yml (authoring) or .json (.geniespace.json)' }]
    }
  }
  let parsed
  try {
    parsed = kind === 'yaml' ? parseYaml(file, text) : parseJson(file, text)
  } catch (err) {
    if (err instanceof SpaceOpsError) {
      return { problems: [{ severity: 'error', rule: 'syntax', file, message: err.message, ...err.location }] }
    }
    throw err
  }
  const { value, map } = parsed
  const origins = new Origins()

  if (kind === 'yaml') {
    if (looksLikePromotionConfig(file, value)) {
      return {
        promotionConfig: true,
        problems: [
          problemAt(
            file,
            map,
            [],
            false,
            'file-type',
            'this is a promotion config (promotion_order, environments), not a space definition or a benchmark suite'
          )
        ]
      }
    }
    if (value === undefined || value === null) {
      return {
        problems: [{ severity: 'error', rule: 'empty', file, line: 1, col: 1, message: 'the file is empty: a space needs at least data_sources.tables' }]
      }
    }
    if (!isRecord(value)) {
      return { problems: [problemAt(file, map, [], false, 'type', 'the top level must be a mapping (title:, data_sources:, …)')] }
    }
    if (looksLikeSuite(value, file)) {
      const suite = suiteSchema().safeParse(value)
      if (!suite.success) {
        const issues = describeIssues(suite.error.issues, value, suiteSchemaJson(), 'the suite', true)
        const { data, touched, keysDropped } = recoverParse(suiteSchema(), value, suite.error.issues)
        return {
          problems: issues.map((i) => problemAt(file, map, i.path, i.atKey, i.rule, i.message)),
          ...(data ? { partial: { suite: { file, suite: data, source: map }, touched, keysDropped } } : {})
        }
      }
      return { suite: { file, suite: suite.data, source: map }, problems: [] }
    }
    const result = AuthoringSpace.safeParse(value)
    if (!result.success) {
      const issues = describeIssues(result.error.issues, value, authoringSchemaJson(), 'the space', true)
      const { data, touched, keysDropped } = recoverParse(AuthoringSpace, value, result.error.issues)
      const partial = data
        ? attempt(() => ({ file, format: 'yaml' as const, space: authoringToSpace(data, origins), origins, source: map, authoring: data, documentPath: [] }))
        : undefined
      return {
        problems: issues.map((i) => problemAt(file, map, i.path, i.atKey, i.rule, i.message)),
        ...(partial ? { partial: { definition: partial, touched, keysDropped } } : {})
      }
    }
    const space = authoringToSpace(result.data, origins)
    return { definition: { file, format: 'yaml', space, origins, source: map, authoring: result.data, documentPath: [] }, problems: [] }
  }

  // JSON: a payload (has serialized_space) or a bare document
  let docValue: unknown = value
  let documentPath: Path = []
  const meta: SpaceMeta = {}
  let format: DefinitionFormat = 'geniespace'
  if (isRecord(value) && 'serialized_space' in value) {
    format = 'payload'
    documentPath = ['serialized_space']
    const setting = z.optional(z.nullable(z.string()))
    const Payload = z.looseObject({
      title: setting,
      description: setting,
      warehouse_id: setting,
      parent_path: setting,
      serialized_space: z.union([z.string(), z.record(z.string(), z.unknown())])
    })
    const p = Payload.safeParse(value)
    if (!p.success) {
      const issues = describeIssues(p.error.issues, value, z.toJSONSchema(Payload), 'the payload')
      return { problems: issues.map((i) => problemAt(file, map, i.path, i.atKey, i.rule, i.message)) }
    }
    Object.assign(meta, payloadMeta(p.data))
    docValue = p.data.serialized_space
    if (typeof docValue === 'string') {
      const inner = docValue
      try {
        docValue = JSON.parse(inner)
      } catch (err) {
        return {
          problems: [
            problemAt(file, map, documentPath, false, 'syntax', `serialized_space is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
          ]
        }
      }
      const dup = findDuplicateJsonKey(inner)
      if (dup) {
        return {
          problems: [
            problemAt(
              file,
              map,
              documentPath,
              false,
              'duplicate-key',
              `serialized_space has the key "${dup.key}" twice in one object (at character ${dup.offset + 1} of the string); JSON readers keep only one of them`
            )
          ]
        }
      }
    }
  }
  if (!isRecord(docValue)) {
    return { problems: [problemAt(file, map, documentPath, false, 'type', 'a serialized_space document must be a JSON object')] }
  }
  const version = docValue.version
  if (typeof version === 'number' && !(SUPPORTED_VERSIONS as readonly number[]).includes(version)) {
    return {
      problems: [problemAt(file, map, [...documentPath, 'version'], false, 'version', `version ${version} is not supported: the API accepts versions 1 and 2`)]
    }
  }
  const result = wireSpaceDocumentSchema().safeParse(docValue)
  if (!result.success) {
    const issues = describeIssues(result.error.issues, docValue, wireSchemaJson(), 'the document')
    const { data, touched, keysDropped } = recoverParse(wireSpaceDocumentSchema(), docValue, result.error.issues)
    const partial = data
      ? attempt(() => {
          recordOrigins(data, documentPath, origins)
          return { file, format, space: { meta, document: canonicalizeDocument(data, origins) }, origins, source: map, documentPath }
        })
      : undefined
    return {
      problems: issues.map((i) => problemAt(file, map, [...documentPath, ...i.path], i.atKey, i.rule, i.message)),
      ...(partial
        ? {
            partial: { definition: partial, touched: touched.map((t) => [...documentPath, ...t]), keysDropped: keysDropped.map((t) => [...documentPath, ...t]) }
          }
        : {})
    }
  }
  recordOrigins(result.data, documentPath, origins)
  const document = canonicalizeDocument(result.data, origins)
  return { definition: { file, format, space: { meta, document }, origins, source: map, documentPath }, problems: [] }
}

/** A repaired value is for reporting only: if the model cannot be built from it, the rules are skipped. */
function attempt<T>(build: () => T): T | undefined {
  try {
    return build()
  } catch {
    return undefined
  }
}

/**
 * Read `file` (relative to `cwd`) through readTextFile (regular files only, strict UTF-8); a file
 * that cannot be read is a located problem naming the file as given.
 */
export async function readSourceText(file: string, cwd: string = process.cwd()): Promise<{ text: string } | { problems: Problem[] }> {
  try {
    return { text: await readTextFile(file, { cwd }) }
  } catch (err) {
    if (!(err instanceof SpaceOpsError)) throw err
    const { line, col } = err.location
    return {
      problems: [
        { severity: 'error', rule: 'read', file, message: err.message, ...(line !== undefined ? { line } : {}), ...(col !== undefined ? { col } : {}) }
      ]
    }
  }
}

/** Read and load `file` (see readSourceText and loadDefinitionText). */
export async function loadDefinitionFile(file: string, cwd: string = process.cwd()): Promise<LoadResult> {
  const read = await readSourceText(file, cwd)
  return 'text' in read ? loadDefinitionText(file, read.text) : read
}
