import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { readPayload, spaceFromApi, type SpacePayload } from '../../src/deploy/live.js'
import { loadDefinitionText } from '../../src/model/load.js'
import { ROOT } from '../helpers/cli.js'

// readPayload reads a payload without the file reader's source positions; what it makes of a
// payload must be what the file reader makes of it, and what it refuses must be refused with the
// file reader's own problems.

const FIXTURES = path.join(ROOT, '__tests__/fixtures')
const documents: [string, unknown][] = [
  ...readdirSync(path.join(FIXTURES, 'spaces')).map((f): [string, unknown] => [f, JSON.parse(readFileSync(path.join(FIXTURES, 'spaces', f), 'utf8'))]),
  ...['taxi-reordered/before', 'workbench-edits/after', 'full-featured-ids/before'].map((f): [string, unknown] => [
    f,
    JSON.parse(readFileSync(path.join(FIXTURES, 'plans', `${f}.geniespace.json`), 'utf8'))
  ])
]

const viaFileReader = (file: string, payload: SpacePayload) => loadDefinitionText(file, JSON.stringify(payload))

/** The document of a fixture: a bare document, or the serialized_space of a response. */
function documentOf(v: unknown): unknown {
  const o = v as { serialized_space?: unknown }
  return typeof o.serialized_space === 'string' ? JSON.parse(o.serialized_space) : (o.serialized_space ?? v)
}

const payload = (doc: unknown, meta: Partial<SpacePayload> = {}): SpacePayload => ({
  title: 'Sales',
  description: null,
  warehouse_id: 'wh-1',
  parent_path: '/Workspace/Shared/x',
  serialized_space: doc,
  ...meta
})

test.each(documents)('%s: the same space as the file reader makes of it, as a string and as an object', (_name, fixture) => {
  const doc = documentOf(fixture)
  for (const p of [payload(JSON.stringify(doc)), payload(doc), payload(JSON.stringify(doc), { title: null, warehouse_id: null, parent_path: null })]) {
    const expected = viaFileReader('x.json', p).definition?.space
    expect(expected).toBeDefined()
    expect(readPayload('x.json', p)).toEqual({ space: expected })
  }
})

test('what the schema refuses is refused with the file reader’s problems (unknown field, key twice, version, not JSON)', () => {
  const doc = documentOf(documents[0]![1]) as Record<string, unknown>
  const refused = [
    payload(JSON.stringify({ ...doc, surprise: true })),
    payload(`{"version":2,"version":2}`),
    payload(JSON.stringify({ ...doc, version: 3 })),
    payload('{not json'),
    payload([1, 2])
  ]
  for (const p of refused) {
    const expected = viaFileReader('x.json', p)
    expect(expected.definition).toBeUndefined()
    expect(expected.problems.length).toBeGreaterThan(0)
    expect(readPayload('x.json', p)).toEqual({ problems: expected.problems })
  }
})

test('spaceFromApi: a document SpaceOps does not know fails naming the space and the field', () => {
  const doc = documentOf(documents[0]![1]) as Record<string, unknown>
  expect(() => spaceFromApi({ space_id: 'abc', title: 'T', serialized_space: JSON.stringify({ ...doc, surprise: 1 }) })).toThrow(
    /^space abc: SpaceOps cannot read its document: .*surprise/
  )
})
