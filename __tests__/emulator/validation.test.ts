import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { client, createSpace, fixtureText, hexId, minimalDoc, SPACES, useEmulator, type Client } from './helpers.js'

const { api } = useEmulator()

type Doc = Record<string, unknown>

async function expectRejected(doc: Doc | string, message: string | RegExp, on: Client = api()): Promise<void> {
  const r = await createSpace(on, doc)
  expect({ status: r.status, code: r.body?.error_code }).toEqual({ status: 400, code: 'INVALID_PARAMETER_VALUE' })
  expect(Object.keys(r.body).sort()).toEqual(['error_code', 'message'])
  if (typeof message === 'string') expect(r.body.message).toBe(message)
  else expect(r.body.message).toMatch(message)
}

async function expectAccepted(doc: Doc | string, on: Client = api()): Promise<Doc> {
  const r = await createSpace(on, doc)
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${JSON.stringify(r.body)}`)
  return JSON.parse(r.body.serialized_space) as Doc
}

const tables = (...ids: string[]): Doc => ({ tables: ids.map((identifier) => ({ identifier })) })
const q = (n: number): Doc => ({ id: hexId(n), question: [`q${n}`] })
const bench = (n: number, answer: unknown = [{ format: 'SQL', content: ['SELECT 1'] }]): Doc => ({ id: hexId(n), question: [`b${n}`], answer })
const snippet = (n: number): Doc => ({ id: hexId(n), sql: ['1 = 1'] })

describe('published fixtures', () => {
  test.each([
    ['bundle-examples_nyc_taxi.json', null],
    ['cli_minimal_one_table.json', null],
    ['geobrix_genie_map_tables_only.json', null],
    ['lopess01_diretoria_ecommerce.json', null],
    ['restock_agent_bundle_generate_export.json', null],
    ['cli_full_featured.json', "config.sample_questions[0].id 'sq-001' is not a valid id"],
    ['docs_rest_api_getspace_example.json', "benchmarks.questions[0].id '01f0d0b4e815100000000000000000g1' is not a valid id"],
    ['genie-workbench_schema_reference.json', 'data_sources.tables[0].column_configs must be sorted by column_name']
  ])('%s → %s', async (name, error) => {
    if (error === null) {
      const stored = await expectAccepted(fixtureText(name))
      expect(stored['version']).toBe(2)
    } else {
      await expectRejected(fixtureText(name), new RegExp(`^Invalid export proto: ${error.replace(/[[\]().]/g, '\\$&')}`))
    }
  })
})

describe('parse, version and types', () => {
  test('not JSON', async () => {
    await expectRejected('{"version": 2,', /^Invalid export proto: serialized_space is not valid JSON/)
    await expectRejected('[1, 2]', /^Invalid export proto: <root>: expected a JSON object/)
  })

  test('version must be 1 or 2', async () => {
    await expectRejected({ version: 3 }, 'Invalid export proto: ExportConverter supports versions 1 and 2, got 3')
    await expectRejected({ version: 0 }, /^Invalid export proto: ExportConverter supports versions 1 and 2/)
    await expectRejected({ data_sources: {} }, 'Invalid export proto: ExportConverter supports versions 1 and 2, got no version')
  })

  test.each<[string, Doc, RegExp]>([
    ['version as a string', { version: '2' }, /^Invalid export proto: version: expected an integer, got string/],
    ['version as a float', { version: 2.5 }, /^Invalid export proto: version: expected an integer, got number/],
    ['tables not an array', { version: 2, data_sources: { tables: {} } }, /^Invalid export proto: data_sources\.tables: expected an array/],
    [
      'identifier a number',
      { version: 2, data_sources: { tables: [{ identifier: 7 }] } },
      /data_sources\.tables\[0\]\.identifier: expected a string, got integer/
    ],
    [
      'exclude a string',
      { version: 2, data_sources: { tables: [{ identifier: 'a.b.c', column_configs: [{ column_name: 'x', exclude: 'yes' }] }] } },
      /data_sources\.tables\[0\]\.column_configs\[0\]\.exclude: expected a boolean, got string/
    ],
    [
      'question a string',
      { version: 2, config: { sample_questions: [{ id: hexId(1), question: 'Why?' }] } },
      /config\.sample_questions\[0\]\.question: expected an array of strings/
    ],
    [
      'question line a number',
      { version: 2, config: { sample_questions: [{ id: hexId(1), question: [1] }] } },
      /config\.sample_questions\[0\]\.question\[0\]: expected a string/
    ],
    ['config an array', { version: 2, config: [] }, /^Invalid export proto: config: expected a JSON object for message Config/],
    [
      'sql_functions description as lines',
      { version: 2, instructions: { sql_functions: [{ id: hexId(1), identifier: 'a.b.f', description: ['x'] }] } },
      /instructions\.sql_functions\[0\]\.description: expected a string, got array/
    ]
  ])('wrong type: %s', async (_name, doc, message) => {
    await expectRejected(doc, message)
  })

  test('null means "not set"', async () => {
    const stored = await expectAccepted({ version: 2, config: null, data_sources: { tables: [{ identifier: 'a.b.c', description: null }] } })
    expect(stored).toEqual({ version: 2, data_sources: { tables: [{ identifier: 'a.b.c' }] } })
  })
})

describe('unknown fields at any level', () => {
  test.each<[string, Doc, string]>([
    ['root', { version: 2, display_name: 'x' }, 'Cannot find field: display_name in message GenieSpaceExport'],
    ['table', { version: 2, data_sources: { tables: [{ identifier: 'a.b.c', id: hexId(1) }] } }, 'Cannot find field: id in message TableDataSource'],
    [
      'column config',
      { version: 2, data_sources: { tables: [{ identifier: 'a.b.c', column_configs: [{ column_name: 'x', data_type: 'INT' }] }] } },
      'Cannot find field: data_type in message ColumnConfig'
    ],
    [
      'join side',
      { version: 2, instructions: { join_specs: [{ id: hexId(1), left: { identifier: 'a.b.c', schema: 's' }, right: { identifier: 'a.b.d' }, sql: ['x'] }] } },
      'Cannot find field: schema in message JoinSource'
    ],
    [
      'benchmark answer',
      { version: 2, benchmarks: { questions: [bench(1, [{ format: 'SQL', content: ['x'], score: 1 }])] } },
      'Cannot find field: score in message BenchmarkAnswer'
    ],
    ['legacy top-level keys', { questions: [], tables: [] }, 'Cannot find field: questions in message GenieSpaceExport']
  ])('%s', async (_name, doc, message) => {
    await expectRejected(doc, message)
  })
})

describe('ids', () => {
  const idLists: [string, (id: string) => Doc][] = [
    ['sample question', (id) => ({ config: { sample_questions: [{ id, question: ['q'] }] } })],
    ['text instruction', (id) => ({ instructions: { text_instructions: [{ id, content: ['c'] }] } })],
    ['example SQL', (id) => ({ instructions: { example_question_sqls: [{ id, question: ['q'], sql: ['SELECT 1'] }] } })],
    ['sql function', (id) => ({ instructions: { sql_functions: [{ id, identifier: 'a.b.f' }] } })],
    ['join spec', (id) => ({ instructions: { join_specs: [{ id, left: { identifier: 'a.b.c' }, right: { identifier: 'a.b.d' }, sql: ['x'] }] } })],
    ['filter', (id) => ({ instructions: { sql_snippets: { filters: [{ id, sql: ['x'] }] } } })],
    ['expression', (id) => ({ instructions: { sql_snippets: { expressions: [{ id, sql: ['x'] }] } } })],
    ['measure', (id) => ({ instructions: { sql_snippets: { measures: [{ id, sql: ['x'] }] } } })],
    ['benchmark', (id) => ({ benchmarks: { questions: [{ id, question: ['q'], answer: [{ format: 'SQL', content: ['x'] }] }] } })]
  ]
  const badIds = ['ABCDEF0123456789ABCDEF0123456789', 'abc', '0123456789abcdef0123456789abcdef0', '01234567-89ab-cdef-0123-456789abcdef', '']

  test.each(idLists)('%s ids must be 32 lowercase hex', async (_kind, make) => {
    for (const bad of badIds) {
      await expectRejected({ version: 2, ...make(bad) }, /^Invalid export proto: .*\.id '.*' is not a valid id: expected 32 lowercase hexadecimal characters$/)
    }
    await expectAccepted({ version: 2, ...make('0123456789abcdef0123456789abcdef') })
  })

  test('question ids are unique across sample questions and benchmarks', async () => {
    await expectRejected(
      { version: 2, config: { sample_questions: [q(1)] }, benchmarks: { questions: [bench(1)] } },
      `Invalid export proto: duplicate question id '${hexId(1)}' (config.sample_questions[0].id and benchmarks.questions[0].id)`
    )
  })

  test('instruction ids are unique across all instruction kinds', async () => {
    await expectRejected(
      { version: 2, instructions: { text_instructions: [{ id: hexId(5), content: ['x'] }], sql_snippets: { measures: [snippet(5)] } } },
      /^Invalid export proto: duplicate instruction id '0+5' \(instructions\.text_instructions\[0\]\.id and instructions\.sql_snippets\.measures\[0\]\.id\)$/
    )
    await expectRejected(
      {
        version: 2,
        instructions: {
          sql_functions: [{ id: hexId(9), identifier: 'a.b.f' }],
          join_specs: [{ id: hexId(9), left: { identifier: 'a.b.c' }, right: { identifier: 'a.b.d' }, sql: ['x'] }]
        }
      },
      /duplicate instruction id/
    )
  })

  test('a question and an instruction may share an id (different scopes)', async () => {
    await expectAccepted({ version: 2, config: { sample_questions: [q(3)] }, instructions: { text_instructions: [{ id: hexId(3), content: ['x'] }] } })
  })
})

describe('sorting', () => {
  test.each<[string, Doc, string]>([
    ['tables by identifier', { data_sources: tables('b.b.b', 'a.a.a') }, 'data_sources.tables must be sorted by identifier'],
    [
      'metric views by identifier',
      { data_sources: { metric_views: [{ identifier: 'z.z.z' }, { identifier: 'y.y.y' }] } },
      'data_sources.metric_views must be sorted by identifier'
    ],
    [
      'column_configs by column_name',
      { data_sources: { metric_views: [{ identifier: 'a.b.c', column_configs: [{ column_name: 'b' }, { column_name: 'a' }] }] } },
      'data_sources.metric_views[0].column_configs must be sorted by column_name'
    ],
    ['sample questions by id', { config: { sample_questions: [q(2), q(1)] } }, 'config.sample_questions must be sorted by id'],
    [
      'text instructions by id',
      {
        instructions: {
          text_instructions: [
            { id: hexId(2), content: ['a'] },
            { id: hexId(1), content: ['b'] }
          ]
        }
      },
      'instructions.text_instructions must be sorted by id'
    ],
    [
      'example SQLs by id',
      {
        instructions: {
          example_question_sqls: [
            { id: hexId(2), question: ['a'], sql: ['x'] },
            { id: hexId(1), question: ['b'], sql: ['y'] }
          ]
        }
      },
      'instructions.example_question_sqls must be sorted by id'
    ],
    [
      'example parameters by name',
      {
        instructions: {
          example_question_sqls: [
            {
              id: hexId(1),
              question: ['a'],
              sql: ['x'],
              parameters: [
                { name: 'start', type_hint: 'STRING' },
                { name: 'limit', type_hint: 'INTEGER' }
              ]
            }
          ]
        }
      },
      'instructions.example_question_sqls[0].parameters must be sorted by name'
    ],
    [
      'sql functions by (id, identifier)',
      {
        instructions: {
          sql_functions: [
            { id: hexId(2), identifier: 'a.b.a' },
            { id: hexId(1), identifier: 'a.b.z' }
          ]
        }
      },
      'instructions.sql_functions must be sorted by (id, identifier)'
    ],
    [
      'join specs by id',
      {
        instructions: {
          join_specs: [
            { id: hexId(2), left: { identifier: 'a.b.c' }, right: { identifier: 'a.b.d' }, sql: ['x'] },
            { id: hexId(1), left: { identifier: 'a.b.c' }, right: { identifier: 'a.b.e' }, sql: ['y'] }
          ]
        }
      },
      'instructions.join_specs must be sorted by id'
    ],
    ['filters by id', { instructions: { sql_snippets: { filters: [snippet(2), snippet(1)] } } }, 'instructions.sql_snippets.filters must be sorted by id'],
    [
      'expressions by id',
      { instructions: { sql_snippets: { expressions: [snippet(2), snippet(1)] } } },
      'instructions.sql_snippets.expressions must be sorted by id'
    ],
    ['measures by id', { instructions: { sql_snippets: { measures: [snippet(2), snippet(1)] } } }, 'instructions.sql_snippets.measures must be sorted by id'],
    ['benchmark questions by id', { benchmarks: { questions: [bench(2), bench(1)] } }, 'benchmarks.questions must be sorted by id']
  ])('%s', async (_name, doc, message) => {
    await expectRejected({ version: 2, ...doc }, new RegExp(`^Invalid export proto: ${message.replace(/[[\]().]/g, '\\$&')}: `))
  })

  test('sorting compares by code unit (uppercase before lowercase); equal keys are fine', async () => {
    await expectAccepted({ version: 2, data_sources: tables('Z.a.b', 'a.a.b') })
    await expectRejected({ version: 2, data_sources: tables('a.a.b', 'Z.a.b') }, /must be sorted by identifier/)
    await expectAccepted({ version: 2, data_sources: tables('a.a.b', 'a.a.b') })
    // sql_functions: the identifier breaks ties between equal ids only; ids must still be unique.
    await expectAccepted({
      version: 2,
      instructions: {
        sql_functions: [
          { id: hexId(1), identifier: 'a.b.z' },
          { id: hexId(2), identifier: 'a.b.a' }
        ]
      }
    })
  })

  test('sorted lists are kept in order as sent', async () => {
    const stored = await expectAccepted({ version: 2, data_sources: tables('a.a.a', 'b.b.b', 'c.c.c') })
    expect(stored['data_sources']).toEqual(tables('a.a.a', 'b.b.b', 'c.c.c'))
  })
})

describe('limits', () => {
  const many = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}.t${String(i).padStart(3, '0')}`)

  test('30 tables and metric views together', async () => {
    await expectAccepted({
      version: 2,
      data_sources: { tables: many(20, 'c.s').map((identifier) => ({ identifier })), metric_views: many(10, 'c.m').map((identifier) => ({ identifier })) }
    })
    await expectRejected(
      {
        version: 2,
        data_sources: { tables: many(20, 'c.s').map((identifier) => ({ identifier })), metric_views: many(11, 'c.m').map((identifier) => ({ identifier })) }
      },
      'Invalid export proto: a space can have at most 30 tables and metric views, got 31'
    )
  })

  test('one text instruction', async () => {
    await expectRejected(
      {
        version: 2,
        instructions: {
          text_instructions: [
            { id: hexId(1), content: ['a'] },
            { id: hexId(2), content: ['b'] }
          ]
        }
      },
      'Invalid export proto: a space can have at most 1 text instruction(s), got 2'
    )
  })

  test('100 instructions in all', async () => {
    const sqls = (n: number): Doc[] => Array.from({ length: n }, (_, i) => ({ id: hexId(i + 1), question: ['q'], sql: ['SELECT 1'] }))
    await expectAccepted({ version: 2, instructions: { text_instructions: [{ id: hexId(1000), content: ['x'] }], example_question_sqls: sqls(99) } })
    await expectRejected(
      { version: 2, instructions: { text_instructions: [{ id: hexId(1000), content: ['x'] }], example_question_sqls: sqls(100) } },
      'Invalid export proto: a space can have at most 100 instructions in all, got 101'
    )
  })

  test('strings up to 25,000 characters (a line array counts as one string)', async () => {
    await expectAccepted({ version: 2, instructions: { text_instructions: [{ id: hexId(1), content: ['x'.repeat(12_500), 'y'.repeat(12_500)] }] } })
    await expectRejected(
      { version: 2, instructions: { text_instructions: [{ id: hexId(1), content: ['x'.repeat(12_500), 'y'.repeat(12_501)] }] } },
      'Invalid export proto: instructions.text_instructions[0].content is 25001 characters long; the maximum is 25000'
    )
    await expectRejected({ version: 2, data_sources: tables('a'.repeat(25_001)) }, /data_sources\.tables\[0\]\.identifier is 25001 characters long/)
  })

  test('benchmark answers: exactly one, format SQL', async () => {
    await expectRejected(
      { version: 2, benchmarks: { questions: [bench(1, [])] } },
      'Invalid export proto: benchmarks.questions[0].answer must have exactly 1 answer(s), got 0'
    )
    await expectRejected({ version: 2, benchmarks: { questions: [{ id: hexId(1), question: ['q'] }] } }, /must have exactly 1 answer\(s\), got 0/)
    await expectRejected(
      {
        version: 2,
        benchmarks: {
          questions: [
            bench(1, [
              { format: 'SQL', content: ['a'] },
              { format: 'SQL', content: ['b'] }
            ])
          ]
        }
      },
      /must have exactly 1 answer\(s\), got 2/
    )
    await expectRejected(
      { version: 2, benchmarks: { questions: [bench(1, [{ format: 'TEXT', content: ['a'] }])] } },
      "Invalid export proto: benchmarks.questions[0].answer[0].format must be SQL, got 'TEXT'"
    )
  })

  test('entity matching on up to 120 columns', async () => {
    const cols = (n: number, flag: 'enable_entity_matching' | 'build_value_dictionary'): Doc[] =>
      Array.from({ length: n }, (_, i) => ({ column_name: `c${String(i).padStart(3, '0')}`, [flag]: true }))
    await expectAccepted({
      version: 2,
      data_sources: {
        tables: [
          { identifier: 'a.b.c', column_configs: cols(60, 'enable_entity_matching') },
          { identifier: 'a.b.d', column_configs: cols(60, 'enable_entity_matching') }
        ]
      }
    })
    await expectRejected(
      {
        version: 2,
        data_sources: {
          tables: [
            { identifier: 'a.b.c', column_configs: cols(60, 'enable_entity_matching') },
            { identifier: 'a.b.d', column_configs: cols(61, 'enable_entity_matching') }
          ]
        }
      },
      'Invalid export proto: entity matching can be enabled on at most 120 columns, got 121'
    )
    // v1 flags count once upgraded.
    await expectRejected({ version: 1, data_sources: { tables: [{ identifier: 'a.b.c', column_configs: cols(121, 'build_value_dictionary') }] } }, /got 121/)
  })

  test('required names', async () => {
    await expectRejected(
      { version: 2, data_sources: { tables: [{ description: ['no name'] }] } },
      'Invalid export proto: data_sources.tables[0].identifier is required'
    )
    await expectRejected(
      { version: 2, data_sources: { tables: [{ identifier: 'a.b.c', column_configs: [{ exclude: true }] }] } },
      /column_configs\[0\]\.column_name is required/
    )
  })

  test('PATCH applies the same validation', async () => {
    const { body } = await createSpace(api(), minimalDoc())
    const r = await api().patch(`${SPACES}/${body.space_id}`, { serialized_space: JSON.stringify({ version: 2, data_sources: tables('b.b.b', 'a.a.a') }) })
    expect(r.status).toBe(400)
    expect(r.body.message).toMatch(/^Invalid export proto: data_sources\.tables must be sorted/)
  })
})

describe('configurable behaviour', () => {
  let strict: RunningEmulator
  beforeAll(async () => {
    strict = await startEmulator({ seed: 1, limits: { maxTablesAndMetricViews: 2, maxTextInstructions: 2 }, behaviour: { rejectV1FlagsInV2: true } })
  })
  afterAll(async () => {
    await strict.close()
  })

  test('limits are configurable', async () => {
    await expectRejected({ version: 2, data_sources: tables('a.a.a', 'b.b.b', 'c.c.c') }, /at most 2 tables and metric views, got 3/, client(strict.url))
    await expectAccepted(
      {
        version: 2,
        instructions: {
          text_instructions: [
            { id: hexId(1), content: ['a'] },
            { id: hexId(2), content: ['b'] }
          ]
        }
      },
      client(strict.url)
    )
  })

  test('v1 column flags in a version 2 document can be refused', async () => {
    const doc = { version: 2, data_sources: { tables: [{ identifier: 'a.b.c', column_configs: [{ column_name: 'x', get_example_values: true }] }] } }
    await expectRejected(doc, 'Cannot find field: get_example_values in message ColumnConfig', client(strict.url))
    // …but version 1 documents are still upgraded.
    const stored = await expectAccepted({ ...doc, version: 1 }, client(strict.url))
    expect(stored['data_sources']).toEqual({ tables: [{ identifier: 'a.b.c', column_configs: [{ column_name: 'x', enable_format_assistance: true }] }] })
    // and by default (the shared emulator) they are accepted and folded in, v2 flag winning.
    const lenient = await expectAccepted({
      version: 2,
      data_sources: { tables: [{ identifier: 'a.b.c', column_configs: [{ column_name: 'x', get_example_values: true, enable_format_assistance: false }] }] }
    })
    expect(lenient['data_sources']).toEqual({ tables: [{ identifier: 'a.b.c', column_configs: [{ column_name: 'x', enable_format_assistance: false }] }] })
  })
})
