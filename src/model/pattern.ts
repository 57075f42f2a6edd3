import { RE2JS } from 're2js'
import { oneLine } from '../util/errors.js'
import { RE2_SYNTAX_URL } from './suite.js'

// Its own module, so RE2 (re2js, a sixth of the action's validate bundle) is loaded only where a
// pattern is compiled: by the benchmark's scoring, and by validate when a suite has a pattern
// (validate/suite.ts imports this module dynamically).

/** An expected_sql_pattern ready to test SQL with. */
export interface CompiledPattern {
  readonly source: string
  test(text: string): boolean
}

/** A pattern RE2 cannot compile; the message is one line and names the syntax. */
export class PatternError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PatternError'
  }
}

const INLINE_FLAGS: Readonly<Record<string, number>> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, x: 0 }

/**
 * expected_sql_pattern compiled by RE2 (re2js): matching takes time linear in the SQL's length
 * whatever the pattern, so a pattern from a pull request such as `(a+)+X` cannot stall a run (a
 * backtracking engine like JavaScript's RegExp would block the event loop, where no timeout can
 * fire). The syntax is RE2's (https://github.com/google/re2/wiki/Syntax): no lookahead, lookbehind or backreferences. A
 * leading inline flag group such as `(?i)` (Python's spelling, which the original SpaceOps used)
 * is honoured; `x` there is accepted and ignored, as before.
 */
export function compilePattern(pattern: string): CompiledPattern {
  const m = /^\(\?([imsx]+)\)/.exec(pattern)
  const body = m ? pattern.slice(m[0].length) : pattern
  const flags = [...new Set(m?.[1] ?? '')].reduce((f, c) => f | (INLINE_FLAGS[c] ?? 0), 0)
  let re: RE2JS
  try {
    re = RE2JS.compile(body, flags)
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err)
    const hint = /\(\?<?[=!]|\\[1-9]/.test(body) ? 'lookahead, lookbehind and backreferences are not RE2 syntax; ' : ''
    throw new PatternError(`${oneLine(why)} (${hint}the syntax is RE2: ${RE2_SYNTAX_URL})`)
  }
  return { source: pattern, test: (text: string) => re.matcher(text).find() }
}
