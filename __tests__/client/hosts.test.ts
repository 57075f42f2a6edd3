import { SpaceOpsError } from '../../src/util/errors.js'
import { normalizeHost } from '../../src/client/index.js'

describe('normalizeHost', () => {
  test.each([
    ['adb-123.4.azuredatabricks.net', 'https://adb-123.4.azuredatabricks.net'],
    ['https://dbc-1.cloud.databricks.com/', 'https://dbc-1.cloud.databricks.com'],
    ['  https://dbc-1.cloud.databricks.com/?o=123#notebook/1  ', 'https://dbc-1.cloud.databricks.com'],
    ['https://DBC-1.Cloud.Databricks.com/some/path', 'https://dbc-1.cloud.databricks.com'],
    ['https://dbc-1.cloud.databricks.com:8443/x', 'https://dbc-1.cloud.databricks.com:8443'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['http://127.5.6.7', 'http://127.5.6.7'],
    ['http://localhost:3000/api', 'http://localhost:3000'],
    ['http://[::1]:9000', 'http://[::1]:9000']
  ])('%s -> %s', (input, expected) => {
    expect(normalizeHost(input)).toBe(expected)
  })

  test.each(['http://dbc-1.cloud.databricks.com', 'http://10.0.0.5', 'http://128.0.0.1', 'http://localhost.evil.com'])(
    'plain http to a non-loopback host is refused: %s',
    (input) => {
      let err: unknown
      try {
        normalizeHost(input)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(SpaceOpsError)
      const message = (err as Error).message
      expect(message).toMatch(/https is required/)
      expect(message).not.toContain('\n')
    }
  )

  test('empty, credentials and other schemes are refused with one line', () => {
    expect(() => normalizeHost('  ')).toThrow(/DATABRICKS_HOST/)
    expect(() => normalizeHost('ftp://x.example.com')).toThrow(/https/)
    let message = ''
    try {
      normalizeHost('https://me:hunter2secret@x.example.com')
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(/credentials/)
    expect(message).not.toContain('hunter2secret')
  })

  test('a host with an unexpanded ${…} reference is refused, not cut down to the origin before it', () => {
    for (const input of ['http://127.0.0.1:9/${DATABRICKS_DEV_HOST}', '${DATABRICKS_DEV_HOST}', 'https://x.example.com?${A}']) {
      expect(() => normalizeHost(input)).toThrow(/contains an unexpanded \$\{…\} reference/)
    }
  })
})
