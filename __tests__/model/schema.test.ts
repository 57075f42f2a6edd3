import { readFileSync } from 'node:fs'
import path from 'node:path'
import { authoringSchemaText } from '../../src/cli/commands/schema.js'
import { ROOT } from '../helpers/cli.js'

describe('JSON Schema of space.yaml', () => {
  it('is committed and matches the zod schema (run npm run build to refresh)', () => {
    expect(readFileSync(path.join(ROOT, 'schema/space.schema.json'), 'utf8')).toBe(authoringSchemaText())
  })

  it('describes the keys editors should complete', () => {
    const schema = JSON.parse(authoringSchemaText())
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['title', 'data_sources', 'joins', 'instructions', 'example_queries', 'benchmarks', 'measures'])
    )
    expect(schema.additionalProperties).toBe(false)
  })
})
