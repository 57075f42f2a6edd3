import { z } from 'zod'
import { SpaceOpsError } from '../util/errors.js'
import { silentLogger, type Logger } from '../util/logger.js'
import type { RepoRef } from './context.js'
import { COMMENT_BODY_LIMIT, sizeOf, trimmedNote, truncateMarkdown } from './fit.js'
import { GitHubApiError, githubRequest, listAllPages, routeLabel, type GitHubClient } from './octokit.js'

/**
 * The sticky pull-request comment: one comment per (kind, job, target) that SpaceOps keeps up to
 * date instead of adding another on every run. A hidden marker at the start of the body finds it;
 * only comments by the identity that posts count, so a lookalike by someone else is never edited.
 */

/** The login that comments made with a workflow's GITHUB_TOKEN carry. */
export const GITHUB_ACTIONS_BOT = 'github-actions[bot]'

function sanitizeMarkerPart(part: string): string {
  return part
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 100)
}

/**
 * The hidden marker of one sticky comment, e.g. `commentMarker('plan', 'dev')` →
 * `<!-- spaceops:plan:dev -->`, `commentMarker('plan', [job, env])` → `<!-- spaceops:plan:job:env -->`.
 * Every part is reduced to `[A-Za-z0-9._-]` (so it can neither end the HTML comment nor contain `--`).
 */
export function commentMarker(kind: string, key: string | readonly string[]): string {
  const parts = (typeof key === 'string' ? [key] : [...key]).map(sanitizeMarkerPart).filter((p) => p !== '')
  return `<!-- spaceops:${sanitizeMarkerPart(kind) || 'report'}:${parts.join(':') || 'default'} -->`
}

/** Whether a comment body is one carrying `marker` (at its start, as SpaceOps writes it). */
export function hasMarker(body: string, marker: string): boolean {
  return body
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith(marker)
}

/** The body as posted: the marker on the first line, then `body` (unless it already starts with the marker). */
export function markedBody(marker: string, body: string): string {
  return hasMarker(body, marker) ? body : `${marker}\n${body}`
}

/** Bodies GitHub would show the same: line endings and trailing whitespace do not count. */
function sameBody(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\r\n?/g, '\n').trimEnd()
  return norm(a) === norm(b)
}

const CommentSchema = z.object({
  id: z.number().int(),
  body: z.string().nullish(),
  user: z.object({ login: z.string() }).nullable(),
  html_url: z.string(),
  created_at: z.string().optional()
})
export type IssueComment = z.infer<typeof CommentSchema>

const UserSchema = z.object({ login: z.string().min(1) })

function parseComment(route: string, value: unknown): IssueComment {
  const r = CommentSchema.safeParse(value)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new SpaceOpsError(`GitHub API ${route} answered an unexpected comment: ${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'}`)
  }
  return r.data
}

/**
 * The login of the token's identity: `GET /user` when the token may read it (a personal token),
 * else `github-actions[bot]` (GITHUB_TOKEN answers 403 there). A GitHub App token also cannot read
 * `/user`: pass its `<app-slug>[bot]` login as `author` to `upsertStickyComment` instead.
 */
export async function resolveCommentAuthor(client: GitHubClient, logger: Logger = silentLogger): Promise<string> {
  try {
    const res = await githubRequest(client, 'GET /user')
    const user = UserSchema.safeParse(res.data)
    if (user.success) return user.data.login
    logger.debug(`GET /user answered no login; assuming comments are by ${GITHUB_ACTIONS_BOT}`)
  } catch (err) {
    if (!(err instanceof GitHubApiError) || ![401, 403, 404].includes(err.status)) throw err
    logger.debug(`GET /user answered ${err.status}; assuming comments are by ${GITHUB_ACTIONS_BOT}`)
  }
  return GITHUB_ACTIONS_BOT
}

/** Every comment of an issue or pull request, all pages (100 a page). */
export async function listIssueComments(client: GitHubClient, repo: RepoRef, issueNumber: number): Promise<IssueComment[]> {
  const route = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments'
  const params = { owner: repo.owner, repo: repo.repo, issue_number: issueNumber }
  const label = routeLabel(route, params)
  const { items } = await listAllPages(client, route, params, { perPage: 100, parseItem: (c) => parseComment(label, c) })
  return items
}

export interface StickyMatches {
  /** SpaceOps' own comments carrying the marker, newest first. */
  own: IssueComment[]
  /** Comments carrying the marker by anyone else: ignored. */
  lookalikes: IssueComment[]
}

function newestFirst(a: IssueComment, b: IssueComment): number {
  const ta = a.created_at ? Date.parse(a.created_at) : NaN
  const tb = b.created_at ? Date.parse(b.created_at) : NaN
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return tb - ta
  return b.id - a.id
}

/** Split the comments carrying `marker` into the author's own (newest first) and lookalikes. */
export function matchStickyComments(comments: readonly IssueComment[], marker: string, author: string): StickyMatches {
  const marked = comments.filter((c) => hasMarker(c.body ?? '', marker))
  const mine = (c: IssueComment) => (c.user?.login ?? '').toLowerCase() === author.toLowerCase()
  return { own: marked.filter(mine).sort(newestFirst), lookalikes: marked.filter((c) => !mine(c)) }
}

export interface UpsertStickyCommentOptions {
  octokit: GitHubClient
  repo: RepoRef
  issueNumber: number
  /** From `commentMarker(kind, key)`. */
  marker: string
  /** The Markdown to show; the marker is put in front of it. Fit it with `fitReport` first. */
  body: string
  logger?: Logger
  /** The login that posts, when known (e.g. `my-app[bot]`); looked up with `GET /user` otherwise. */
  author?: string
  /** Where the untrimmed report is, for the note if the body must still be cut to fit. */
  fullReportUrl?: string
}

export type UpsertStickyCommentResult =
  | { action: 'created' | 'updated' | 'unchanged'; commentId: number; url: string }
  | { action: 'skipped'; reason: string; status: number }

/** An answer that means "this token may not comment here", as opposed to a failure. */
function permissionProblem(err: unknown): GitHubApiError | undefined {
  if (!(err instanceof GitHubApiError)) return undefined
  if (err.status === 401 || err.status === 404) return err
  if (err.status === 403 && !/rate limit|abuse/i.test(err.apiMessage)) return err
  return undefined
}

function skipped(err: GitHubApiError, issueNumber: number): UpsertStickyCommentResult {
  const answer = `${err.status}${err.apiMessage ? ` "${err.apiMessage}"` : ''}`
  const why =
    err.status === 401
      ? 'the token was rejected'
      : err.status === 404
        ? 'the pull request is not visible to this token'
        : 'the token may not write comments here'
  const hint =
    err.status === 401
      ? 'check the github-token input'
      : 'a pull request from a fork gets a read-only GITHUB_TOKEN; otherwise give the job "permissions: pull-requests: write"'
  return {
    action: 'skipped',
    status: err.status,
    reason: `cannot comment on #${issueNumber}: ${why} (GitHub answered ${answer} to ${err.route}); ${hint}`
  }
}

/**
 * Create SpaceOps' sticky comment, or update the one it posted before (the newest, when a race left
 * several), or leave it when the body is the same. "No permission" answers (401, 403 other than
 * rate limits, 404) return `{ action: 'skipped', reason }` for the caller to warn about once; any
 * other failure throws a one-line `GitHubApiError`.
 */
export async function upsertStickyComment(options: UpsertStickyCommentOptions): Promise<UpsertStickyCommentResult> {
  const { octokit, repo, issueNumber, marker } = options
  const logger = options.logger ?? silentLogger
  if (!/^<!--[^\n]*-->$/.test(marker) || marker.slice(4, -3).includes('--')) {
    throw new SpaceOpsError(`not a comment marker: ${JSON.stringify(marker)} (build it with commentMarker)`)
  }
  let body = markedBody(marker, options.body)
  if (sizeOf(body, 'characters') > COMMENT_BODY_LIMIT) {
    logger.warn(`the comment body has ${sizeOf(body, 'characters')} characters, more than GitHub's ${COMMENT_BODY_LIMIT}: cutting it`)
    body = truncateMarkdown(body, COMMENT_BODY_LIMIT, { unit: 'characters', suffix: `\n\n> ⚠️ ${trimmedNote('comment', options.fullReportUrl)}\n` })
  }

  try {
    const author = options.author ?? (await resolveCommentAuthor(octokit, logger))
    const comments = await listIssueComments(octokit, repo, issueNumber)
    const { own, lookalikes } = matchStickyComments(comments, marker, author)
    for (const c of lookalikes)
      logger.debug(`ignoring comment ${c.id} by ${c.user?.login ?? 'a deleted user'}: it carries ${marker} but was not posted by ${author}`)
    if (own.length > 1) logger.debug(`${own.length} comments by ${author} carry ${marker}; updating the newest (${own[0]?.id})`)

    const existing = own[0]
    if (existing) {
      if (sameBody(existing.body ?? '', body)) {
        logger.info(`PR comment unchanged: ${existing.html_url}`)
        return { action: 'unchanged', commentId: existing.id, url: existing.html_url }
      }
      const route = 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}'
      const params = { owner: repo.owner, repo: repo.repo, comment_id: existing.id }
      try {
        const res = await githubRequest(octokit, route, { ...params, body })
        const updated = parseComment(routeLabel(route, params), res.data)
        logger.info(`PR comment updated: ${updated.html_url}`)
        return { action: 'updated', commentId: updated.id, url: updated.html_url }
      } catch (err) {
        // Deleted since it was listed: post a new one.
        if (!(err instanceof GitHubApiError && err.status === 404)) throw err
        logger.debug(`comment ${existing.id} is gone; creating a new one`)
      }
    }

    const route = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments'
    const params = { owner: repo.owner, repo: repo.repo, issue_number: issueNumber }
    const res = await githubRequest(octokit, route, { ...params, body })
    const created = parseComment(routeLabel(route, params), res.data)
    logger.info(`PR comment created: ${created.html_url}`)
    return { action: 'created', commentId: created.id, url: created.html_url }
  } catch (err) {
    const denied = permissionProblem(err)
    if (denied) return skipped(denied, issueNumber)
    throw err
  }
}
