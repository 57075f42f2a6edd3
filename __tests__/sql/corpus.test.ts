import { extractColumns, extractTables, tableNames, tokenize } from '../../src/sql/index.js'
import { CORPUS } from './corpus.js'

describe('SQL corpus', () => {
  it('has at least 40 statements', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40)
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length)
  })

  describe.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('finds exactly the expected tables, in order of appearance', () => {
      expect(tableNames(c.sql)).toEqual(c.tables)
    })

    it('finds exactly the expected columns', () => {
      expect([...extractColumns(c.sql)].sort()).toEqual([...c.columns].sort())
    })

    it('tokenizes losslessly', () => {
      expect(
        tokenize(c.sql)
          .map((t) => t.text)
          .join('')
      ).toBe(c.sql)
    })

    it('locates every table name in the text', () => {
      for (const t of extractTables(c.sql)) {
        const written = c.sql.slice(t.start, t.end)
        expect(written.replace(/`/g, '').replace(/\s+/g, '').toLowerCase()).toBe(t.name)
      }
    })
  })
})
