/**
 * Loading DuckDB, the emulator's SQL warehouse. `@duckdb/node-api` is an optional peer dependency:
 * the CLI bundle leaves it out (`-e @duckdb/node-api`) and an install of SpaceOps does not bring it
 * (with its native binding it is most of an install's size; npm does not install optional peers,
 * whereas an optional dependency is installed by default and `npm install -g --omit=optional` of a
 * tarball installs it anyway, npm/cli#8284). Everything but the emulator's SQL runs without it; when
 * the emulator needs it and it is not there, this one line says what to install.
 */
import pkg from '../../../package.json' with { type: 'json' }

export type DuckModule = typeof import('@duckdb/node-api')

/** The range SpaceOps is tested with (package.json's peer dependency). */
export const DUCKDB_RANGE: string = pkg.peerDependencies['@duckdb/node-api']

export const DUCKDB_MISSING = `the emulator's SQL warehouse needs @duckdb/node-api, which is not installed (an optional peer dependency of spaceops): npm install -g "@duckdb/node-api@${DUCKDB_RANGE}" (without -g next to a local install of spaceops)`

/** DuckDB (or its native binding for this platform) could not be found. */
export class DuckDBMissingError extends Error {
  constructor() {
    super(DUCKDB_MISSING)
    this.name = 'DuckDBMissingError'
  }
}

/** A module-not-found error (ESM `ERR_MODULE_NOT_FOUND` or CommonJS `MODULE_NOT_FOUND`) for a @duckdb/ package. */
// Read by shape, not `instanceof Error`: the error may come from another realm (a vm context).
function isMissingDuckDB(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const { code, message } = err as { code?: unknown; message?: unknown }
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes('@duckdb/')
}

/**
 * The dynamic import as written, resolved by Node next to the running file. `webpackIgnore` keeps the
 * bundler from turning it into a static import at the top of the bundle (which made every command of
 * the CLI bundle fail to start without the package).
 */
const importInstalled = (): Promise<DuckModule> => import(/* webpackIgnore: true */ '@duckdb/node-api')

/**
 * Import DuckDB through `importer` (the real dynamic import by default; a test passes one that
 * imports a package that is not installed). A missing package or native binding becomes
 * DuckDBMissingError; any other failure is passed on as it is.
 */
export async function importDuckDB(importer: () => Promise<DuckModule> = importInstalled): Promise<DuckModule> {
  try {
    return await importer()
  } catch (err) {
    if (isMissingDuckDB(err)) throw new DuckDBMissingError()
    throw err
  }
}
