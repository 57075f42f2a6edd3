/**
 * What the emulator's Unity Catalog and SQL warehouses hold beyond the SQL engine's tables, as tests
 * set it up through `POST /_emulator/unity-catalog` and `POST /_emulator/warehouses`
 * (routes/unity-catalog.ts, routes/warehouses.ts). In memory only; `POST /_emulator/reset` empties it.
 *
 * Names are Unity Catalog names: case-insensitive, kept in lower case.
 */
import type { PrincipalKind } from './state.js'

export type CatalogObjectKind = 'table' | 'metric_view' | 'function'

export interface CatalogObject {
  kind: CatalogObjectKind
  /** column names (tables and metric views) */
  columns: string[]
}

export class CatalogState {
  /** every Unity Catalog call answers 403 PERMISSION_DENIED */
  denied = false
  /** tables of the SQL engine made absent (a prod that lacks a table dev has) */
  readonly absent = new Set<string>()
  /** objects the SQL engine does not hold: metric views, functions, extra tables */
  readonly objects = new Map<string, CatalogObject>()
  /** securable (catalog, catalog.schema or a full name) → principal → privileges granted on it */
  readonly grants = new Map<string, Map<string, Set<string>>>()

  reset(): void {
    this.denied = false
    this.absent.clear()
    this.objects.clear()
    this.grants.clear()
  }

  grant(securable: string, principal: string, privileges: readonly string[]): void {
    const key = securable.toLowerCase()
    const byPrincipal = this.grants.get(key) ?? new Map<string, Set<string>>()
    this.grants.set(key, byPrincipal)
    const set = byPrincipal.get(principal) ?? new Set<string>()
    byPrincipal.set(principal, set)
    for (const p of privileges) set.add(p)
  }
}

export const WAREHOUSE_LEVELS = ['CAN_VIEW', 'CAN_MONITOR', 'CAN_USE', 'CAN_MANAGE', 'IS_OWNER'] as const
export type WarehouseLevel = (typeof WAREHOUSE_LEVELS)[number]

export interface WarehouseAclEntry {
  kind: PrincipalKind
  name: string
  permission_level: WarehouseLevel
}

export class WarehouseState {
  /** warehouses the caller may not use (GET answers 403) */
  readonly denied = new Set<string>()
  /** direct grants per warehouse id (besides the owner and the admins group) */
  readonly acl = new Map<string, WarehouseAclEntry[]>()

  /** `named`: the `--warehouse` ids; empty = every id is a warehouse (as before warehouses were modelled). */
  constructor(readonly named: readonly string[]) {}

  exists(id: string): boolean {
    return this.named.length === 0 || this.named.includes(id)
  }

  reset(): void {
    this.denied.clear()
    this.acl.clear()
  }
}
