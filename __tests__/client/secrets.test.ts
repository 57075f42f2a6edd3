/**
 * Canary secrets used as PAT / client secret / ID token must never show up in an error message or a
 * log line, even when the server echoes them back.
 */
import { GenieClient, HttpTransport, createGenieClient } from '../../src/client/index.js'
import { describeError } from '../../src/util/errors.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { FakeClock, HOST, SPACE_ID, ScriptedFetch, json, rejection, text, type RecordedCall } from './helpers.js'

const PAT_CANARY = 'dapiCANARY0123456789'
// Not shaped like any known credential: only the SecretRegistry can catch it.
const SECRET_CANARY = 'plainCANARYsecret-7f3a9'
const ID_TOKEN_CANARY = 'ghoidcCANARYidtoken-55aa'
const ACCESS_TOKEN_CANARY = 'accessCANARYtoken-99bb'

/** Echoes everything it receives back in its error bodies, including Authorization and form bodies. */
function echoingServer(status: number) {
  return new ScriptedFetch().otherwise((call: RecordedCall) => {
    const authz = call.headers['Authorization'] ?? ''
    const basic = authz.startsWith('Basic ') ? Buffer.from(authz.slice(6), 'base64').toString('utf8') : ''
    const echo = `${authz} ${basic} ${call.body ?? ''}`
    if (call.url.endsWith('/oidc/v1/token') && status === 200) {
      return json(200, { access_token: ACCESS_TOKEN_CANARY, expires_in: 3600 })()
    }
    return json(status, { error_code: 'UNAUTHORIZED', message: `rejected credentials: ${echo} ${decodeURIComponent(echo)}` })()
  })
}

function everything(err: Error, logger: MemoryLogger): string {
  return [err.message, describeError(err), String(err), logger.text()].join('\n')
}

function setup(env: Record<string, string>, fake: ScriptedFetch, getIdToken?: (a: string) => Promise<string>) {
  const logger = new MemoryLogger()
  const clock = new FakeClock()
  const secrets = new SecretRegistry()
  const client = createGenieClient({
    env: { DATABRICKS_HOST: HOST, ...env },
    fetch: fake.fetch,
    logger,
    secrets,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...(getIdToken ? { getIdToken } : {})
  })
  return { client, logger, secrets }
}

const CANARIES = [PAT_CANARY, SECRET_CANARY, ID_TOKEN_CANARY, ACCESS_TOKEN_CANARY]
function expectNoCanary(haystack: string): void {
  for (const c of CANARIES) expect(haystack).not.toContain(c)
  // base64 of the basic-auth value must not leak either
  expect(haystack).not.toContain(Buffer.from(`sp-id:${SECRET_CANARY}`).toString('base64'))
}

describe('canary secrets never leak', () => {
  test('PAT echoed in a 401 body', async () => {
    const fake = echoingServer(401)
    const { client, logger } = setup({ DATABRICKS_TOKEN: PAT_CANARY }, fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err.message).toMatch(/^get space \S+ failed: HTTP 401 UNAUTHORIZED: rejected credentials: Bearer \*\*\*/)
    expectNoCanary(everything(err, logger))
  })

  test('PAT echoed through retries (logs) and the final error', async () => {
    const fake = new ScriptedFetch().otherwise(
      json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: `overloaded for ${PAT_CANARY}` }, { 'Retry-After': '1' })
    )
    const { client, logger } = setup({ DATABRICKS_TOKEN: PAT_CANARY }, fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(fake.calls).toHaveLength(5)
    expect(logger.lines.length).toBeGreaterThan(4)
    expectNoCanary(everything(err, logger))
  })

  test('PAT in a non-JSON (HTML) error page', async () => {
    const fake = new ScriptedFetch().otherwise(text(400, `<html><body>Bad header: Authorization: Bearer ${PAT_CANARY}</body></html>`))
    const { client, logger } = setup({ DATABRICKS_TOKEN: PAT_CANARY }, fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    expectNoCanary(everything(err, logger))
  })

  test('PAT inside a connection error message', async () => {
    const fake = new ScriptedFetch().otherwise(() => new TypeError('fetch failed', { cause: new Error(`socket hang up while sending ${PAT_CANARY}`) }))
    const { client, logger } = setup({ DATABRICKS_TOKEN: PAT_CANARY }, fake)
    const err = await rejection(client.createSpace({ warehouse_id: 'w', serialized_space: '{}' }))
    expect(err.message).toMatch(/^create space failed: connection error: socket hang up while sending \*\*\*/)
    expectNoCanary(everything(err, logger))
  })

  test('client secret echoed by the token endpoint', async () => {
    const fake = echoingServer(401)
    const { client, logger } = setup({ DATABRICKS_CLIENT_ID: 'sp-id', DATABRICKS_CLIENT_SECRET: SECRET_CANARY }, fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err.message).toMatch(/^OAuth token request to https:\/\/\S+\/oidc\/v1\/token failed: HTTP 401 UNAUTHORIZED/)
    expectNoCanary(everything(err, logger))
  })

  test('exchanged access token echoed by the API', async () => {
    const fake = new ScriptedFetch().otherwise((call) =>
      call.url.endsWith('/oidc/v1/token')
        ? json(200, { access_token: ACCESS_TOKEN_CANARY, expires_in: 3600 })()
        : json(403, { error_code: 'PERMISSION_DENIED', message: `token ${ACCESS_TOKEN_CANARY} lacks CAN EDIT` })()
    )
    const { client, logger } = setup({ DATABRICKS_CLIENT_ID: 'sp-id', DATABRICKS_CLIENT_SECRET: SECRET_CANARY }, fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err.message).toBe(`get space ${SPACE_ID} failed: HTTP 403 PERMISSION_DENIED: token *** lacks CAN EDIT`)
    expectNoCanary(everything(err, logger))
  })

  test('GitHub ID token echoed by the token endpoint, and in a getIdToken failure', async () => {
    const fake = echoingServer(400)
    const env = { DATABRICKS_AUTH_TYPE: 'github-oidc', DATABRICKS_CLIENT_ID: 'sp-id' }
    const a = setup(env, fake, async () => ID_TOKEN_CANARY)
    const err = await rejection(a.client.getSpace(SPACE_ID))
    expectNoCanary(everything(err, a.logger))

    const b = setup({ ...env, DATABRICKS_TOKEN: PAT_CANARY }, new ScriptedFetch(), async () => {
      throw new Error(`runner said no to ${PAT_CANARY}`)
    })
    const err2 = await rejection(b.client.getSpace(SPACE_ID))
    expectNoCanary(everything(err2, b.logger))
  })

  test('secrets reach every registry sink (the action forwards them to core.setSecret)', async () => {
    const masked: string[] = []
    const secrets = new SecretRegistry([(s) => masked.push(s)])
    const fake = new ScriptedFetch().otherwise((call) =>
      call.url.endsWith('/oidc/v1/token')
        ? json(200, { access_token: ACCESS_TOKEN_CANARY, expires_in: 3600 })()
        : json(200, { space_id: SPACE_ID, title: 't' })()
    )
    const client = createGenieClient({
      env: { DATABRICKS_HOST: HOST, DATABRICKS_CLIENT_ID: 'sp-id', DATABRICKS_CLIENT_SECRET: SECRET_CANARY },
      fetch: fake.fetch,
      secrets
    })
    expect(masked).toContain(SECRET_CANARY) // known before any request
    await client.getSpace(SPACE_ID)
    expect(masked).toContain(ACCESS_TOKEN_CANARY)
  })

  test('a proxy password is registered as a secret', () => {
    const secrets = new SecretRegistry()
    // building the transport builds the default proxy-aware fetch
    void new HttpTransport({ env: { HTTPS_PROXY: 'http://user:pr0xyCANARYpw@127.0.0.1:3128' }, secrets })
    expect(secrets.redact('pr0xyCANARYpw')).toBe('***')
    void GenieClient
  })
})

/**
 * Redaction runs on the whole text before anything cuts it to length: a cut first keeps most of a
 * token that then matches nothing. The output may hold no 5-character window of the canary (any 4
 * characters may occur by chance).
 */
describe('long error texts are redacted before they are cut', () => {
  // 32 characters, not shaped like any credential: only the registry can catch it.
  const TOKEN = 'plainCANARYtoken0123456789abcdef'
  const windows = (s: string, n = 5): string[] => Array.from({ length: s.length - n + 1 }, (_, i) => s.slice(i, i + n))
  function expectNoPartOf(secret: string, haystack: string): void {
    const leaked = windows(secret).filter((w) => haystack.includes(w))
    expect(leaked).toEqual([])
  }

  test('a 500 whose JSON message echoes the token after 970 characters', async () => {
    const fake = new ScriptedFetch().otherwise(json(500, { error_code: 'INTERNAL_ERROR', message: `${'x'.repeat(970)} echo=${TOKEN} trailing` }))
    const { client, logger } = setup({ DATABRICKS_TOKEN: TOKEN }, fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err.message).toMatch(/HTTP 500 INTERNAL_ERROR: x{900,}/)
    expect(err.message.length).toBeLessThan(1200)
    expectNoPartOf(TOKEN, everything(err, logger))
  })

  test('an HTML error page echoing the token just before the excerpt ends', async () => {
    const fake = new ScriptedFetch().otherwise(text(502, `<html><body><p>${'y'.repeat(185)} ${TOKEN}</p></body></html>`))
    const { client, logger } = setup({ DATABRICKS_TOKEN: TOKEN }, fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err.message).toMatch(/HTTP 502: y{100,}/)
    expectNoPartOf(TOKEN, everything(err, logger))
  })

  test('a redirect whose Location carries the token past the excerpt length', async () => {
    const fake = new ScriptedFetch().otherwise(text(302, '', { Location: `https://login.example.invalid/${'z'.repeat(70)}?t=${TOKEN}` }))
    const { client, logger } = setup({ DATABRICKS_TOKEN: TOKEN }, fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err.message).toMatch(/redirected to https:\/\/login\.example\.invalid/)
    expectNoPartOf(TOKEN, everything(err, logger))
  })

  test('its base64 and URL-encoded forms echoed in a long message', async () => {
    const secret = 'plain/CANARY+secret=7f3a 9?&'
    const echo = `${'w'.repeat(400)} b64=${Buffer.from(secret).toString('base64')} url=${encodeURIComponent(secret)} form=${new URLSearchParams({ s: secret }).toString()}`
    const fake = new ScriptedFetch().otherwise(json(400, { error_code: 'BAD_REQUEST', message: echo }))
    const { client, logger } = setup({ DATABRICKS_TOKEN: secret }, fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    const all = everything(err, logger)
    expect(all).toContain('b64=*** url=*** form=s=***')
    expectNoPartOf(Buffer.from(secret).toString('base64'), all)
    expectNoPartOf(encodeURIComponent(secret), all)
  })

  test('the OAuth Basic credential echoed by the token endpoint after 980 characters', async () => {
    const fake = new ScriptedFetch().otherwise((call: RecordedCall) =>
      json(401, { error: 'invalid_client', error_description: `${'v'.repeat(980)} client=${(call.headers['Authorization'] ?? '').replace('Basic ', '')}` })()
    )
    const { client, logger } = setup({ DATABRICKS_CLIENT_ID: 'sp-id', DATABRICKS_CLIENT_SECRET: SECRET_CANARY }, fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err.message).toMatch(/^OAuth token request to \S+ failed: HTTP 401 invalid_client: v{900,}/)
    const basic = Buffer.from(`sp-id:${SECRET_CANARY}`).toString('base64')
    expectNoPartOf(basic, everything(err, logger))
  })
})
