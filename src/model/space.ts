import type { Grant } from './permissions.js'
import type { WireSpaceDocument } from './serialized.js'

/**
 * The one model of a Genie space inside SpaceOps: the metadata the create/update calls carry next
 * to the document, and the document itself in canonical version 2 form (see canonical.ts). Both
 * file formats load into it and are written from it; render, diff and push work on it only.
 */
export interface SpaceMeta {
  title?: string
  description?: string
  warehouse_id?: string | null
  parent_path?: string
}

export interface Space {
  meta: SpaceMeta
  document: WireSpaceDocument
  /**
   * The space's direct grants in canonical order (model/permissions.ts), beside the document (they
   * are not part of serialized_space). Undefined: SpaceOps leaves the grants alone.
   */
  permissions?: Grant[]
}

export type Path = (string | number)[]

/**
 * Remembers where each model object came from in its source file (a path into the YAML or JSON
 * that was read), so problems found on the canonical (sorted, merged) model can still be reported
 * at the right file:line:col. Object identity is the key: sorting keeps it.
 */
export class Origins {
  private readonly map = new WeakMap<object, Path>()
  set(target: object, path: Path): void {
    this.map.set(target, path)
  }
  get(target: object): Path | undefined {
    return this.map.get(target)
  }
  carry(from: object, to: object): void {
    const p = this.map.get(from)
    if (p) this.map.set(to, p)
  }
}
