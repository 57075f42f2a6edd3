/**
 * Whether the Actions runner would take a line as a workflow command (its two parsers): after leading
 * whitespace it starts with `::` and has a second `::` (`TryParseV2`), or it holds `##[` followed
 * later by `]` (the legacy `TryParse`, which looks anywhere in the line).
 */
export function isWorkflowCommand(line: string): boolean {
  const trimmed = line.replace(/^\s+/, '')
  if (trimmed.startsWith('::') && trimmed.indexOf('::', 2) >= 0) return true
  const legacy = line.indexOf('##[')
  return legacy >= 0 && line.indexOf(']', legacy) >= 0
}
