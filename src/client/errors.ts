/**
 * GenieApiError: the one error the client layer throws for a failed API call (including OAuth token
 * requests). Its message is ONE line:
 *
 *   `<operation> [<space id>] failed: HTTP <status> <error_code>: <message>`
 *
 * built from the Databricks `{error_code, message}` envelope, or the OAuth `{error, error_description}`
 * envelope (RFC 6749 §5.2, what `/oidc/v1/token` answers), or — when the body is not JSON — a short
 * single-line excerpt (HTML tags stripped). Every secret registered in the SecretRegistry is redacted
 * from the message, and so is anything shaped like a bearer/basic credential, a Databricks PAT
 * (`dapi…`) or a JWT, in case the server echoes back something that was never registered.
 *
 * `ambiguous: true` means the request may have been applied (a non-idempotent call such as
 * "create space" failed with 5xx, a dropped connection or a timeout): the caller should look for what
 * it may have created before trying again. A definite refusal (4xx) is never ambiguous.
 */
import { SpaceOpsError, oneLine } from '../util/errors.js'
import type { SecretRegistry } from '../util/secrets.js'

export interface GenieApiErrorInit {
  /** Human operation name: `get space`, `create space`, `OAuth token request to https://…`. */
  operation: string
  spaceId?: string
  status?: number
  errorCode?: string
  /** The API's own message (or a body excerpt, or a transport-level description). */
  detail: string
  /** Extra text appended in parentheses, e.g. `gave up after 5 attempts`. */
  note?: string
  ambiguous?: boolean
  secrets?: SecretRegistry
  cause?: unknown
}

export class GenieApiError extends SpaceOpsError {
  readonly operation: string
  readonly spaceId?: string
  readonly status?: number
  readonly errorCode?: string
  /** The API's own message, redacted (without operation/status prefix). */
  readonly apiMessage: string
  readonly ambiguous: boolean

  constructor(init: GenieApiErrorInit) {
    // Redacted whole, then cut: a cut first could leave part of a secret that no longer matches.
    const apiMessage = excerpt(init.detail, MAX_DETAIL, init.secrets)
    super(redactText(formatApiErrorMessage({ ...init, detail: apiMessage }), init.secrets), { cause: init.cause })
    this.name = 'GenieApiError'
    this.operation = init.operation
    if (init.spaceId !== undefined) this.spaceId = init.spaceId
    if (init.status !== undefined) this.status = init.status
    if (init.errorCode !== undefined) this.errorCode = init.errorCode
    this.apiMessage = apiMessage
    this.ambiguous = init.ambiguous ?? false
  }
}

export function formatApiErrorMessage(p: { operation: string; spaceId?: string; status?: number; errorCode?: string; detail: string; note?: string }): string {
  let head = p.operation
  if (p.spaceId) head += ` ${p.spaceId}`
  let why = ''
  if (p.status !== undefined) {
    why = `HTTP ${p.status}`
    if (p.errorCode) why += ` ${p.errorCode}`
    why += p.detail ? `: ${p.detail}` : ''
  } else {
    why = p.detail
  }
  const note = p.note ? ` (${p.note})` : ''
  return oneLine(`${head} failed: ${why}${note}`)
}

/** What an error response body says, from either envelope, or an excerpt. */
export interface ErrorBody {
  errorCode?: string
  message: string
}

const MAX_EXCERPT = 200
/** The longest API message kept in an error. */
const MAX_DETAIL = 1000

/** What an error body says; every excerpt of it is redacted with `secrets` before it is cut. */
export function parseErrorBody(text: string, secrets: SecretRegistry | undefined): ErrorBody {
  const trimmed = text.trim()
  if (trimmed === '') return { message: '(empty response body)' }
  try {
    const parsed: unknown = JSON.parse(trimmed)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const o = parsed as Record<string, unknown>
      const str = (k: string): string | undefined => {
        const v = o[k]
        return typeof v === 'string' && v.trim() !== '' ? v : undefined
      }
      // Databricks envelope
      const code = str('error_code')
      const message = str('message')
      if (code !== undefined || message !== undefined) {
        return withCode(code, excerpt(message ?? '(no message)', MAX_DETAIL, secrets), secrets)
      }
      // OAuth envelope (RFC 6749 §5.2)
      const oauthCode = str('error')
      const oauthDesc = str('error_description')
      if (oauthCode !== undefined || oauthDesc !== undefined) {
        return withCode(oauthCode, excerpt(oauthDesc ?? '(no description)', MAX_DETAIL, secrets), secrets)
      }
    }
  } catch {
    // not JSON: fall through to an excerpt
  }
  return { message: excerpt(stripHtml(trimmed), MAX_EXCERPT, secrets) }
}

function withCode(code: string | undefined, message: string, secrets: SecretRegistry | undefined): ErrorBody {
  return code === undefined ? { message } : { errorCode: excerpt(code, MAX_EXCERPT, secrets), message }
}

function stripHtml(text: string): string {
  if (!/<[a-z!/][^>]*>/i.test(text)) return text
  return text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
}

/**
 * One line of at most `max` characters, redacted IN FULL before it is cut (`secrets` and the
 * credential shapes of `redactCredentials`): cutting first could keep 29 of a token's 32 characters,
 * which then match nothing. Every length cap on text that came from a server goes through here.
 */
export function excerpt(text: string, max: number, secrets: SecretRegistry | undefined): string {
  const line = redactText(oneLine(text).replace(/\s+/g, ' '), secrets)
  if (line.length <= max) return line
  // Never cut a surrogate pair in two.
  const end = /[\ud800-\udbff]/.test(line.charAt(max - 2)) ? max - 2 : max - 1
  return `${line.slice(0, end)}…`
}

/** The registry's secrets, then anything shaped like a credential. */
export function redactText(text: string, secrets: SecretRegistry | undefined): string {
  return redactCredentials(secrets ? secrets.redact(text) : text)
}

/**
 * Defence in depth on top of the SecretRegistry: mask anything that looks like a credential even if it
 * was never registered (e.g. a server echoing an Authorization header).
 */
export function redactCredentials(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi, '$1 ***')
    .replace(/\bdapi[0-9A-Za-z-]{8,}/g, '***')
    .replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '***')
}
