/**
 * The one way SpaceOps prints text it did not write: space titles, descriptions, questions, file
 * paths, API error bodies, Genie answers. Two threats, one module:
 *
 * - A workflow log is a command channel. The Actions runner splits what a step prints into lines at
 *   `\n`, `\r` and `\r\n`, and runs a line as a command when, after trimming leading whitespace, it
 *   starts with `::` (`::error …::`, `::add-mask::`, `::stop-commands::` …), or when it contains
 *   `##[<registered command>…]` anywhere (the legacy form). A title holding `\n::error file=…::` must
 *   therefore never reach a line start, and no line may carry either form.
 * - A terminal obeys control characters: ANSI escapes rewrite the screen, `\r` overwrites a line,
 *   bidirectional overrides make text read differently from what it is.
 *
 * `printable(value)` is for one untrusted value inside a line (and for whole one-line messages):
 * every control character, line break and bidi control becomes a visible escape (`\n`, `\u001b`),
 * and `##[` becomes `##\[`.
 * `LineGuard` / `printableLines(text)` is for multi-line text SpaceOps prints deliberately (a plan):
 * lines stay lines, but control characters inside them are escaped and no line can start or carry a
 * workflow command (`::x` → `:\:x`, `##[` → `##\[`). Both faces print through these at their edge:
 * the action's runtime (`github/actions.ts`) and the CLI's streams (`cli/index.ts`).
 */

/**
 * C0 controls (tab and line feed included), DEL, C1 controls (NEL U+0085 among them), the Unicode
 * line and paragraph separators, and the bidi embedding / override / isolate controls.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escapeChar(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
}

/**
 * One untrusted value made safe to embed in a line: nothing in it can break, colour or reorder the
 * line, and it carries no legacy `##[` command (which the runner finds anywhere in a line). Whether
 * the line STARTS a command depends on what precedes the value: the printing edge decides that.
 */
export function printable(value: string): string {
  return value.replace(UNPRINTABLE, escapeChar).replace(/##\[/g, '##\\[')
}

/** Everything `printable` escapes except the tab and the line feed (and `\r\n`, read as a line feed). */
function escapeInLines(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNPRINTABLE, (c) => (c === '\n' || c === '\t' ? c : escapeChar(c)))
}

/**
 * What the runner's `TrimStart()` (.NET `char.IsWhiteSpace`) skips before looking for `::`. JavaScript's
 * `\s` is a superset of it apart from U+0085, which `escapeInLines` has already turned into text.
 */
const LEADING_SPACE = /\s/

/**
 * Neutralises workflow commands in a stream of text written in chunks (a chunk may end mid-line),
 * after escaping control characters. State: whether the current line so far is only whitespace (and
 * maybe one `:`), and its last two characters (for `##[` split across chunks).
 */
export class LineGuard {
  private lead: 'blank' | 'colon' | 'text' = 'blank'
  private tail = ''

  write(chunk: string): string {
    let out = ''
    for (const ch of escapeInLines(chunk)) {
      if (ch === '\n') {
        out += ch
        this.lead = 'blank'
        this.tail = ''
        continue
      }
      let emit = ch
      if (this.lead === 'blank') {
        if (ch === ':') this.lead = 'colon'
        else if (!LEADING_SPACE.test(ch)) this.lead = 'text'
      } else if (this.lead === 'colon') {
        // `::` at the start of a line: a backslash between the colons keeps the text readable and
        // makes it no command.
        if (ch === ':') emit = '\\:'
        this.lead = 'text'
      }
      if (ch === '[' && this.tail === '##') emit = '\\['
      out += emit
      this.tail = (this.tail + ch).slice(-2)
    }
    return out
  }
}

/** Multi-line text SpaceOps prints deliberately, made safe line by line (see `LineGuard`). */
export function printableLines(text: string): string {
  return new LineGuard().write(text)
}
