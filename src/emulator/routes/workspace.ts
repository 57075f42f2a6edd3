/**
 * The slice of the Workspace API the space lifecycle needs: folders. genie-api.md: "the CLI
 * creates the folder (`POST /api/2.0/workspace/mkdirs`) and retries once".
 */
import type { RouteEnv } from '../env.js'
import { ApiError, invalidParameter, jsonBody, ok, optionalString } from '../http.js'
import type { Router } from '../router.js'
import { toWorkspacePath } from '../state.js'

function checkPath(path: string | undefined): string {
  if (path === undefined) throw invalidParameter('Missing required field: path')
  if (!path.startsWith('/') || path.split('/').some((seg) => seg === '..' || seg === '.')) {
    throw invalidParameter(`Path (${path}) is not an absolute workspace path`)
  }
  return path
}

export function registerWorkspaceRoutes(router: Router, env: RouteEnv): void {
  router.add({
    method: 'POST',
    pattern: '/api/2.0/workspace/mkdirs',
    op: 'mkdirs',
    handler: (req) => {
      const path = checkPath(optionalString(jsonBody(req.rawBody), 'path'))
      // Like `mkdir -p`: parents are created, an existing folder is fine. `/Users/x` = `/Workspace/Users/x`.
      env.state.mkdirs(path)
      return ok({})
    }
  })

  router.add({
    method: 'GET',
    pattern: '/api/2.0/workspace/get-status',
    op: 'get-status',
    handler: (req) => {
      const path = checkPath(req.query.get('path') ?? undefined)
      if (!env.state.folderExists(path)) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Path (${path}) doesn't exist.`)
      return ok({ object_type: 'DIRECTORY', path: toWorkspacePath(path) })
    }
  })
}
