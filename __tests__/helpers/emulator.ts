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
