import { readFileSync } from 'node:fs'
import { commentMarker, upsertStickyComment } from '../github/comment.js'
import { readGitHubContext, type GitHubContext } from '../github/context.js'
import { COMMENT_BODY_LIMIT, JOB_SUMMARY_LIMIT, fitReport, trimmedNote } from '../github/fit.js'
import { createOctokit } from '../github/octokit.js'
import type { ActionsRuntime } from '../github/actions.js'
import { describeError } from '../util/errors.js'
import type { SecretRegistry } from '../util/secrets.js'
import type { ActionInputs } from './inputs.js'

/**
 * Publishing a report the GitHub way: the job summary (always, within its 1 MiB) and one sticky
 * pull-request comment per job and target (when in a pull request and `comment` is not false),
 * each degraded step by step to fit. A comment that cannot be written (a fork's read-only token,
 * no pull-requests: write) costs one warning, never the job.
 */
export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'off' | 'not-a-pull-request'

export function workflowContext(rt: ActionsRuntime): GitHubContext | undefined {
  if (!rt.env.GITHUB_REPOSITORY) return undefined
  try {
    return readGitHubContext(rt.env, (p) => readFileSync(p, 'utf8'))
  } catch (err) {
    rt.warning(`cannot read the workflow event: ${describeError(err)}`)
    return undefined
  }
}

export interface ReportOptions {
  /** `plan`, `drift`, `benchmark` … (part of the comment's marker) */
  kind: string
  /** distinguishes comments of the same kind: the target environment */
  target?: string
  /** renderings from most to least detailed */
  levels: readonly string[]
}

export async function publishReport(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry, options: ReportOptions): Promise<CommentOutcome> {
  const ctx = workflowContext(rt)
  // Redacted whole before fitReport cuts anything (a cut secret would no longer match).
  const levels = options.levels.map((l) => secrets.redact(l))
  const summary = fitReport(levels, { limit: JOB_SUMMARY_LIMIT - 1024, unit: 'bytes', note: trimmedNote('summary', ctx?.runUrl) })
  await rt.appendSummary(summary.text)

  if (inputs.comment === false) return 'off'
  if (!ctx?.pullRequest) return 'not-a-pull-request'
  const token = inputs['github-token']
  if (!token) {
    rt.warning('no github-token: the plan is in the job summary only (pass github-token, or leave its default)')
    return 'skipped'
  }
  secrets.add(token)
  const marker = commentMarker(options.kind, [ctx.job || 'job', options.target ?? 'default'])
  const body = fitReport(levels, { limit: COMMENT_BODY_LIMIT - marker.length - 16, note: trimmedNote('comment', ctx.runUrl) })
  try {
    const octokit = createOctokit(token, { fetch: globalThis.fetch, baseUrl: ctx.apiUrl })
    const result = await upsertStickyComment({
      octokit,
      repo: ctx.repo,
      issueNumber: ctx.pullRequest.number,
      marker,
      body: body.text,
      ...(ctx.runUrl ? { fullReportUrl: ctx.runUrl } : {})
    })
    if (result.action === 'skipped') {
      rt.warning(`${secrets.redact(result.reason)}. The report is in the job summary.`)
      return 'skipped'
    }
    rt.info(`pull request comment ${result.action}: ${result.url}`)
    return result.action
  } catch (err) {
    rt.warning(`could not write the pull request comment: ${secrets.redact(describeError(err))}. The report is in the job summary.`)
    return 'skipped'
  }
}
