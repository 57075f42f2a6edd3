import { ok } from '../../src/emulator/http.js'
import { Router } from '../../src/emulator/router.js'

describe('Router', () => {
  const router = new Router()
  const h = (name: string) => () => ok({ name })
  // The existing family…
  router.add({ method: 'GET', pattern: '/api/2.0/genie/spaces', op: 'list', handler: h('list') })
  router.add({ method: 'GET', pattern: '/api/2.0/genie/spaces/{space_id}', op: 'get', handler: h('get') })
  router.add({ method: 'PATCH', pattern: '/api/2.0/genie/spaces/{space_id}', op: 'update', handler: h('update') })
  // …and a later one, registered from another module without touching the router.
  router.add({ method: 'POST', pattern: '/api/2.0/genie/spaces/{space_id}/start-conversation', op: 'start', handler: h('start') })
  router.add({
    method: 'GET',
    pattern: '/api/2.0/genie/spaces/{space_id}/conversations/{conversation_id}/messages/{message_id}',
    op: 'message',
    handler: h('message')
  })
  router.add({ method: 'GET', pattern: '/api/2.0/sql/statements/{statement_id}', op: 'statement', handler: h('statement') })
  router.add({ method: 'GET', pattern: '/api/2.0/sql/statements/special', op: 'special', handler: h('special') })

  test('params are extracted and decoded', () => {
    const m = router.match('GET', '/api/2.0/genie/spaces/abc/conversations/c%201/messages/m1')
    expect(m).toMatchObject({ kind: 'found', route: { op: 'message' }, params: { space_id: 'abc', conversation_id: 'c 1', message_id: 'm1' } })
  })

  test('literal segments beat parameters regardless of registration order', () => {
    expect(router.match('GET', '/api/2.0/sql/statements/special')).toMatchObject({ kind: 'found', route: { op: 'special' } })
    expect(router.match('GET', '/api/2.0/sql/statements/other')).toMatchObject({ kind: 'found', route: { op: 'statement' } })
  })

  test('405 lists the allowed methods; 404 otherwise; trailing slash ignored; empty param refused', () => {
    expect(router.match('DELETE', '/api/2.0/genie/spaces/abc')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'PATCH'] })
    expect(router.match('GET', '/api/2.0/genie/spaces/abc/start-conversation')).toEqual({ kind: 'method-not-allowed', allowed: ['POST'] })
    expect(router.match('GET', '/api/2.0/genie/nothing')).toEqual({ kind: 'not-found' })
    expect(router.match('GET', '/api/2.0/genie/spaces/')).toMatchObject({ kind: 'found', route: { op: 'list' } })
    expect(router.match('GET', '/api/2.0/genie/spaces//conversations/c/messages/m')).toEqual({ kind: 'not-found' })
    expect(router.match('GET', '/api/2.0/genie/spaces/%E0%A4%A')).toEqual({ kind: 'not-found' })
  })

  test('duplicate ops or routes are refused at registration', () => {
    expect(() => router.add({ method: 'GET', pattern: '/x', op: 'list', handler: h('x') })).toThrow(/duplicate route op list/)
    expect(() => router.add({ method: 'GET', pattern: '/api/2.0/genie/spaces', op: 'list2', handler: h('x') })).toThrow(/duplicate route/)
  })
})
