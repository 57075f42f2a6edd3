import { expandDefinitions } from '../core/paths.js'
import { validateFiles, validationHeadline } from '../core/validate.js'
import { parseLimits } from '../validate/limits.js'
import { annotateProblems } from '../github/annotations.js'
import { validationSummary } from '../github/summary.js'
import type { ActionsRuntime } from '../github/actions.js'
import { JOB_SUMMARY_LIMIT, fitReport, trimmedNote } from '../github/fit.js'
import type { ActionInputs } from './inputs.js'
import type { LoadedSuite } from '../model/load.js'
import { SecretRegistry } from '../util/secrets.js'
import { SpaceOpsError } from '../util/errors.js'

/** mode: validate — the same core as `spaceops validate`, reported the Actions way. */
export async function validateMode(rt: ActionsRuntime, inputs: ActionInputs, secrets?: SecretRegistry): Promise<boolean> {
  const files = await expandDefinitions(inputs.definition, rt.cwd, { configs: true })
  const warehouseId = inputs['warehouse-id']
  if (inputs.preflight && !warehouseId) throw new SpaceOpsError('input preflight needs input warehouse-id (where expected_sql runs)')
  // the preflight runs expected_sql on the warehouse (benchmark/preflight.ts); validate is offline otherwise
  const preflight =
    inputs.preflight && warehouseId
      ? async (suites: readonly LoadedSuite[]) => {
          // loaded only for a preflight: validate alone needs no HTTP client
          const { actionClient, preflightSuites } = await import('../networked.js')
          return preflightSuites(actionClient(rt, inputs, secrets ?? new SecretRegistry()), suites, { warehouseId })
        }
      : undefined
  const report = await validateFiles(files, parseLimits(inputs.limits ? [inputs.limits] : []), rt.cwd, {
    ...(preflight ? { preflight } : {}),
    ...(inputs.concurrency !== undefined ? { concurrency: inputs.concurrency } : {})
  })
  annotateProblems(rt, report.problems)
  rt.info(validationHeadline(report))
  rt.setOutput('valid', String(report.valid))
  rt.setOutput('errors', String(report.errors))
  rt.setOutput('warnings', String(report.warnings))
  rt.setOutput('definitions', JSON.stringify(files))
  // Thousands of problems would pass GitHub's 1 MiB: keep as many lines as fit, say so, never fail for it.
  await rt.appendSummary(fitReport([validationSummary(report)], { limit: JOB_SUMMARY_LIMIT - 1024, unit: 'bytes', note: trimmedNote('summary') }).text)
  if (!report.valid) rt.setFailed(`${report.errors} validation error(s) in ${report.files.filter((f) => !f.valid).length} definition(s)`)
  return report.valid
}
