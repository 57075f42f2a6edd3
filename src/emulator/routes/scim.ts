/**
 * `GET /api/2.0/preview/scim/v2/Me`: the caller (access.ts), as a SCIM User. For a service
 * principal `userName` is its application id (as the real API answers). The id is the stable
 * integer the emulator uses for the user (server.userIdFor), as a string as SCIM sends it.
 */
import type { RouteEnv } from '../env.js'
import { ok } from '../http.js'
import type { Router } from '../router.js'
import { callerOf } from '../access.js'
import { userIdFor } from '../server.js'

export function registerScimRoutes(router: Router, env: RouteEnv): void {
  router.add({
    method: 'GET',
    pattern: '/api/2.0/preview/scim/v2/Me',
    op: 'scim-me',
    handler: (req) => {
      const caller = callerOf(env, req.headers)
      return ok({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        id: String(userIdFor(caller.userName)),
        userName: caller.userName,
        displayName: caller.userName,
        active: true,
        groups: caller.groups.map((g) => ({ display: g, type: 'direct' }))
      })
    }
  })
}
