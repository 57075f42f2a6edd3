import type { ValidationReport } from '../core/validate.js'
import { formatProblem } from '../model/problems.js'

/** Markdown escaping for table cells and inline text. */
export function md(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ')
}

export function validationSummary(report: ValidationReport): string {
  const icon = report.valid ? '✅' : '❌'
  const lines = [
    `### ${icon} SpaceOps validate: ${report.files.length} definition${report.files.length === 1 ? '' : 's'}, ${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`,
    '',
    '| Definition | Result | Errors | Warnings |',
    '|---|---|---:|---:|',
    ...report.files.map((f) => `| ${md(f.file)} | ${f.valid ? 'valid' : '**invalid**'} | ${f.errors} | ${f.warnings} |`)
  ]
  if (report.problems.length) {
    lines.push(
      '',
      '<details><summary>Problems</summary>',
      '',
      '```text',
      ...report.problems.map((p) => formatProblem(p).replace(/```/g, "'''")),
      '```',
      '',
      '</details>'
    )
  }
  return `${lines.join('\n')}\n`
}
