import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { client, SPACES, useEmulator } from './helpers.js'

const { emu } = useEmulator()

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange'
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt'

function jwt(claims: Record<string, unknown>): string {
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`
}

async function tokenRequest(url: string, form: Record<string, string>, basic?: [string, string]): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (basic) headers['authorization'] = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`
  const res = await fetch(`${url}/oidc/v1/token`, { method: 'POST', headers, body: new URLSearchParams(form).toString() })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('bearer auth on /api/**', () => {
  test.each<[string, Record<string, string>]>([
    ['no Authorization header', {}],
    ['empty bearer token', { authorization: 'Bearer ' }],
    ['basic instead of bearer', { authorization: 'Basic dXNlcjpwYXNz' }]
  ])('%s → 401 UNAUTHORIZED', async (_name, headers) => {
    const res = await fetch(`${emu().url}${SPACES}`, { headers })
    expect(res.status).toBe(401)
    const body = (await res.json()) as Record<string, unknown>
    expect(body['error_code']).toBe('UNAUTHORIZED')
    expect(typeof body['message']).toBe('string')
  })

  test('unknown /api routes need auth too; /_emulator and /oidc do not', async () => {
    expect((await fetch(`${emu().url}/api/2.0/nope`)).status).toBe(401)
    expect((await fetch(`${emu().url}/_emulator/health`)).status).toBe(200)
    const oidc = await fetch(`${emu().url}/oidc/v1/token`, { method: 'POST' })
    expect(oidc.status).toBe(400)
  })

  test('any non-empty bearer token is accepted by default', async () => {
    expect((await client(emu().url, 'anything').get(SPACES)).status).toBe(200)
  })
})

describe('POST /oidc/v1/token', () => {
  test('client_credentials with HTTP basic auth issues a usable bearer token', async () => {
    const r = await tokenRequest(emu().url, { grant_type: 'client_credentials', scope: 'all-apis' }, ['sp-id', 'sp-secret'])
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'all-apis' })
    expect((await client(emu().url, r.body['access_token'] as string).get(SPACES)).status).toBe(200)
  })

  test('client_credentials without credentials → 401 invalid_client', async () => {
    const r = await tokenRequest(emu().url, { grant_type: 'client_credentials' })
    expect(r).toEqual({ status: 401, body: { error: 'invalid_client', error_description: expect.any(String) } })
  })

  test('GitHub OIDC token exchange', async () => {
    const subject = jwt({ iss: 'https://token.actions.githubusercontent.com', aud: 'acct', sub: 'repo:o/r:ref:refs/heads/main' })
    const ok = await tokenRequest(emu().url, {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: JWT_TYPE,
      client_id: 'sp-id',
      scope: 'all-apis'
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'all-apis' })

    const base = { grant_type: TOKEN_EXCHANGE, subject_token: subject, subject_token_type: JWT_TYPE, client_id: 'sp-id' }
    for (const [form, error] of [
      [{ ...base, subject_token: '' }, 'invalid_request'],
      [{ ...base, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' }, 'invalid_request'],
      [{ ...base, client_id: '' }, 'invalid_request'],
      [{ ...base, subject_token: 'not-a-jwt' }, 'invalid_request'],
      [{ ...base, subject_token: jwt({ aud: 'acct', exp: 1 }) }, 'invalid_grant'],
      [{ grant_type: 'password', username: 'u', password: 'p' }, 'unsupported_grant_type'],
      [{ scope: 'all-apis' }, 'invalid_request']
    ] as [Record<string, string>, string][]) {
      const r = await tokenRequest(emu().url, form)
      expect({ status: r.status, error: r.body['error'] }).toEqual({ status: 400, error })
      expect(typeof r.body['error_description']).toBe('string')
    }
  })
})

describe('strict auth options', () => {
  let now = Date.UTC(2026, 0, 1)
  let strict: RunningEmulator
  beforeAll(async () => {
    strict = await startEmulator({
      seed: 3,
      clock: () => now,
      auth: { tokens: ['pat-1'], clientId: 'sp-id', clientSecret: 'sp-secret', oidcAudience: 'my-account' }
    })
  })
  afterAll(async () => {
    await strict.close()
  })

  test('only listed tokens and issued tokens are accepted; issued tokens expire after an hour', async () => {
    expect((await client(strict.url, 'pat-1').get(SPACES)).status).toBe(200)
    const other = await client(strict.url, 'pat-2').get(SPACES)
    expect(other.status).toBe(401)
    expect(other.body).toEqual({ error_code: 'UNAUTHORIZED', message: 'Invalid access token.' })

    const wrongSecret = await tokenRequest(strict.url, { grant_type: 'client_credentials' }, ['sp-id', 'nope'])
    expect(wrongSecret.status).toBe(401)
    expect(wrongSecret.body['error']).toBe('invalid_client')

    const issued = await tokenRequest(strict.url, { grant_type: 'client_credentials' }, ['sp-id', 'sp-secret'])
    expect(issued.status).toBe(200)
    const token = issued.body['access_token'] as string
    expect((await client(strict.url, token).get(SPACES)).status).toBe(200)
    now += 3_599_000
    expect((await client(strict.url, token).get(SPACES)).status).toBe(200)
    now += 2_000
    const expired = await client(strict.url, token).get(SPACES)
    expect(expired.status).toBe(401)
    expect(expired.body.error_code).toBe('UNAUTHORIZED')
  })

  test('token exchange checks the audience when one is configured', async () => {
    const form = { grant_type: TOKEN_EXCHANGE, subject_token_type: JWT_TYPE, client_id: 'sp-id' }
    const wrong = await tokenRequest(strict.url, { ...form, subject_token: jwt({ aud: 'someone-else' }) })
    expect(wrong).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: expect.any(String) } })
    const right = await tokenRequest(strict.url, { ...form, subject_token: jwt({ aud: ['x', 'my-account'] }) })
    expect(right.status).toBe(200)
    expect((await client(strict.url, right.body['access_token'] as string).get(SPACES)).status).toBe(200)
  })
})
