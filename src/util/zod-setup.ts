import { z } from 'zod'

/**
 * Imported first by each entry (the action, the CLI), before any module builds a schema: zod reads
 * `jitless` when an object schema is built. Without it, zod compiles a fast path for each object
 * schema on its first parse (`new Function`); a run parses each schema a handful of times, so that
 * compile costs more than it saves (measured: several milliseconds of the action's start).
 */
z.config({ jitless: true })
