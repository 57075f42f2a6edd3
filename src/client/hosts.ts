/**
 * Normalises a Databricks workspace host (DATABRICKS_HOST / the `host` input) to an origin:
 * `https://` is added when there is no scheme; any path, query, fragment and trailing slash are
 * dropped (people paste `https://x.cloud.databricks.com/?o=123#…` from the browser).
 *
 * Plain `http://` is accepted ONLY for loopback (127.0.0.0/8, localhost, [::1]) so the local emulator
 * and tests work; anywhere else a bearer token would travel in clear text, so it is refused.
 * A host carrying `user:password@` is refused too (and the message does not repeat it).
 */
import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import { SpaceOpsError } from '../util/errors.js'

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i

export function normalizeHost(raw: string, names: Names = NEUTRAL_NAMES): string {
  const input = raw.trim()
  if (input === '') {
    throw new SpaceOpsError(
      `Databricks host is empty: set DATABRICKS_HOST${viaOption(names, 'host', ' (or ', ')')}, e.g. https://adb-123.4.azuredatabricks.net`
    )
  }
  // a reference nobody expanded (a shell, a YAML file): never let "${…}" become part of a path or a name
  if (input.includes('${')) throw new SpaceOpsError(`Databricks host "${input}" contains an unexpanded \${…} reference: the workflow must give the host itself`)
  const withScheme = SCHEME.test(input) ? input : `https://${input}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new SpaceOpsError(`Databricks host "${input}" is not a valid URL`)
  }
  if (url.username !== '' || url.password !== '') {
    throw new SpaceOpsError('Databricks host must not contain credentials (user:password@); pass a token instead')
  }
  if (url.hostname === '') {
    throw new SpaceOpsError(`Databricks host "${input}" has no host name`)
  }
  if (url.protocol === 'https:') return `https://${url.host}`
  if (url.protocol === 'http:') {
    if (isLoopbackHostname(url.hostname)) return `http://${url.host}`
    throw new SpaceOpsError(
      `Databricks host ${url.protocol}//${url.host} uses plain http: https is required (http is allowed only for loopback hosts such as 127.0.0.1 or localhost)`
    )
  }
  throw new SpaceOpsError(`Databricks host "${url.protocol}//${url.host}" must use https://`)
}

/** 127.0.0.0/8, localhost (and *.localhost), [::1]. `hostname` as URL gives it (IPv6 in brackets). */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '')
  if (h === 'localhost' || h.endsWith('.localhost')) return true
  if (h === '[::1]' || h === '::1') return true
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h)
  if (m) return m.slice(1).every((p) => Number(p) <= 255) && Number(m[1]) === 127
  return false
}
