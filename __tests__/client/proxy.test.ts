/**
 * The default fetch honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY. Observed with real sockets on
 * loopback only: a tiny proxy records what it is asked for; nothing leaves the machine.
 */
import { createServer as createHttpServer, type Server } from 'node:http'
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net'
import type { Duplex } from 'node:stream'
import { EnvHttpProxyAgent } from 'undici'
import { GenieClient, PatAuth, createDefaultFetch, createProxyDispatcher } from '../../src/client/index.js'
import { SecretRegistry } from '../../src/util/secrets.js'

interface Proxy {
  url: string
  connects: string[]
  close(): Promise<void>
}

interface Seen {
  method: string
  url: string
  authorization: string | undefined
}

/** A fake workspace on loopback (reachable only through the proxy under the name workspace.localhost). */
async function startWorkspace(): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = []
  const server: Server = createHttpServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ space_id: 'via-proxy', title: 'Proxied' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** Records CONNECT targets; tunnels `workspace.localhost:*` to `tunnelPort`, refuses the rest. */
async function startProxy(tunnelPort?: number): Promise<Proxy> {
  const connects: string[] = []
  const tunnels = new Set<Duplex>()
  const server: Server = createHttpServer((_req, res) => {
    res.writeHead(405)
    res.end()
  })
  server.on('connect', (req, socket: Duplex) => {
    connects.push(req.url ?? '')
    tunnels.add(socket)
    socket.on('close', () => tunnels.delete(socket))
    if (tunnelPort !== undefined && (req.url ?? '').startsWith('workspace.localhost:')) {
      const upstream = connect(tunnelPort, '127.0.0.1', () => {
        tunnels.add(upstream)
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(socket)
        socket.pipe(upstream)
      })
      upstream.on('error', () => socket.destroy())
      socket.on('error', () => upstream.destroy())
      return
    }
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise((resolve) => {
        for (const t of tunnels) t.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** A TCP listener that only counts connections (a stand-in for a direct https target). */
async function startSink(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  let n = 0
  const server: NetServer = createNetServer((socket) => {
    n++
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { port, connections: () => n, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

let proxy: Proxy
beforeEach(async () => {
  proxy = await startProxy()
})
afterEach(async () => {
  await proxy.close()
})

test('the default dispatcher is an EnvHttpProxyAgent', () => {
  expect(createProxyDispatcher({ HTTPS_PROXY: proxy.url })).toBeInstanceOf(EnvHttpProxyAgent)
})

test('HTTPS_PROXY: an https request is tunnelled through the proxy (CONNECT host:443)', async () => {
  const fetch = createDefaultFetch({ HTTPS_PROXY: proxy.url })
  await expect(fetch('https://dbc-proxied.cloud.databricks.com/api/2.0/genie/spaces', { method: 'GET', headers: {} })).rejects.toThrow()
  expect(proxy.connects).toEqual(['dbc-proxied.cloud.databricks.com:443'])
})

test('lower-case https_proxy works too', async () => {
  const fetch = createDefaultFetch({ https_proxy: proxy.url })
  await expect(fetch('https://dbc-lower.cloud.databricks.com/', { method: 'GET', headers: {} })).rejects.toThrow()
  expect(proxy.connects).toEqual(['dbc-lower.cloud.databricks.com:443'])
})

test('NO_PROXY hosts bypass the proxy', async () => {
  const sink = await startSink()
  try {
    const fetch = createDefaultFetch({ HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,.internal.example' })
    await expect(fetch(`https://localhost:${sink.port}/`, { method: 'GET', headers: {} })).rejects.toThrow()
    expect(sink.connections()).toBe(1)
    expect(proxy.connects).toEqual([])
  } finally {
    await sink.close()
  }
})

test('without proxy variables the request goes direct', async () => {
  const sink = await startSink()
  try {
    const fetch = createDefaultFetch({})
    await expect(fetch(`https://127.0.0.1:${sink.port}/`, { method: 'GET', headers: {} })).rejects.toThrow()
    expect(sink.connections()).toBe(1)
    expect(proxy.connects).toEqual([])
  } finally {
    await sink.close()
  }
})

test('HTTP_PROXY end to end: a GenieClient built without a fetch uses the env proxy', async () => {
  const workspace = await startWorkspace()
  const tunnelling = await startProxy(workspace.port)
  try {
    // workspace.localhost is never resolved here: only the proxy knows where it is.
    const secrets = new SecretRegistry()
    const client = new GenieClient({
      host: 'http://workspace.localhost:8080',
      auth: new PatAuth('dapiPROXYTEST0001', secrets),
      env: { HTTP_PROXY: tunnelling.url },
      secrets,
      retry: { maxAttempts: 1 }
    })
    const space = await client.getSpace('0123456789abcdef0123456789abcdef')
    expect(space.title).toBe('Proxied')
    expect(tunnelling.connects).toEqual(['workspace.localhost:8080'])
    expect(workspace.seen).toEqual([
      { method: 'GET', url: '/api/2.0/genie/spaces/0123456789abcdef0123456789abcdef?include_serialized_space=true', authorization: 'Bearer dapiPROXYTEST0001' }
    ])
  } finally {
    await tunnelling.close()
    await workspace.close()
  }
})
