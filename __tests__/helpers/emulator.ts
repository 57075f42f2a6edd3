import { startEmulator, type RunningEmulator, type FaultConfig } from '../../src/emulator/index.js'

export interface RequestLine {
  method: string
  path: string
  status: number
  fault?: string
}

/** An emulator on 127.0.0.1 for one test file, with helpers to read and reset its request log. */
export async function emulator(options: { seed?: number } = {}) {
  const emu: RunningEmulator = await startEmulator({ port: 0, seed: options.seed ?? 42 })
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {})
    })
    const text = await res.text()
    return text ? (JSON.parse(text) as unknown) : undefined
  }
  return {
    url: emu.url,
    close: () => emu.close(),
    requests: async () => (await api('GET', '/_emulator/requests')) as RequestLine[],
    clearRequests: () => api('DELETE', '/_emulator/requests'),
    reset: () => api('POST', '/_emulator/reset'),
    faults: (config: FaultConfig) => api('POST', '/_emulator/faults', config),
    writes: async () => ((await api('GET', '/_emulator/requests')) as RequestLine[]).filter((r) => r.method !== 'GET')
  }
}

/** Every live space of an emulator, with its document, as the API returns them. */
export async function liveSpaces(e: { url: string }) {
  const res = await fetch(`${e.url}/api/2.0/genie/spaces`, { headers: { authorization: 'Bearer x' } })
  const list = ((await res.json()) as { spaces?: { space_id: string }[] }).spaces ?? []
  return Promise.all(
    list.map(async (s) => {
      const r = await fetch(`${e.url}/api/2.0/genie/spaces/${s.space_id}?include_serialized_space=true`, { headers: { authorization: 'Bearer x' } })
      return (await r.json()) as { space_id: string; title: string; warehouse_id: string; parent_path: string; serialized_space: string; etag: string }
    })
  )
}
