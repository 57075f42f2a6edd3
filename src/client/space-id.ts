import { SpaceOpsError, type ErrorLocation } from '../util/errors.js'

/**
 * A space id as the API issues them. The docs give `space_id` as "32 hex" (genie-api.md, GenieSpace)
 * and every published response has 32 lowercase hex characters; they do not say the API never
 * answers in upper case, so either case is accepted — nothing else is. Call it wherever a space id
 * enters SpaceOps (a flag, an action input, a config file); the client calls it on every call too.
 * `where` names the source (`--space-id`, `input space-id`, `environments.dev.space_id`);
 * `location` (a file, line and column) is added to the error when given.
 */
export const SPACE_ID = /^[0-9a-f]{32}$/i

export function checkSpaceId(id: unknown, where: string, location?: ErrorLocation): string {
  if (typeof id === 'string' && SPACE_ID.test(id)) return id
  const shown = typeof id === 'string' ? JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id) : typeof id
  throw new SpaceOpsError(`${where}: ${shown} is not a Genie space id (32 hexadecimal characters)`, location ? { location } : {})
}
