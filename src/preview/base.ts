import { z } from 'zod'
import { githubRequest, GitHubApiError, type GitHubClient } from '../github/octokit.js'
import type { RepoRef } from '../github/context.js'
import { SpaceOpsError } from '../util/errors.js'

/**
 * The base branch's version of a definition, for a preview of the base when the preview
 * environment has no space for it: `GET /repos/{owner}/{repo}/contents/{path}?ref=<base sha>`
 * (a workflow's checkout holds only the pull request's merge commit). A file the base does not
 * have (a space the pull request adds) is undefined: there is no base to compare with. The API
 * gives the content of files up to 1 MB in `content` (base64); a larger one is an error here.
 */
const ContentSchema = z.object({ type: z.literal('file'), encoding: z.literal('base64'), content: z.string() })

export type BaseReader = (file: string) => Promise<string | undefined>

export function baseDefinitionReader(client: GitHubClient, repo: RepoRef, ref: string): BaseReader {
  return async (file) => {
    const path = file.replace(/^\.\//, '')
    try {
      const res = await githubRequest(client, 'GET /repos/{owner}/{repo}/contents/{path}', { owner: repo.owner, repo: repo.repo, path, ref })
      const parsed = ContentSchema.safeParse(res.data)
      if (!parsed.success)
        throw new SpaceOpsError(`the base branch's ${path} (at ${ref.slice(0, 7)}) is not a file GitHub returns the content of (over 1 MB, or a folder)`)
      return Buffer.from(parsed.data.content.replace(/\s+/g, ''), 'base64').toString('utf8')
    } catch (err) {
      if (err instanceof GitHubApiError && err.status === 404) return undefined
      throw err
    }
  }
}
