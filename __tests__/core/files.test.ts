import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { decodeUtf8, readTextFile } from '../../src/core/files.js'
import { SpaceOpsError } from '../../src/util/errors.js'
import { cli, STACK_TRACE } from '../helpers/cli.js'
import { rawHost } from '../helpers/net.js'

const SPACE = 'title: Sales\ndata_sources:\n  tables:\n    - identifier: main.sales.orders\n'

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'spaceops-files-'))
}

async function thrown(p: Promise<unknown>): Promise<SpaceOpsError> {
  try {
    await p
  } catch (err) {
    if (err instanceof SpaceOpsError) return err
    throw err
  }
  throw new Error('expected a SpaceOpsError')
}

describe('readTextFile: regular files only', () => {
  test('a FIFO is refused at once (nothing is opened for a blocking read)', async () => {
    const dir = tmp()
    execFileSync('mkfifo', [path.join(dir, 'space.yaml')])
    const t0 = Date.now()
    const err = await thrown(readTextFile('space.yaml', { cwd: dir }))
    expect(Date.now() - t0).toBeLessThan(1_000)
    expect(err.format()).toBe('space.yaml: cannot read: is a named pipe (FIFO), not a regular file')
  })

  test('validate, render and push of a FIFO end with one line, exit 1, and never contact the host', async () => {
    const dir = tmp()
    execFileSync('mkfifo', [path.join(dir, 'space.yaml')])
    const host = await rawHost('refuse')
    try {
      for (const argv of [
        ['validate', 'space.yaml'],
        ['render', 'space.yaml'],
        ['push', 'space.yaml', '--host', host.url, '--token', 'dapi-fifo-0001']
      ]) {
        const t0 = Date.now()
        const r = await cli(argv, { cwd: dir })
        expect(Date.now() - t0).toBeLessThan(2_000)
        expect(r.code).toBe(1)
        expect(r.out + r.err).toContain('space.yaml: cannot read: is a named pipe (FIFO), not a regular file')
        expect(r.out + r.err).not.toMatch(STACK_TRACE)
      }
      expect(host.connections).toBe(0)
    } finally {
      await host.close()
    }
  })

  test('a device, a directory and a socket are refused by kind; a symlink to a regular file is read', async () => {
    const dir = tmp()
    expect((await thrown(readTextFile('/dev/null'))).message).toBe('cannot read: is a device, not a regular file')
    mkdirSync(path.join(dir, 'folder.yaml'))
    expect((await thrown(readTextFile('folder.yaml', { cwd: dir }))).message).toBe('cannot read: is a directory, not a regular file')
    const sock = path.join(dir, 'space.sock')
    const server = net.createServer().listen(sock)
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      expect((await thrown(readTextFile(sock))).message).toBe('cannot read: is a socket, not a regular file')
    } finally {
      server.close()
    }
    writeFileSync(path.join(dir, 'real.yaml'), SPACE)
    symlinkSync(path.join(dir, 'real.yaml'), path.join(dir, 'link.yaml'))
    expect(await readTextFile('link.yaml', { cwd: dir })).toBe(SPACE)
    symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'))
    expect((await thrown(readTextFile('zero.yaml', { cwd: dir }))).message).toBe('cannot read: is a device, not a regular file')
  })

  test('a missing file and an oversized file are one line naming the file', async () => {
    const dir = tmp()
    expect((await thrown(readTextFile('nope.yaml', { cwd: dir }))).format()).toBe('nope.yaml: cannot read: no such file')
    writeFileSync(path.join(dir, 'big.yaml'), 'x'.repeat(2_000))
    expect((await thrown(readTextFile('big.yaml', { cwd: dir, maxBytes: 1_000 }))).format()).toBe(
      'big.yaml: cannot read: 2000 bytes; a definition, suite or config file may be at most 1000 bytes'
    )
  })
})

describe('strict UTF-8', () => {
  test('invalid bytes are an error at the line and column of the first one, never replaced', () => {
    const bytes = Buffer.concat([
      Buffer.from('title: Sales\ndata_sources:\n  tables:\n    - identifier: main.sales.'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('orders\n')
    ])
    expect(() => decodeUtf8(bytes, 'space.yaml')).toThrow(SpaceOpsError)
    try {
      decodeUtf8(bytes, 'space.yaml')
    } catch (err) {
      expect((err as SpaceOpsError).format()).toBe('space.yaml:4:30: not valid UTF-8 (byte 0xc3 at offset 66); save the file as UTF-8')
    }
  })

  test.each([
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a truncated sequence at the end', [0xe2, 0x82]],
    ['a lone continuation byte', [0x80]]
  ])('%s is refused', (_what, tail) => {
    const bytes = Buffer.concat([Buffer.from('title: é\n'), Buffer.from(tail)])
    expect(() => decodeUtf8(bytes, 'f.yaml')).toThrow(/^not valid UTF-8 \(byte 0x[0-9a-f]{2} at offset 10\)/)
  })

  test('valid multi-byte text reads as written; a byte order mark is dropped', () => {
    expect(decodeUtf8(Buffer.from('title: Ventes € 📈\n'), 'f.yaml')).toBe('title: Ventes € 📈\n')
    expect(decodeUtf8(Buffer.from('\ufefftitle: a\n'), 'f.yaml')).toBe('title: a\n')
  })

  test('validate reports invalid UTF-8 in a definition, a payload and a suite at file:line:col', async () => {
    const dir = tmp()
    mkdirSync(path.join(dir, 'benchmarks'))
    writeFileSync(path.join(dir, 'space.yaml'), Buffer.concat([Buffer.from('title: Sales\ndescription: caf'), Buffer.from([0xe9]), Buffer.from('\n')]))
    writeFileSync(
      path.join(dir, 'p.json'),
      Buffer.concat([Buffer.from('{"title": "'), Buffer.from([0xff]), Buffer.from('", "serialized_space": {"version": 2}}')])
    )
    writeFileSync(path.join(dir, 'benchmarks/suite.yaml'), Buffer.concat([Buffer.from('queries:\n  - question: "'), Buffer.from([0xfe]), Buffer.from('"\n')]))
    const r = await cli(['validate', 'space.yaml', 'p.json', 'benchmarks/suite.yaml'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.out).toContain('space.yaml:2:17: not valid UTF-8 (byte 0xe9 at offset 29); save the file as UTF-8')
    expect(r.out).toContain('p.json:1:12: not valid UTF-8 (byte 0xff at offset 11)')
    expect(r.out).toContain('benchmarks/suite.yaml:2:16: not valid UTF-8 (byte 0xfe at offset 24)')
  })
})
