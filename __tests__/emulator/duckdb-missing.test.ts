import { DUCKDB_MISSING, DuckDBMissingError, importDuckDB, type DuckModule } from '../../src/emulator/sql/duckdb.js'
import { SqlEngine } from '../../src/emulator/sql/engine.js'

// @duckdb/node-api is an optional dependency: its absence is simulated by importing, for real, a
// package of that scope that is not installed (the same resolution error a missing install gives).
const absent = (): Promise<DuckModule> => import(['@duckdb', 'node-api-not-installed'].join('/')) as Promise<DuckModule>

describe('DuckDB not installed', () => {
  it('importDuckDB turns the missing package into one line saying what to install', async () => {
    const err: unknown = await importDuckDB(absent).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DuckDBMissingError)
    expect((err as Error).message).toBe(DUCKDB_MISSING)
    expect(DUCKDB_MISSING).not.toContain('\n')
    expect(DUCKDB_MISSING).toContain('npm install -g "@duckdb/node-api@^')
  })

  it('passes any other failure on as it is', async () => {
    const boom = new Error('bad ELF header')
    await expect(importDuckDB(() => Promise.reject(boom))).rejects.toBe(boom)
    const other: unknown = await importDuckDB(() => import(['not-duckdb', 'absent'].join('-')) as Promise<DuckModule>).catch((e: unknown) => e)
    expect(other).not.toBeInstanceOf(DuckDBMissingError)
  })

  it('a statement fails with that line (no stack, no "Internal error"), and the operator is told once', async () => {
    const warned: string[] = []
    const engine = new SqlEngine({ clock: () => Date.UTC(2026, 11, 1), importDuckDB: absent, warn: (l) => warned.push(l) })
    const first = await engine.execute('SELECT 1')
    const second = await engine.execute('SELECT 2')
    for (const outcome of [first, second]) expect(outcome).toMatchObject({ ok: false, message: DUCKDB_MISSING })
    expect(warned).toEqual([DUCKDB_MISSING])
    await engine.close()
  })

  it('ready() (used for --dataset at start) rejects with the same line', async () => {
    const engine = new SqlEngine({ clock: () => 0, importDuckDB: absent })
    await expect(engine.ready()).rejects.toThrow(DUCKDB_MISSING)
    await engine.close()
  })
})
