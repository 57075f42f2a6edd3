/**
 * The API stores every long text as "one logical string split into lines": the elements are
 * concatenated with no separator, so each element but possibly the last ends with "\n"
 * (genie-api.md, "The serialized_space document"). Authoring YAML holds ordinary strings.
 */

/** Split text into the API's list-of-lines form. Empty text is an empty list. */
export function toLines(text: string): string[] {
  if (text === '') return []
  const out: string[] = []
  let start = 0
  for (;;) {
    const nl = text.indexOf('\n', start)
    if (nl === -1) {
      if (start < text.length) out.push(text.slice(start))
      return out
    }
    out.push(text.slice(start, nl + 1))
    start = nl + 1
  }
}

/** Join the API's list-of-lines form back into one string. */
export function fromLines(lines: readonly string[] | undefined): string {
  return lines ? lines.join('') : ''
}
