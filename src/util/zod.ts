import * as z from 'zod/mini'
import en from 'zod/v4/locales/en.js'

/**
 * zod set up once, for every schema SpaceOps builds. The schemas built at every start of the action
 * (definitions, suites, inputs) use zod/mini: the same checks, issues and JSON Schema as zod's
 * chained API, built and parsed in less time; each of their modules imports this one first, and so
 * do the entries (the action, the CLI), before any module builds a schema. (Each imports zod/mini
 * itself: re-exporting its namespace from here would keep every locale in the bundle.)
 * - English messages: zod's chained API registers them when its first schema is built, zod/mini
 *   never does, and without a locale every message is "Invalid input".
 * - `jitless`, which zod reads when an object schema is built: without it, zod compiles a fast path
 *   for each object schema on its first parse (`new Function`); a run parses each schema a handful
 *   of times, so that compile costs more than it saves (several milliseconds of the action's start).
 */
z.config(en())
z.config({ jitless: true })
