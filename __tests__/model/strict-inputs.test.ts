import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadDefinitionText } from '../../src/model/load.js'
import { findDuplicateJsonKey } from '../../src/model/source.js'
import { SUITE_LIMITS } from '../../src/model/suite.js'
import { validateDefinition } from '../../src/validate/rules.js'
import { validateSuite } from '../../src/validate/suite.js'
import type { Problem } from '../../src/model/problems.js'
import { cli } from '../helpers/cli.js'
import { rawHost } from '../helpers/net.js'

const at = (p: Problem) => `${p.file}:${p.line}:${p.col}: ${p.message}`

/** Every problem of a text, load and rules together. */
async function problems(file: string, text: string): Promise<string[]> {
  const r = loadDefinitionText(file, text)
  if (r.suite) return (await validateSuite(r.suite)).filter((p) => p.severity === 'error').map(at)
  if (!r.definition) return r.problems.map(at)
  return validateDefinition(r.definition)
    .filter((p) => p.severity === 'error')
    .map(at)
}

const TABLES = 'data_sources:\n  tables:\n    - identifier: main.sales.orders\n'

describe('duplicate keys', () => {
  test('YAML: js-yaml refuses a key written twice, at the second one', async () => {
    expect(await problems('space.yaml', `title: a\n${TABLES}title: b\n`)).toEqual(['space.yaml:5:1: YAML syntax error: duplicated mapping key'])
    expect(
      await problems('space.yaml', `title: a\ndata_sources:\n  tables:\n    - identifier: main.sales.orders\n      identifier: main.sales.other\n`)
    ).toEqual(['space.yaml:5:7: YAML syntax error: duplicated mapping key'])
  })

  test('a .geniespace.json with a key twice is refused at the second, naming the first', async () => {
    const text = '{\n  "version": 2,\n  "data_sources": { "tables": [ { "identifier": "main.sales.orders", "identifier": "main.evil.t" } ] }\n}\n'
    expect(await problems('a.geniespace.json', text)).toEqual([
      'a.geniespace.json:3:70: duplicate key "identifier" in one object (first at 3:35); a key may appear once'
    ])
  })

  test('keys are compared as JSON decodes them: "a" and "\\u0061" are one key', async () => {
    expect(findDuplicateJsonKey('{"title": 1, "\\u0074itle": 2}')).toEqual({ key: 'title', offset: 13, firstOffset: 1 })
  })

  test('the same key in different objects, in arrays, and inside string values is fine', async () => {
    expect(findDuplicateJsonKey('{"a": {"b": 1}, "c": {"b": 2}, "d": [{"b": 1}, {"b": 2}], "e": "\\"a\\": {\\"b\\"", "f": ["a", "a"]}')).toBeUndefined()
    expect(await problems('a.geniespace.json', '{"version": 2, "data_sources": {"tables": [{"identifier": "main.s.a"}, {"identifier": "main.s.b"}]}}')).toEqual(
      []
    )
  })

  test('a payload with a key twice, at its top or inside a serialized_space string, is refused', async () => {
    expect(await problems('p.json', '{"title": "a", "serialized_space": {"version": 2}, "title": "b"}')).toEqual([
      'p.json:1:52: duplicate key "title" in one object (first at 1:2); a key may appear once'
    ])
    expect(await problems('p.json', '{"title": "a", "serialized_space": "{\\"version\\": 2, \\"version\\": 1}"}')).toEqual([
      'p.json:1:36: serialized_space has the key "version" twice in one object (at character 16 of the string); JSON readers keep only one of them'
    ])
  })
})

describe('control characters', () => {
  test.each([
    [
      'a table identifier',
      `title: t\ndata_sources:\n  tables:\n    - identifier: "main.sales.orders\\0"\n`,
      'space.yaml:4:19: identifier holds the control character U+0000 (NUL) at character 18'
    ],
    [
      'a column name',
      `title: t\n${TABLES}      column_configs:\n        - column_name: "a\\x7f"\n`,
      'space.yaml:6:24: column_name holds the control character U+007F (DEL) at character 2'
    ],
    [
      'an id',
      `title: t\n${TABLES}instructions:\n  - id: "0123456789abcdef0123456789abcde\\x1b"\n    content: x\n`,
      'space.yaml:6:9: id holds the control character U+001B (ESC) at character 32'
    ],
    ['a title', `title: "Sales\\r"\n${TABLES}`, 'space.yaml:1:8: title holds the control character U+000D (CR) at character 6'],
    ['a title with a newline', `title: "Sales\\nreport"\n${TABLES}`, 'space.yaml:1:8: title holds the control character U+000A (LF) at character 6'],
    [
      'a synonym',
      `title: t\n${TABLES}      column_configs:\n        - column_name: a\n          synonyms: [ok, "b\\tc"]\n`,
      'space.yaml:7:26: synonyms holds the control character U+0009 (TAB) at character 2'
    ],
    [
      'a join alias',
      `title: t\n${TABLES}joins:\n  - left: { identifier: main.sales.orders, alias: "o\\u202e" }\n    right: { identifier: main.sales.orders, alias: p }\n    condition: o.id = p.id\n`,
      'space.yaml:6:51: alias holds the control character U+202E at character 2'
    ],
    [
      'an instruction',
      `title: t\n${TABLES}instructions:\n  - content: "be \\e[8m hidden"\n`,
      'space.yaml:6:14: content holds the control character U+001B (ESC) at character 4; text may hold tabs and line breaks but no other control characters'
    ]
  ])('%s is a located error', async (_what, text, expected) => {
    const found = await problems('space.yaml', text)
    expect(found.find((p) => p.startsWith(expected))).toBeDefined()
  })

  test('tabs and line breaks in text (and CRLF) are fine; so is right-to-left text', async () => {
    const text = `title: Ventes\n${TABLES}      description: "one\\ttwo\\r\\nthree\\n"\ninstructions:\n  - content: |\n      Line one\n      \tindented with a tab\nsample_questions:\n  - "كم عدد الطلبات؟"\n`
    expect(await problems('space.yaml', text)).toEqual([])
  })

  test('in a payload, NUL in the title and ESC in a document line are located in the JSON', async () => {
    const text =
      '{"title": "t\\u0000", "serialized_space": {"version": 2, "data_sources": {"tables": [{"identifier": "a.b.c", "description": ["ok\\n", "x\\u001b"]}]}}}'
    expect(await problems('p.json', text)).toEqual([
      'p.json:1:11: title holds the control character U+0000 (NUL) at character 2; names, ids and titles may not hold control characters',
      'p.json:1:133: description holds the control character U+001B (ESC) at character 2; text may hold tabs and line breaks but no other control characters'
    ])
  })

  test('push refuses a definition whose identifier holds a NUL, before any request', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-strict-'))
    writeFileSync(path.join(dir, 'space.yaml'), 'title: t\ndata_sources:\n  tables:\n    - identifier: "main.sales.orders\\0; DROP"\n')
    const host = await rawHost('refuse')
    try {
      const r = await cli(['push', 'space.yaml', '--host', host.url, '--token', 'dapi-strict-0001'], { cwd: dir })
      expect(r.code).toBe(1)
      expect(r.err.trim()).toBe(
        'error: space.yaml:4:19: identifier holds the control character U+0000 (NUL) at character 18; names, ids and titles may not hold control characters (and 1 more; run spaceops validate space.yaml)'
      )
      expect(host.connections).toBe(0)
    } finally {
      await host.close()
    }
  })
})

describe('suite bounds', () => {
  const suite = (extra: string, query = '') => `name: s\n${extra}queries:\n  - question: How many orders?\n    expected_sql_contains: [COUNT]\n${query}`

  test('repeat: 1000000000 is refused at its place', async () => {
    expect(await problems('benchmarks/s.yaml', suite('', '    repeat: 1000000000\n'))).toEqual([
      `benchmarks/s.yaml:5:13: queries[0].repeat: at most ${SUITE_LIMITS.maxRepeat} (each question is asked that many times)`
    ])
    expect(await problems('benchmarks/s.yaml', suite('repeat: 21\n'))).toEqual([
      `benchmarks/s.yaml:2:9: repeat: at most ${SUITE_LIMITS.maxRepeat} (each question is asked that many times)`
    ])
  })

  test('min_passes is bounded and may not exceed repeat', async () => {
    expect(await problems('benchmarks/s.yaml', suite('min_passes: 1000\n'))).toEqual([
      `benchmarks/s.yaml:2:13: min_passes: at most ${SUITE_LIMITS.maxRepeat} (passes needed out of repeat)`
    ])
    expect(await problems('benchmarks/s.yaml', suite('', '    repeat: 3\n    min_passes: 4\n'))).toEqual([
      'benchmarks/s.yaml:6:17: min_passes 4 is more than repeat 3'
    ])
  })

  test('timeouts are bounded; the limits themselves are accepted', async () => {
    expect(await problems('benchmarks/s.yaml', suite('question_timeout_seconds: 3601\n'))).toEqual([
      'benchmarks/s.yaml:2:27: question_timeout_seconds: at most 3600 seconds'
    ])
    expect(await problems('benchmarks/s.yaml', suite('', '    timeout_seconds: 1e9\n'))).toEqual([
      'benchmarks/s.yaml:5:22: queries[0].timeout_seconds: at most 3600 seconds'
    ])
    expect(
      await problems(
        'benchmarks/s.yaml',
        suite(`repeat: ${SUITE_LIMITS.maxRepeat}\nmin_passes: ${SUITE_LIMITS.maxRepeat}\ntimeout_seconds: 86400\nquestion_timeout_seconds: 3600\n`)
      )
    ).toEqual([])
  })

  test(`a suite holds at most ${SUITE_LIMITS.maxQueries} queries`, async () => {
    const many = Array.from({ length: SUITE_LIMITS.maxQueries + 1 }, (_, i) => `  - question: Q${i}?\n    expected_sql_contains: [x]\n`).join('')
    expect(await problems('benchmarks/s.yaml', `queries:\n${many}`)).toEqual([
      `benchmarks/s.yaml:2:3: queries: a suite holds at most ${SUITE_LIMITS.maxQueries} queries`
    ])
  })
})
