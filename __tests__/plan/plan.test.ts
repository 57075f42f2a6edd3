import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createGenieClient, type FetchLike } from '../../src/client/index.js'
import { readDefinition } from '../../src/core/validate.js'
import { pushSpace } from '../../src/deploy/push.js'
import { pushRecordsContext, pushWithRecords } from '../../src/deploy/recorded.js'
import { driftSpace, planSpace } from '../../src/plan/plan.js'
import { silentLogger } from '../../src/util/logger.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { ROOT } from '../helpers/cli.js'
import { emulator } from '../helpers/emulator.js'

// Planning many spaces is waiting on round trips: a definition whose space id is given (input
// space-id, the environment's space_id) has its deploy record and its space read at once — and so
// has a push's look before the lock.

type Emu = Awaited<ReturnType<typeof emulator>>
let emu: Emu
beforeAll(async () => {
  emu = await emulator({ seed: 3 })
})
afterAll(async () => emu.close())

/** A client to the emulator that notes when each request went out and when its answer came. */
function timedClient() {
  const seen: { path: string; sent: number; answered?: number }[] = []
  const fetch: FetchLike = async (url, init) => {
    const line: (typeof seen)[number] = { path: new URL(url).pathname, sent: performance.now() }
    seen.push(line)
    const res = await globalThis.fetch(url, init)
    line.answered = performance.now()
    return res
  }
  const client = createGenieClient({ env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: 'dapiPLANtest00000001' }, secrets: new SecretRegistry(), fetch })
  return { client, seen }
}

test.each([
  ['plan', planSpace],
  ['drift', driftSpace]
] as const)('%s with a space id: the record and the space are in flight together, not one after the other', async (_name, fn) => {
  const { definition } = await readDefinition(path.join(ROOT, 'examples/spaces/sales/space.yaml'), { strict: true })
  const { client, seen } = timedClient()
  const pushed = await pushSpace(client, definition.space, { logger: silentLogger, overrides: { warehouse_id: 'wh-1' } })
  await emu.faults({ latencyMs: 150 })
  seen.length = 0
  try {
    const plan = await fn(client, definition.space, {
      definition: 'spaces/sales/space.yaml',
      spaceId: pushed.spaceId as string,
      records: { folder: '/Workspace/Shared/plan-test/.spaceops', key: 'sales' },
      overrides: { warehouse_id: 'wh-1' }
    })
    expect(plan.status).toBe('unchanged')
    expect(plan.spaceId).toBe(pushed.spaceId)
  } finally {
    await emu.faults({})
  }
  const record = seen.find((r) => r.path === '/api/2.0/workspace/export')
  const space = seen.find((r) => r.path === `/api/2.0/genie/spaces/${pushed.spaceId}`)
  expect(seen).toHaveLength(2)
  // each waits 150 ms for its answer: one after the other, the second would go out after the first's answer
  expect(record!.sent).toBeLessThan(space!.answered!)
  expect(space!.sent).toBeLessThan(record!.answered!)
})

test('push with a space id: the look before the lock reads the record and the space together; nothing to write, nothing written', async () => {
  const { definition } = await readDefinition(path.join(ROOT, 'examples/spaces/sales/space.yaml'), { strict: true })
  const { client, seen } = timedClient()
  const overrides = { warehouse_id: 'wh-1', parent_path: '/Workspace/Shared/push-test' }
  const pushed = await pushSpace(client, definition.space, { logger: silentLogger, overrides })
  await emu.faults({ latencyMs: 150 })
  seen.length = 0
  try {
    const ctx = pushRecordsContext({ client, space: definition.space, overrides, key: 'sales', run: { kind: 'cli' }, logger: silentLogger })
    const result = await pushWithRecords(client, definition.space, { spaceId: pushed.spaceId as string, overrides, logger: silentLogger }, ctx)
    expect(result.action).toBe('unchanged')
  } finally {
    await emu.faults({})
  }
  expect(seen.map((r) => r.path).sort()).toEqual([`/api/2.0/genie/spaces/${pushed.spaceId}`, '/api/2.0/workspace/export'])
  const [a, b] = seen
  expect(a!.sent).toBeLessThan(b!.answered!)
  expect(b!.sent).toBeLessThan(a!.answered!)
})
