import { createGenieClient } from '../../src/client/index.js'
import { readRecord, writeRecord, completed, runInfo } from '../../src/deploy/records.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { SpaceOpsError } from '../../src/util/errors.js'
import { loadDefinitionFile } from '../../src/model/load.js'
import { emulator } from '../helpers/emulator.js'
import { ROOT } from '../helpers/cli.js'
import path from 'node:path'

// Deploy records are written without a mkdirs before each write (the deploy lock's file made the
// folder); when the folder is gone anyway, the write makes it and tries once more — and only once.

type Emu = Awaited<ReturnType<typeof emulator>>
let emu: Emu
beforeAll(async () => {
  emu = await emulator({ seed: 3 })
})
afterAll(async () => emu.close())
beforeEach(async () => {
  await emu.reset()
  await emu.clearRequests()
})

const client = () => createGenieClient({ env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: 'dapiRECORDtest000001' }, secrets: new SecretRegistry() })

async function record() {
  const loaded = await loadDefinitionFile(path.join(ROOT, 'examples/spaces/sales/space.yaml'))
  if (!loaded.definition) throw new Error('example did not load')
  return completed({
    key: 'sales',
    environment: 'dev',
    spaceId: '01f0aaaabbbbccccddddeeeeffff0000',
    space: loaded.definition.space,
    run: runInfo({}, 'cli'),
    now: new Date('2026-12-01T00:00:00Z')
  })
}

test('a record written into a folder that does not exist: import refused, mkdirs, import again; the record reads back', async () => {
  const folder = '/Workspace/Shared/records-missing/.spaceops'
  const c = client()
  const r = await record()
  await writeRecord({ client: c, folder }, r)
  const writes = (await emu.requests()).filter((l) => l.method === 'POST').map((l) => `${l.path} ${l.status}`)
  expect(writes).toEqual(['/api/2.0/workspace/import 404', '/api/2.0/workspace/mkdirs 200', '/api/2.0/workspace/import 200'])
  expect(await readRecord(c, folder, 'sales')).toEqual(r)
})

test('a folder that cannot be made: one line naming the record file and the permission, one mkdirs, no loop', async () => {
  const folder = '/Workspace/Shared/locked/.spaceops'
  await fetch(`${emu.url}/_emulator/workspace/acl`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: '/Workspace/Shared/locked', access: 'read' })
  })
  const err = await writeRecord({ client: client(), folder }, await record()).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(SpaceOpsError)
  const message = (err as Error).message
  expect(message.split('\n')).toHaveLength(1)
  expect(message).toContain(`${folder}/sales.json`)
  expect(message).toMatch(/Can Edit/)
  const posts = (await emu.requests()).filter((l) => l.method === 'POST' && l.path.startsWith('/api/'))
  expect(posts.filter((l) => l.path.endsWith('/mkdirs'))).toHaveLength(1)
  expect(posts.filter((l) => l.path.endsWith('/import')).length).toBeLessThanOrEqual(2)
})
