import { emulator } from '../helpers/emulator.js'

// The Workspace API slice the emulator serves for deploy records and locks, with the real shapes and errors.
let emu: Awaited<ReturnType<typeof emulator>>
beforeAll(async () => {
  emu = await emulator()
})
afterAll(() => emu.close())
beforeEach(() => emu.reset())

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: 'Bearer dapi-test', 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {})
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}
const b64 = (s: string) => Buffer.from(s).toString('base64')
const q = (p: string) => encodeURIComponent(p)

describe('workspace files', () => {
  it('imports, exports, lists and deletes a file; a missing path is 404 RESOURCE_DOES_NOT_EXIST', async () => {
    expect(await call('POST', '/api/2.0/workspace/mkdirs', { path: '/Workspace/Shared/x/.spaceops' })).toEqual({ status: 200, body: {} })
    expect(
      (await call('POST', '/api/2.0/workspace/import', { path: '/Workspace/Shared/x/.spaceops/a.json', format: 'AUTO', content: b64('{"a":1}') })).status
    ).toBe(200)
    const exported = await call('GET', `/api/2.0/workspace/export?path=${q('/Workspace/Shared/x/.spaceops/a.json')}&format=SOURCE`)
    expect(Buffer.from(exported.body.content as string, 'base64').toString()).toBe('{"a":1}')
    const status = await call('GET', `/api/2.0/workspace/get-status?path=${q('/Workspace/Shared/x/.spaceops/a.json')}`)
    expect(status.body).toMatchObject({ object_type: 'FILE', path: '/Workspace/Shared/x/.spaceops/a.json', size: 7 })
    const list = await call('GET', `/api/2.0/workspace/list?path=${q('/Workspace/Shared/x/.spaceops')}`)
    expect((list.body.objects as { path: string }[]).map((o) => o.path)).toEqual(['/Workspace/Shared/x/.spaceops/a.json'])
    expect(await call('POST', '/api/2.0/workspace/delete', { path: '/Workspace/Shared/x/.spaceops/a.json' })).toEqual({ status: 200, body: {} })
    // an empty folder lists as {} (no objects key), as the real API answers
    expect(await call('GET', `/api/2.0/workspace/list?path=${q('/Workspace/Shared/x/.spaceops')}`)).toEqual({ status: 200, body: {} })
    const gone = await call('GET', `/api/2.0/workspace/export?path=${q('/Workspace/Shared/x/.spaceops/a.json')}`)
    expect(gone).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Path (/Workspace/Shared/x/.spaceops/a.json) doesn't exist." }
    })
    expect((await call('POST', '/api/2.0/workspace/delete', { path: '/Workspace/Shared/x/.spaceops/a.json' })).status).toBe(404)
  })

  it('refuses to overwrite without overwrite: true (the atomic create a lock needs)', async () => {
    const body = { path: '/Workspace/Shared/lock', format: 'AUTO', content: b64('one') }
    expect((await call('POST', '/api/2.0/workspace/import', body)).status).toBe(200)
    expect(await call('POST', '/api/2.0/workspace/import', { ...body, content: b64('two') })).toEqual({
      status: 400,
      body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Path (/Workspace/Shared/lock) already exists.' }
    })
    expect((await call('POST', '/api/2.0/workspace/import', { ...body, content: b64('two'), overwrite: true })).status).toBe(200)
    const r = await call('GET', `/api/2.0/workspace/export?path=${q('/Workspace/Shared/lock')}`)
    expect(Buffer.from(r.body.content as string, 'base64').toString()).toBe('two')
  })

  it('validates imports as strictly as the docs allow', async () => {
    const base = { path: '/Workspace/Shared/f.json', format: 'AUTO', content: b64('x') }
    expect((await call('POST', '/api/2.0/workspace/import', { ...base, path: '/Workspace/Nope/f.json' })).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST')
    expect((await call('POST', '/api/2.0/workspace/import', { ...base, content: 'not base64!' })).body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'The content is not valid base64'
    })
    expect((await call('POST', '/api/2.0/workspace/import', { ...base, format: 'auto' })).body.error_code).toBe('INVALID_PARAMETER_VALUE')
    expect((await call('POST', '/api/2.0/workspace/import', { ...base, path: 'relative/f.json' })).body.error_code).toBe('INVALID_PARAMETER_VALUE')
    expect((await call('POST', '/api/2.0/workspace/import', { ...base, path: '/Workspace/Shared' })).body.error_code).toBe('RESOURCE_ALREADY_EXISTS')
    expect((await call('POST', '/api/2.0/workspace/import', { path: base.path, format: 'AUTO' })).body.message).toBe('Missing required field: content')
  })

  it('answers 403 PERMISSION_DENIED in a folder the caller may not write (or read)', async () => {
    await call('POST', '/api/2.0/workspace/mkdirs', { path: '/Workspace/Shared/ro' })
    await call('POST', '/_emulator/workspace/acl', { path: '/Workspace/Shared/ro', access: 'read' })
    const w = await call('POST', '/api/2.0/workspace/import', { path: '/Workspace/Shared/ro/f', format: 'AUTO', content: b64('x') })
    expect(w).toEqual({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'User does not have EDIT permission on /Workspace/Shared/ro/f' } })
    expect((await call('GET', `/api/2.0/workspace/list?path=${q('/Workspace/Shared/ro')}`)).status).toBe(200)
    await call('POST', '/_emulator/workspace/acl', { path: '/Workspace/Shared/ro', access: 'none' })
    expect((await call('GET', `/api/2.0/workspace/export?path=${q('/Workspace/Shared/ro/f')}`)).status).toBe(403)
  })
})
