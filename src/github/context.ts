import { z } from 'zod'
import { SpaceOpsError, oneLine } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import { DEFAULT_API_URL, listAllPages, type GitHubClient } from './octokit.js'

/**
 * The workflow run SpaceOps is in, read from the environment and the event payload file: a plain,
 * validated object, so nothing below reads `process.env` or `@actions/github`'s global context.
 */

export interface RepoRef {
  owner: string
  repo: string
}

export interface PullRequestContext {
  number: number
  /** `owner/name` of the head repository; null when that repository was deleted. */
  headRepoFullName: string | null
  baseRepoFullName: string
  /** The head is another repository (or a deleted one): its token is read-only on `pull_request`. */
  isFork: boolean
  baseSha: string
  headSha: string
}

export interface GitHubContext {
  eventName: string
  repo: RepoRef
  pullRequest?: PullRequestContext
  /** `GITHUB_API_URL` without a trailing slash (https://api.github.com by default). */
  apiUrl: string
  /** `GITHUB_SERVER_URL` without a trailing slash (https://github.com by default). */
  serverUrl: string
  /** The run's page, when `GITHUB_RUN_ID` is set. */
  runUrl?: string
  /** `GITHUB_JOB` (the job's id in the workflow), '' outside Actions. */
  job: string
  /** `GITHUB_SHA`, else the payload's `after`. */
  sha?: string
}

/** Events whose payload must carry a `pull_request`. */
export const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']

const RepoSchema = z.object({ full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name') })

const PullRequestSchema = z.object({
  number: z.number().int().positive(),
  head: z.object({ sha: z.string().min(1), repo: RepoSchema.nullable().optional() }),
  base: z.object({ sha: z.string().min(1), repo: RepoSchema })
})

const PayloadSchema = z.object({
  pull_request: PullRequestSchema.optional(),
  after: z.string().optional()
})

const EnvSchema = z.object({
  GITHUB_EVENT_NAME: z.string().min(1, 'is not set'),
  GITHUB_REPOSITORY: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name'),
  GITHUB_EVENT_PATH: z.string().optional(),
  GITHUB_API_URL: z.url().optional(),
  GITHUB_SERVER_URL: z.url().optional(),
  GITHUB_RUN_ID: z.string().regex(/^\d+$/, 'expected a number').optional(),
  GITHUB_JOB: z.string().optional(),
  GITHUB_SHA: z.string().optional()
})

function issuesText(error: z.ZodError, prefix = ''): string {
  const shown = error.issues.slice(0, 3).map((i) => {
    const at = [prefix, ...i.path.map(String)].filter(Boolean).join('.')
    return `${at || '(root)'}: ${i.message}`
  })
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : ''
  return oneLine(shown.join('; ') + more)
}

function nonEmpty(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name]
  return v === undefined || v.trim() === '' ? undefined : v.trim()
}

/**
 * Read the workflow context. `readFile` reads the event payload (`GITHUB_EVENT_PATH`) as text.
 * Throws a one-line `SpaceOpsError` when a variable or the payload is malformed.
 */
export function readGitHubContext(env: Record<string, string | undefined>, readFile: (path: string) => string): GitHubContext {
  const names = [
    'GITHUB_EVENT_NAME',
    'GITHUB_REPOSITORY',
    'GITHUB_EVENT_PATH',
    'GITHUB_API_URL',
    'GITHUB_SERVER_URL',
    'GITHUB_RUN_ID',
    'GITHUB_JOB',
    'GITHUB_SHA'
  ] as const
  const raw: Record<string, string | undefined> = {}
  for (const n of names) raw[n] = nonEmpty(env, n)
  raw.GITHUB_EVENT_NAME ??= ''
  raw.GITHUB_REPOSITORY ??= ''
  const parsedEnv = EnvSchema.safeParse(raw)
  if (!parsedEnv.success) throw new SpaceOpsError(`GitHub workflow environment: ${issuesText(parsedEnv.error)}`)
  const e = parsedEnv.data

  const eventName = e.GITHUB_EVENT_NAME
  const needsPr = PULL_REQUEST_EVENTS.includes(eventName)
  let payloadValue: unknown = {}
  if (e.GITHUB_EVENT_PATH) {
    let text: string
    try {
      text = readFile(e.GITHUB_EVENT_PATH)
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      throw new SpaceOpsError(`cannot read the ${eventName} event payload (GITHUB_EVENT_PATH): ${why}`, { location: { file: e.GITHUB_EVENT_PATH } })
    }
    try {
      payloadValue = JSON.parse(text) as unknown
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      throw new SpaceOpsError(`the ${eventName} event payload is not valid JSON: ${why}`, { location: { file: e.GITHUB_EVENT_PATH } })
    }
    if (typeof payloadValue !== 'object' || payloadValue === null || Array.isArray(payloadValue)) {
      throw new SpaceOpsError(`the ${eventName} event payload is not a JSON object`, { location: { file: e.GITHUB_EVENT_PATH } })
    }
  } else if (needsPr) {
    throw new SpaceOpsError(`GITHUB_EVENT_PATH is not set, so the ${eventName} event's pull request is unknown`)
  }

  const payload = PayloadSchema.safeParse(payloadValue)
  if (!payload.success) {
    throw new SpaceOpsError(
      `the ${eventName} event payload is malformed: ${issuesText(payload.error)}`,
      e.GITHUB_EVENT_PATH ? { location: { file: e.GITHUB_EVENT_PATH } } : {}
    )
  }
  const pr = payload.data.pull_request
  if (needsPr && !pr) {
    throw new SpaceOpsError(`the ${eventName} event payload has no pull_request`, e.GITHUB_EVENT_PATH ? { location: { file: e.GITHUB_EVENT_PATH } } : {})
  }

  const [owner = '', repo = ''] = e.GITHUB_REPOSITORY.split('/')
  const serverUrl = (e.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')
  const ctx: GitHubContext = {
    eventName,
    repo: { owner, repo },
    apiUrl: (e.GITHUB_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, ''),
    serverUrl,
    job: e.GITHUB_JOB ?? ''
  }
  if (e.GITHUB_RUN_ID) ctx.runUrl = `${serverUrl}/${owner}/${repo}/actions/runs/${e.GITHUB_RUN_ID}`
  const sha = e.GITHUB_SHA ?? payload.data.after
  if (sha) ctx.sha = sha
  if (pr) {
    const head = pr.head.repo?.full_name ?? null
    const base = pr.base.repo.full_name
    ctx.pullRequest = {
      number: pr.number,
      headRepoFullName: head,
      baseRepoFullName: base,
      isFork: head === null || head.toLowerCase() !== base.toLowerCase(),
      baseSha: pr.base.sha,
      headSha: pr.head.sha
    }
  }
  return ctx
}

/** GitHub lists at most this many files of a pull request. */
export const PULL_REQUEST_FILES_CAP = 3000

export interface ChangedFiles {
  /** Every path the pull request touches, in GitHub's order: renames give both the old and the new path. */
  files: string[]
  /** GitHub's 3000-file cap was reached: the pull request may touch files not listed. */
  capped: boolean
  /** Set when capped: what to tell the user. */
  warning?: string
}

const PullFileSchema = z.object({
  filename: z.string().min(1),
  status: z.string().optional(),
  previous_filename: z.string().min(1).optional()
})

/** Every file path a pull request touches (`GET /repos/{owner}/{repo}/pulls/{n}/files`, all pages). */
export async function listChangedFiles(
  client: GitHubClient,
  ctx: Pick<GitHubContext, 'repo' | 'pullRequest' | 'eventName'>,
  options: { logger?: Logger } = {}
): Promise<ChangedFiles> {
  const pr = ctx.pullRequest
  if (!pr) throw new SpaceOpsError(`changed files need a pull request, and the ${ctx.eventName} event has none`)
  const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files'
  const listed = await listAllPages(
    client,
    route,
    { owner: ctx.repo.owner, repo: ctx.repo.repo, pull_number: pr.number },
    {
      perPage: 100,
      maxItems: PULL_REQUEST_FILES_CAP,
      parseItem: (item, i) => {
        const r = PullFileSchema.safeParse(item)
        if (!r.success)
          throw new SpaceOpsError(
            `GitHub API ${route.replace('{pull_number}', String(pr.number))} answered an unexpected file entry: ${issuesText(r.error, `[${i}]`)}`
          )
        return r.data
      }
    }
  )
  const seen = new Set<string>()
  const files: string[] = []
  for (const f of listed.items) {
    for (const path of [f.previous_filename, f.filename]) {
      if (path !== undefined && !seen.has(path)) {
        seen.add(path)
        files.push(path)
      }
    }
  }
  const result: ChangedFiles = { files, capped: listed.capped }
  if (listed.capped) {
    result.warning = `pull request #${pr.number} touches at least ${PULL_REQUEST_FILES_CAP} files and GitHub lists only the first ${PULL_REQUEST_FILES_CAP}: changes to later files are not seen`
    options.logger?.warn(result.warning)
  }
  return result
}
