import {
  GenieApiError,
  GenieClient,
  GitHubOidcAuth,
  HttpTransport,
  OAuthM2MAuth,
  PatAuth,
  createGenieClient,
  resolveAuth,
  type AuthProvider
} from '../../src/client/index.js'
import { SpaceOpsError } from '../../src/util/errors.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { HOST, SPACE_ID, ScriptedFetch, harness, json, rejection, type RecordedCall } from './helpers.js'

const TOKEN_URL = `${HOST}/oidc/v1/token`
const SPACE = { space_id: SPACE_ID, title: 'Sales' }

/** A fake workspace: token endpoint + get space, counting token grants. */
function workspace(opts: { expiresIn?: number; tokenStatus?: number; tokenBody?: unknown } = {}) {
  let issued = 0
  const fake = new ScriptedFetch().otherwise((call: RecordedCall) => {
    if (call.url === TOKEN_URL) {
      if (opts.tokenStatus) return json(opts.tokenStatus, opts.tokenBody ?? {})()
      issued++
      return json(200, { access_token: `access-token-${issued}`, token_type: 'Bearer', expires_in: opts.expiresIn ?? 3600 })()
    }
    return json(200, SPACE)()
  })
  return { fake, issued: () => issued }
}

function apiCalls(fake: ScriptedFetch): RecordedCall[] {
  return fake.calls.filter((c) => c.url !== TOKEN_URL)
}
function tokenCalls(fake: ScriptedFetch): RecordedCall[] {
  return fake.calls.filter((c) => c.url === TOKEN_URL)
}

function m2mClient(fake: ScriptedFetch, secret = 'client-secret-XYZ') {
  const h = harness()
  const transport = new HttpTransport(h.transportOptions(fake.fetch))
  const auth = new OAuthM2MAuth({ host: HOST, transport, clientId: 'sp-app-id', clientSecret: secret })
  return { ...h, auth, client: new GenieClient({ host: HOST, auth, transport }) }
}

describe('personal access token', () => {
  test('sends Authorization: Bearer <token> and registers the token', async () => {
    const fake = new ScriptedFetch().otherwise(json(200, SPACE))
    const h = harness()
    const client = new GenieClient({ host: HOST, auth: new PatAuth('dapi0123456789abcdef', h.secrets), ...h.transportOptions(fake.fetch) })
    await client.getSpace(SPACE_ID)
    expect(fake.calls[0]?.headers['Authorization']).toBe('Bearer dapi0123456789abcdef')
    expect(h.secrets.redact('x dapi0123456789abcdef y')).toBe('x *** y')
  })

  test('a 401 with a PAT is reported once (nothing to refresh)', async () => {
    const fake = new ScriptedFetch().otherwise(json(401, { error_code: 'UNAUTHORIZED', message: 'Invalid access token.' }))
    const h = harness()
    const client = new GenieClient({ host: HOST, auth: new PatAuth('dapi0123456789abcdef', h.secrets), ...h.transportOptions(fake.fetch) })
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(fake.calls).toHaveLength(1)
    expect(err.message).toBe(`get space ${SPACE_ID} failed: HTTP 401 UNAUTHORIZED: Invalid access token.`)
  })
})

describe('OAuth M2M', () => {
  test('exchanges client credentials with basic auth and a form body, then uses the access token', async () => {
    const { fake } = workspace()
    const { client, secrets } = m2mClient(fake)
    await client.getSpace(SPACE_ID)
    const [tokenCall] = tokenCalls(fake)
    expect(tokenCall?.method).toBe('POST')
    expect(tokenCall?.headers['Authorization']).toBe(`Basic ${Buffer.from('sp-app-id:client-secret-XYZ').toString('base64')}`)
    expect(tokenCall?.headers['Content-Type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(tokenCall?.body ?? ''))).toEqual({ grant_type: 'client_credentials', scope: 'all-apis' })
    expect(apiCalls(fake)[0]?.headers['Authorization']).toBe('Bearer access-token-1')
    // secret, basic value and access token are all registered
    expect(secrets.redact('client-secret-XYZ access-token-1')).toBe('*** ***')
  })

  test('caches the token: one token request for many API calls, even concurrent ones', async () => {
    const { fake, issued } = workspace()
    const { client } = m2mClient(fake)
    await Promise.all([client.getSpace(SPACE_ID), client.getSpace(SPACE_ID), client.getSpace(SPACE_ID)])
    for (let i = 0; i < 5; i++) await client.getSpace(SPACE_ID)
    expect(issued()).toBe(1)
    expect(apiCalls(fake)).toHaveLength(8)
  })

  test('refreshes before expiry using the injected clock', async () => {
    const { fake, issued } = workspace({ expiresIn: 3600 })
    const { client, clock } = m2mClient(fake)
    await client.getSpace(SPACE_ID)
    clock.advance(58 * 60_000) // 2 minutes left: still fine
    await client.getSpace(SPACE_ID)
    expect(issued()).toBe(1)
    clock.advance(90_000) // 30 s left: inside the 60 s margin → refresh
    await client.getSpace(SPACE_ID)
    expect(issued()).toBe(2)
    expect(apiCalls(fake).map((c) => c.headers['Authorization'])).toEqual(['Bearer access-token-1', 'Bearer access-token-1', 'Bearer access-token-2'])
  })

  test('a short-lived token is still reused for most of its life (10 % margin)', async () => {
    const { fake, issued } = workspace({ expiresIn: 100 })
    const { client, clock } = m2mClient(fake)
    await client.getSpace(SPACE_ID)
    clock.advance(85_000)
    await client.getSpace(SPACE_ID)
    expect(issued()).toBe(1)
    clock.advance(10_000) // 5 s left of 100 s
    await client.getSpace(SPACE_ID)
    expect(issued()).toBe(2)
  })

  test('a 401 from the API drops the cached token and retries once with a new one', async () => {
    let apiHits = 0
    let issued = 0
    const fake = new ScriptedFetch().otherwise((call) => {
      if (call.url === TOKEN_URL) {
        issued++
        return json(200, { access_token: `access-token-${issued}`, expires_in: 3600 })()
      }
      apiHits++
      return apiHits === 1 ? json(401, { error_code: 'UNAUTHORIZED', message: 'expired' })() : json(200, SPACE)()
    })
    const { client } = m2mClient(fake)
    await expect(client.getSpace(SPACE_ID)).resolves.toMatchObject({ title: 'Sales' })
    expect(issued).toBe(2)
    expect(apiCalls(fake).map((c) => c.headers['Authorization'])).toEqual(['Bearer access-token-1', 'Bearer access-token-2'])
  })

  test('a refused token request is one line, names the endpoint, and never contains the secret', async () => {
    const secret = 'sUp3r-s3cret-CANARY-value'
    const { fake } = workspace({
      tokenStatus: 401,
      tokenBody: { error: 'invalid_client', error_description: `Client authentication failed for secret ${secret}` }
    })
    const { client, logger } = m2mClient(fake, secret)
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err).toBeInstanceOf(GenieApiError)
    expect(err.message).toBe(`OAuth token request to ${TOKEN_URL} failed: HTTP 401 invalid_client: Client authentication failed for secret ***`)
    expect(tokenCalls(fake)).toHaveLength(1) // 4xx: not retried
    expect(apiCalls(fake)).toHaveLength(0)
    expect(logger.text()).not.toContain(secret)
  })

  test('a token response without access_token is an error', async () => {
    const fake = new ScriptedFetch().otherwise(json(200, { token_type: 'Bearer' }))
    const { client } = m2mClient(fake)
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err.message).toBe(`OAuth token request to ${TOKEN_URL} failed: HTTP 200: the response has no access_token`)
  })

  test('a 503 from the token endpoint is retried', async () => {
    let n = 0
    const fake = new ScriptedFetch().otherwise((call) => {
      if (call.url === TOKEN_URL) {
        n++
        return n === 1 ? json(503, { error: 'temporarily_unavailable' }, { 'Retry-After': '1' })() : json(200, { access_token: 'tok-ok-1', expires_in: 3600 })()
      }
      return json(200, SPACE)()
    })
    const { client, clock } = m2mClient(fake)
    await client.getSpace(SPACE_ID)
    expect(clock.sleeps).toEqual([1000])
  })
})

describe('GitHub OIDC federation', () => {
  const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmEvYiJ9.c2lnbmF0dXJlLXZhbHVl'

  function oidcClient(fake: ScriptedFetch, getIdToken: (aud: string) => Promise<string>, audience = 'acct-1234') {
    const h = harness()
    const transport = new HttpTransport(h.transportOptions(fake.fetch))
    const auth = new GitHubOidcAuth({ host: HOST, transport, clientId: 'sp-app-id', audience, getIdToken })
    return { ...h, client: new GenieClient({ host: HOST, auth, transport }) }
  }

  test('exchanges the runner ID token with an RFC 8693 form body', async () => {
    const { fake } = workspace()
    const audiences: string[] = []
    const { client, secrets } = oidcClient(fake, async (aud) => {
      audiences.push(aud)
      return ID_TOKEN
    })
    await client.getSpace(SPACE_ID)
    expect(audiences).toEqual(['acct-1234'])
    const [tokenCall] = tokenCalls(fake)
    expect(tokenCall?.headers['Authorization']).toBeUndefined()
    expect(Object.fromEntries(new URLSearchParams(tokenCall?.body ?? ''))).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: ID_TOKEN,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      client_id: 'sp-app-id',
      scope: 'all-apis'
    })
    expect(apiCalls(fake)[0]?.headers['Authorization']).toBe('Bearer access-token-1')
    expect(secrets.redact(`${ID_TOKEN} access-token-1`)).toBe('*** ***')
  })

  test('no ID token (fork PR / missing id-token: write) is one clear line', async () => {
    const { fake } = workspace()
    const { client } = oidcClient(fake, async () => {
      throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable')
    })
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err).toBeInstanceOf(SpaceOpsError)
    expect(err.message).not.toContain('\n')
    expect(err.message).toMatch(/^GitHub OIDC: no ID token could be had from the runner \(Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable\)/)
    expect(err.message).toContain('id-token: write')
    expect(err.message).toMatch(/forked pull requests/)
    expect(fake.calls).toHaveLength(0)
  })

  test('an empty ID token is refused the same way', async () => {
    const { fake } = workspace()
    const { client } = oidcClient(fake, async () => '')
    const err = await rejection(client.getSpace(SPACE_ID))
    expect(err.message).toMatch(/^GitHub OIDC: no ID token could be had from the runner/)
  })
})

describe('resolveAuth', () => {
  function resolve(env: Record<string, string>, inputs = {}, extra: { getIdToken?: (a: string) => Promise<string>; logger?: MemoryLogger } = {}) {
    const secrets = new SecretRegistry()
    const transport = new HttpTransport({ fetch: new ScriptedFetch().fetch, secrets })
    const auth = resolveAuth({ env: { DATABRICKS_HOST: HOST, ...env }, inputs, transport, ...extra })
    return { auth, secrets }
  }
  const errorOf = (fn: () => unknown): string => {
    try {
      fn()
    } catch (e) {
      expect(e).toBeInstanceOf(SpaceOpsError)
      return (e as Error).message
    }
    throw new Error('expected an error')
  }

  test('a token means PAT', () => {
    expect(resolve({ DATABRICKS_TOKEN: 'dapiAAAA1111' }).auth.method).toBe('pat')
  })

  test('client id + secret means OAuth M2M', () => {
    expect(resolve({ DATABRICKS_CLIENT_ID: 'id', DATABRICKS_CLIENT_SECRET: 'secret-1' }).auth.method).toBe('oauth-m2m')
  })

  test('a token wins over client credentials, with a warning', () => {
    const logger = new MemoryLogger()
    const { auth } = resolve({ DATABRICKS_TOKEN: 'dapiAAAA1111', DATABRICKS_CLIENT_ID: 'id', DATABRICKS_CLIENT_SECRET: 'secret-1' }, {}, { logger })
    expect(auth.method).toBe('pat')
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1)
  })

  test('explicit DATABRICKS_AUTH_TYPE wins over a token', () => {
    const { auth } = resolve({
      DATABRICKS_AUTH_TYPE: 'oauth-m2m',
      DATABRICKS_TOKEN: 'dapiAAAA1111',
      DATABRICKS_CLIENT_ID: 'id',
      DATABRICKS_CLIENT_SECRET: 's-1234'
    })
    expect(auth.method).toBe('oauth-m2m')
    const oidc = resolve(
      { DATABRICKS_AUTH_TYPE: 'github-oidc', DATABRICKS_TOKEN: 'dapiAAAA1111', DATABRICKS_CLIENT_ID: 'id' },
      {},
      { getIdToken: async () => 'x' }
    )
    expect(oidc.auth.method).toBe('github-oidc')
  })

  test('the auth-type input overrides DATABRICKS_AUTH_TYPE', () => {
    const { auth } = resolve({ DATABRICKS_AUTH_TYPE: 'github-oidc', DATABRICKS_TOKEN: 'dapiAAAA1111' }, { authType: 'pat' })
    expect(auth.method).toBe('pat')
  })

  test('inputs override env vars of the same meaning; empty inputs count as not given', async () => {
    const fake = new ScriptedFetch().otherwise(json(200, SPACE))
    const h = harness()
    const client = createGenieClient({
      env: { DATABRICKS_HOST: 'https://env-host.cloud.databricks.com', DATABRICKS_TOKEN: 'dapiENVTOKEN0000' },
      inputs: { host: 'input-host.cloud.databricks.com/', token: 'dapiINPUTTOKEN000', clientId: '', clientSecret: '' },
      ...h.transportOptions(fake.fetch)
    })
    await client.getSpace(SPACE_ID)
    expect(fake.calls[0]?.url.startsWith('https://input-host.cloud.databricks.com/api/2.0/genie/spaces/')).toBe(true)
    expect(fake.calls[0]?.headers['Authorization']).toBe('Bearer dapiINPUTTOKEN000')
    const empty = createGenieClient({
      env: { DATABRICKS_HOST: HOST, DATABRICKS_TOKEN: 'dapiENVTOKEN0000' },
      inputs: { token: '  ' },
      ...h.transportOptions(fake.fetch)
    })
    expect(empty.auth.method).toBe('pat')
  })

  test('github-oidc audience: token-audience, else account id, else the host', () => {
    const getIdToken = async () => 'x'
    const base = { DATABRICKS_AUTH_TYPE: 'github-oidc', DATABRICKS_CLIENT_ID: 'id' }
    const aud = (env: Record<string, string>, inputs = {}) => (resolve({ ...base, ...env }, inputs, { getIdToken }).auth as GitHubOidcAuth).audience
    expect(aud({})).toBe(HOST)
    expect(aud({ DATABRICKS_ACCOUNT_ID: 'acct-9' })).toBe('acct-9')
    expect(aud({ DATABRICKS_ACCOUNT_ID: 'acct-9' }, { accountId: 'acct-input' })).toBe('acct-input')
    expect(aud({ DATABRICKS_ACCOUNT_ID: 'acct-9', DATABRICKS_TOKEN_AUDIENCE: 'custom-aud' })).toBe('custom-aud')
  })

  test('every secret is registered at resolution time', () => {
    const { secrets } = resolve({ DATABRICKS_AUTH_TYPE: 'pat', DATABRICKS_TOKEN: 'dapiAAAA1111', DATABRICKS_CLIENT_SECRET: 'unused-secret-7' })
    expect(secrets.redact('dapiAAAA1111 unused-secret-7')).toBe('*** ***')
  })

  test('nothing set: one line listing what to set', () => {
    const message = errorOf(() => resolve({}))
    expect(message).not.toContain('\n')
    for (const name of ['DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_ID', 'DATABRICKS_CLIENT_SECRET', 'DATABRICKS_AUTH_TYPE=github-oidc']) {
      expect(message).toContain(name)
    }
  })

  test('half-configured or unknown settings say what is missing', () => {
    expect(errorOf(() => resolve({ DATABRICKS_CLIENT_ID: 'id' }))).toMatch(/DATABRICKS_CLIENT_ID is set but DATABRICKS_CLIENT_SECRET is not/)
    expect(errorOf(() => resolve({ DATABRICKS_AUTH_TYPE: 'azure-cli' }))).toMatch(/"azure-cli" is not supported; use one of: pat, oauth-m2m, github-oidc/)
    expect(errorOf(() => resolve({ DATABRICKS_AUTH_TYPE: 'pat' }))).toMatch(/needs DATABRICKS_TOKEN/)
    expect(errorOf(() => resolve({ DATABRICKS_AUTH_TYPE: 'github-oidc' }, {}, { getIdToken: async () => 'x' }))).toMatch(/needs DATABRICKS_CLIENT_ID/)
    expect(errorOf(() => resolve({ DATABRICKS_AUTH_TYPE: 'github-oidc', DATABRICKS_CLIENT_ID: 'id' }))).toMatch(/only inside a GitHub Actions job/)
  })

  test('no host: one line', () => {
    expect(errorOf(() => createGenieClient({ env: { DATABRICKS_TOKEN: 'dapiAAAA1111' }, fetch: new ScriptedFetch().fetch }))).toMatch(
      /^no Databricks host: set DATABRICKS_HOST/
    )
  })
})

// Keep the AuthProvider interface honest for implementers outside this module.
const _typecheck: AuthProvider = new PatAuth('dapiTYPECHECK', new SecretRegistry())
void _typecheck
