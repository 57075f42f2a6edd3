import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js'

export const TOKEN = 'dapi-emulator-test-token'

export function fixtureText(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/spaces/${name}`, import.meta.url)), 'utf8')
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>
}

export interface Reply {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  headers: Headers
}

export interface Client {
  url: string
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>
  get(path: string): Promise<Reply>
  post(path: string, body?: unknown): Promise<Reply>
  patch(path: string, body?: unknown): Promise<Reply>
  put(path: string, body?: unknown): Promise<Reply>
  del(path: string): Promise<Reply>
}

export function client(url: string, token: string | null = TOKEN): Client {
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const h: Record<string, string> = { ...headers }
    if (token !== null) h['authorization'] = `Bearer ${token}`
    if (body !== undefined && typeof body !== 'string') h['content-type'] = 'application/json'
    const res = await fetch(url + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      // keep text
    }
    return { status: res.status, body: parsed, headers: res.headers }
  }
  return {
    url,
    request,
    get: (p) => request('GET', p),
    post: (p, b) => request('POST', p, b ?? {}),
    patch: (p, b) => request('PATCH', p, b ?? {}),
    put: (p, b) => request('PUT', p, b ?? {}),
    del: (p) => request('DELETE', p)
  }
}

/** Start an emulator for one test file; returns accessors valid inside tests. */
export function useEmulator(options: EmulatorOptions = {}): { emu: () => RunningEmulator; api: () => Client } {
  let emu: RunningEmulator | undefined
  beforeAll(async () => {
    emu = await startEmulator({ seed: 7, ...options })
  })
  afterAll(async () => {
    await emu?.close()
  })
  beforeEach(async () => {
    const r = await fetch(`${emu?.url}/_emulator/reset`, { method: 'POST' })
    expect(r.status).toBe(200)
  })
  return {
    emu: () => {
      if (!emu) throw new Error('emulator not started')
      return emu
    },
    api: () => {
      if (!emu) throw new Error('emulator not started')
      return client(emu.url)
    }
  }
}

export const SPACES = '/api/2.0/genie/spaces'

/** Deterministic 32-hex id for tests: hexId(1) = '000…01'. */
export function hexId(n: number, prefix = ''): string {
  return (prefix + n.toString(16)).padStart(32, '0')
}

/** A small valid version 2 document. */
export function minimalDoc(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: 2, data_sources: { tables: [{ identifier: 'main.sales.customers' }] }, ...extra }
}

export async function createSpace(api: Client, doc: unknown = minimalDoc(), extra: Record<string, unknown> = {}): Promise<Reply> {
  return api.post(SPACES, {
    warehouse_id: 'wh-123',
    serialized_space: typeof doc === 'string' ? doc : JSON.stringify(doc),
    ...extra
  })
}

/** Sort object keys recursively: the canonical form a client must compare. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical)
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])])
    )
  }
  return v
}
