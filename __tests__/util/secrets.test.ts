import { SecretRegistry, encodedForms } from '../../src/util/secrets.js'

const SECRET = 'plain/CANARY+secret=7f3a 9?&'

describe('SecretRegistry registers the forms a server echoes', () => {
  test('raw, URL-encoded, form-encoded, base64 and base64url', () => {
    const r = new SecretRegistry()
    r.add(SECRET)
    const echoes = [
      SECRET,
      encodeURIComponent(SECRET),
      new URLSearchParams({ client_secret: SECRET }).toString().split('=').slice(1).join('='),
      Buffer.from(SECRET).toString('base64'),
      Buffer.from(SECRET).toString('base64url')
    ]
    for (const e of echoes) expect(r.redact(`echo: ${e} end`)).toBe('echo: *** end')
  })

  test('base64 of the secret inside a longer base64 text, at every alignment (a Basic credential)', () => {
    const r = new SecretRegistry()
    r.add(SECRET)
    for (const id of ['a', 'ab', 'abc', 'sp-client-id']) {
      const basic = Buffer.from(`${id}:${SECRET}`).toString('base64')
      const out = r.redact(`Authorization: ${basic}`)
      // what is left cannot decode to more than a few characters of the secret
      const left = out.replace('Authorization: ', '').split('***').join('')
      expect(left.length).toBeLessThan(basic.length / 2)
      expect(Buffer.from(left, 'base64').toString('latin1')).not.toContain(SECRET.slice(0, 5))
    }
  })

  test('a secret containing another is replaced whole, whatever the order of registration', () => {
    const r = new SecretRegistry()
    r.add('abcd1234')
    r.add('abcd1234-and-more')
    expect(r.redact('x abcd1234-and-more y abcd1234 z')).toBe('x *** y *** z')
  })

  test('every form reaches the sinks (core.setSecret); short derived forms are not registered', () => {
    const masked: string[] = []
    const r = new SecretRegistry([(s) => masked.push(s)])
    r.add(SECRET)
    expect(masked).toEqual(expect.arrayContaining([SECRET, encodeURIComponent(SECRET), Buffer.from(SECRET).toString('base64')]))
    const short = new SecretRegistry()
    short.add('ab')
    short.add('abcd')
    expect(short.redact('ab abcd YWJjZA')).toBe('ab *** YWJjZA')
    expect(encodedForms('abcd').every((f) => f !== 'abcd')).toBe(true)
  })

  test('a registry without encodings keeps exactly what it is given', () => {
    const masked: string[] = []
    const r = new SecretRegistry([(s) => masked.push(s)], { encodings: false })
    r.add(SECRET)
    expect(masked).toEqual([SECRET])
  })
})
