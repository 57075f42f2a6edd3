/**
 * The slice of the Workspace API SpaceOps needs: folders for spaces (genie-api.md: "the CLI creates
 * the folder (`POST /api/2.0/workspace/mkdirs`) and retries once") and workspace files for deploy
 * records and locks (genie-api.md, "Workspace files": `import` `{path, content (base64), format,
 * overwrite}`, `export?path=…&format=SOURCE` → `{content}`, `get-status`, `list`, `delete`; missing
 * paths answer 404 `RESOURCE_DOES_NOT_EXIST`).
 *
 * Choices where the docs are silent (each the stricter reading, so the emulator is never easier):
 * - import into a folder that does not exist answers 404 RESOURCE_DOES_NOT_EXIST (the docs do not say
 *   whether import creates parents; SpaceOps always runs mkdirs first);
 * - import over an existing path with `overwrite` false answers 400 RESOURCE_ALREADY_EXISTS (the docs
 *   name the code, not the status; Databricks answers 400 for it elsewhere); over a folder, always;
 * - `content` is required and must be valid base64; `format` is case sensitive, one of the documented
 *   values; only AUTO (or SOURCE with a language, which makes a notebook the emulator does not keep)
 *   imports a file — the emulator serves AUTO only and refuses the rest by name;
 * - imports are limited to 10 MB of content (the documented import limit);
 * - `list` of an empty folder answers `{}` (no `objects` key), as the real API does;
 * - `export` of a folder with format SOURCE answers 400 (folders export only as DBC/ZIP archives);
 * - `delete` of a non-empty folder without `recursive` answers 400 DIRECTORY_NOT_EMPTY.
 * Access: `POST /_emulator/workspace/acl {path, access: read|none|write}` makes a folder read-only
 * (writes answer 403 PERMISSION_DENIED) or unreadable (reads too), to test how SpaceOps reports it.
 */
import type { RouteEnv } from '../env.js'
import { ApiError, invalidParameter, jsonBody, jsonType, ok, optionalString } from '../http.js'
import type { Router } from '../router.js'
import { toWorkspacePath, type WorkspaceFile } from '../state.js'

const IMPORT_FORMATS = ['AUTO', 'SOURCE', 'HTML', 'JUPYTER', 'DBC', 'R_MARKDOWN'] as const
const MAX_IMPORT_BYTES = 10 * 1024 * 1024

function checkPath(path: string | undefined): string {
  if (path === undefined) throw invalidParameter('Missing required field: path')
  if (!path.startsWith('/') || path.split('/').some((seg) => seg === '..' || seg === '.')) {
    throw invalidParameter(`Path (${path}) is not an absolute workspace path`)
  }
  if (/[\u0000-\u001f\u007f]/.test(path)) throw invalidParameter(`Path (${JSON.stringify(path)}) contains control characters`)
  return path
}

const parentOf = (path: string) => toWorkspacePath(path).replace(/\/[^/]*$/, '') || '/Workspace'
const missing = (path: string) => new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Path (${path}) doesn't exist.`)
const denied = (path: string, what: 'read' | 'write') =>
  new ApiError(403, 'PERMISSION_DENIED', `User does not have ${what === 'read' ? 'READ' : 'EDIT'} permission on ${toWorkspacePath(path)}`)

function fileInfo(f: WorkspaceFile): Record<string, unknown> {
  return {
    object_type: 'FILE',
    path: f.path,
    object_id: f.object_id,
    created_at: f.created_at,
    modified_at: f.modified_at,
    size: Buffer.from(f.content, 'base64').length,
    resource_id: String(f.object_id)
  }
}

const folderInfo = (path: string) => ({ object_type: 'DIRECTORY', path: toWorkspacePath(path) })

function isBase64(s: string): boolean {
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s)
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean {
  const v = body[field]
  if (v === undefined || v === null) return false
  if (typeof v !== 'boolean') throw invalidParameter(`Invalid value for field ${field}: expected a boolean, got ${jsonType(v)}`)
  return v
}

export function registerWorkspaceRoutes(router: Router, env: RouteEnv): void {
  const canRead = (path: string) => {
    if (env.state.accessAt(path) === 'none') throw denied(path, 'read')
  }
  const canWrite = (path: string) => {
    const a = env.state.accessAt(path)
    if (a !== 'write') throw denied(path, a === 'none' ? 'read' : 'write')
  }

  router.add({
    method: 'POST',
    pattern: '/api/2.0/workspace/mkdirs',
    op: 'mkdirs',
    handler: (req) => {
      const path = checkPath(optionalString(jsonBody(req.rawBody), 'path'))
      if (env.state.getFile(path)) throw new ApiError(400, 'RESOURCE_ALREADY_EXISTS', `Path (${path}) already exists and is not a directory.`)
      if (!env.state.folderExists(path)) canWrite(path)
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
      canRead(path)
      const file = env.state.getFile(path)
      if (file) return ok(fileInfo(file))
      if (!env.state.folderExists(path)) throw missing(path)
      return ok(folderInfo(path))
    }
  })

  router.add({
    method: 'POST',
    pattern: '/api/2.0/workspace/import',
    op: 'import',
    handler: (req) => {
      const body = jsonBody(req.rawBody)
      const path = checkPath(optionalString(body, 'path'))
      const format = optionalString(body, 'format') ?? 'SOURCE'
      if (!(IMPORT_FORMATS as readonly string[]).includes(format)) {
        throw invalidParameter(`Invalid value for field format: ${format} (one of ${IMPORT_FORMATS.join(', ')}; case sensitive)`)
      }
      if (format !== 'AUTO') {
        throw invalidParameter(
          `format ${format} imports a notebook or an archive; a workspace file is imported with format AUTO (the emulator serves files only)`
        )
      }
      const content = body.content
      if (content === undefined || content === null) throw invalidParameter('Missing required field: content')
      if (typeof content !== 'string') throw invalidParameter(`Invalid value for field content: expected a string, got ${jsonType(content)}`)
      if (!isBase64(content)) throw invalidParameter('The content is not valid base64')
      if (Buffer.from(content, 'base64').length > MAX_IMPORT_BYTES)
        throw new ApiError(400, 'MAX_NOTEBOOK_SIZE_EXCEEDED', `File size exceeds the 10 MB import limit`)
      const overwrite = optionalBoolean(body, 'overwrite')
      if (!env.state.folderExists(parentOf(path))) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `The parent folder (${parentOf(path)}) does not exist.`)
      canWrite(path)
      if (env.state.folderExists(path)) throw new ApiError(400, 'RESOURCE_ALREADY_EXISTS', `Path (${path}) already exists.`)
      if (env.state.getFile(path) && !overwrite) throw new ApiError(400, 'RESOURCE_ALREADY_EXISTS', `Path (${path}) already exists.`)
      env.state.putFile(path, content, env.clock())
      return ok({})
    }
  })

  router.add({
    method: 'GET',
    pattern: '/api/2.0/workspace/export',
    op: 'export',
    handler: (req) => {
      const path = checkPath(req.query.get('path') ?? undefined)
      const format = req.query.get('format') ?? 'SOURCE'
      if (!['SOURCE', 'HTML', 'JUPYTER', 'DBC', 'R_MARKDOWN', 'AUTO', 'RAW'].includes(format))
        throw invalidParameter(`Invalid value for field format: ${format}`)
      if (req.query.get('direct_download') === 'true') throw invalidParameter('direct_download is not served by the emulator (SpaceOps reads the JSON answer)')
      canRead(path)
      const file = env.state.getFile(path)
      if (file) return ok({ content: file.content, file_type: (/\.([A-Za-z0-9]+)$/.exec(path)?.[1] ?? '').toLowerCase() })
      if (env.state.folderExists(path)) throw invalidParameter(`Path (${path}) is a directory: export it as DBC or ZIP`)
      throw missing(path)
    }
  })

  router.add({
    method: 'GET',
    pattern: '/api/2.0/workspace/list',
    op: 'workspace-list',
    handler: (req) => {
      const path = checkPath(req.query.get('path') ?? undefined)
      canRead(path)
      const file = env.state.getFile(path)
      if (file) return ok({ objects: [fileInfo(file)] })
      if (!env.state.folderExists(path)) throw missing(path)
      const { folders, files } = env.state.children(path)
      const objects = [...folders.map(folderInfo), ...files.map(fileInfo)]
      // the real API leaves `objects` out for an empty folder
      return ok(objects.length ? { objects } : {})
    }
  })

  router.add({
    method: 'POST',
    pattern: '/api/2.0/workspace/delete',
    op: 'workspace-delete',
    handler: (req) => {
      const body = jsonBody(req.rawBody)
      const path = checkPath(optionalString(body, 'path'))
      const recursive = optionalBoolean(body, 'recursive')
      canWrite(path)
      if (env.state.getFile(path)) {
        env.state.deleteFile(path)
        return ok({})
      }
      if (!env.state.folderExists(path)) throw missing(path)
      const { folders, files } = env.state.children(path)
      if ((folders.length || files.length) && !recursive) throw new ApiError(400, 'DIRECTORY_NOT_EMPTY', `Folder (${path}) is not empty. Use recursive delete.`)
      env.state.deleteFolder(path)
      return ok({})
    }
  })

  router.add({
    method: 'POST',
    pattern: '/_emulator/workspace/acl',
    op: 'admin-workspace-acl',
    handler: (req) => {
      const body = jsonBody(req.rawBody)
      const path = checkPath(optionalString(body, 'path'))
      const access = body.access
      if (access !== 'read' && access !== 'none' && access !== 'write') throw invalidParameter('access must be read, none or write')
      env.state.setAccess(path, access)
      return ok({ path: toWorkspacePath(path), access })
    }
  })

  router.add({
    method: 'GET',
    pattern: '/_emulator/workspace/files',
    op: 'admin-workspace-files',
    handler: () => ok({ files: env.state.snapshot().files.map((f) => ({ path: f.path, content: Buffer.from(f.content, 'base64').toString('utf8') })) })
  })
}
