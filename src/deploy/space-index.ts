import type { GenieClient, GenieSpace } from '../client/index.js'
import type { SpaceMeta } from '../model/space.js'
import { normalizeParentPath } from '../plan/diff.js'

/**
 * One listing of a workspace's spaces per run, shared by every definition of the run: the first
 * definition that must find its space by title lists all pages once; every other one looks in the
 * index (by id, by title + folder). A definition with a space id or a deploy record's binding never
 * needs the listing, so a run where every definition has one lists nothing.
 *
 * The index is kept current with this run's own writes (`noteWritten`); spaces created or renamed
 * by someone else during the run are not seen — as with any listing, which is a snapshot too. The
 * lookup after an ambiguous create does not use the index: it lists afresh (see deploy/push.ts).
 */
export class SpaceIndex {
  private listing: Promise<Map<string, GenieSpace>> | undefined

  constructor(private readonly client: GenieClient) {}

  private all(): Promise<Map<string, GenieSpace>> {
    if (!this.listing) {
      const p = (async () => {
        const byId = new Map<string, GenieSpace>()
        for await (const s of this.client.listSpaces()) byId.set(s.space_id, s)
        return byId
      })()
      // a failed listing is not kept: the next definition tries again (and reports its own error)
      p.catch(() => {
        if (this.listing === p) this.listing = undefined
      })
      this.listing = p
    }
    return this.listing
  }

  /** Spaces with this title in this folder (any folder when the definition names none). */
  async find(meta: SpaceMeta): Promise<GenieSpace[]> {
    return matching((await this.all()).values(), meta)
  }

  /** Forget the listing: the next look-up lists again (the run has just taken a deploy lock). */
  invalidate(): void {
    this.listing = undefined
  }

  /** The run wrote this space (created, updated, renamed or moved it): the index says so from now on. */
  noteWritten(space: Pick<GenieSpace, 'space_id'> & Partial<GenieSpace>): void {
    if (!this.listing) return // not listed yet: the listing, when made, will see it
    void this.listing.then(
      (byId) => {
        const before = byId.get(space.space_id)
        const { serialized_space: _drop, ...meta } = { ...before, ...space } as GenieSpace
        byId.set(space.space_id, meta)
      },
      () => undefined
    )
  }
}

export function matching(spaces: Iterable<GenieSpace>, meta: SpaceMeta): GenieSpace[] {
  const wantParent = normalizeParentPath(meta.parent_path)
  const found: GenieSpace[] = []
  for (const s of spaces) {
    if (s.title !== meta.title) continue
    if (wantParent !== undefined && normalizeParentPath(s.parent_path) !== wantParent) continue
    found.push(s)
  }
  return found
}

/**
 * The indexes of one run: one per client (one client per workspace / environment). Whatever was
 * listed before the run took a deploy lock may miss what another run wrote before releasing it, so
 * the modes call `invalidate` when a lock is taken (RunLocks' onAcquired): the look-up made again
 * under the lock lists afresh, once per lock taken, as it did before indexes.
 */
export class RunIndexes {
  private readonly made = new Map<GenieClient, SpaceIndex>()

  invalidate(): void {
    for (const index of this.made.values()) index.invalidate()
  }

  for(client: GenieClient): SpaceIndex {
    let index = this.made.get(client)
    if (!index) this.made.set(client, (index = new SpaceIndex(client)))
    return index
  }
}
