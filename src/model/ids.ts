import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * Item ids. The API wants 32 lowercase hex characters (a UUID without dashes) that "need not be
 * random" (genie-api.md). An item without an id in the authoring YAML gets one derived from its
 * kind and its identity (question text, table pair, alias, …): rendering twice gives the same id,
 * and editing one item never renumbers another.
 */
export const ID_PATTERN = /^[0-9a-f]{32}$/

export function deriveId(kind: string, identity: string): string {
  // SHA-256 from @noble/hashes rather than node:crypto: the same digest, without loading node:crypto
  // (about 2.5 ms of every start; validate derives ids and needs nothing else from it).
  return bytesToHex(sha256(utf8ToBytes(`spaceops:${kind}:${identity}`))).slice(0, 32)
}

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id)
}
