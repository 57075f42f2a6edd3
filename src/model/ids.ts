import { createHash } from 'node:crypto'

/**
 * Item ids. The API wants 32 lowercase hex characters (a UUID without dashes) that "need not be
 * random" (genie-api.md). An item without an id in the authoring YAML gets one derived from its
 * kind and its identity (question text, table pair, alias, …): rendering twice gives the same id,
 * and editing one item never renumbers another.
 */
export const ID_PATTERN = /^[0-9a-f]{32}$/

export function deriveId(kind: string, identity: string): string {
  return createHash('sha256').update(`spaceops:${kind}:${identity}`).digest('hex').slice(0, 32)
}

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id)
}
