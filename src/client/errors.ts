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
    const redact = (s: string): string => redactCredentials(init.secrets ? init.secrets.redact(s) : s)
    const apiMessage = redact(oneLine(init.detail))
    super(redact(formatApiErrorMessage({ ...init, detail: apiMessage })), { cause: init.cause })
    this.name = 'GenieApiError'
    this.operation = init.operation
    if (init.spaceId !== undefined) this.spaceId = init.spaceId
    if (init.status !== undefined) this.status = init.status
    if (init.errorCode !== undefined) this.errorCode = init.errorCode
    this.apiMessage = apiMessage
    this.ambiguous = init.ambiguous ?? false
  }
}

export function formatApiErrorMessage(p: {
  operation: string
  spaceId?: string
  status?: number
  errorCode?: string
  detail: string
  note?: string
}): string {
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

export function parseErrorBody(text: string): ErrorBody {
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
        return withCode(code, excerpt(message ?? '(no message)', 1000))
      }
      // OAuth envelope (RFC 6749 §5.2)
      const oauthCode = str('error')
      const oauthDesc = str('error_description')
      if (oauthCode !== undefined || oauthDesc !== undefined) {
        return withCode(oauthCode, excerpt(oauthDesc ?? '(no description)', 1000))
      }
    }
  } catch {
    // not JSON: fall through to an excerpt
  }
  return { message: excerpt(stripHtml(trimmed), MAX_EXCERPT) }
}

function withCode(code: string | undefined, message: string): ErrorBody {
  return code === undefined ? { message } : { errorCode: oneLine(code), message }
}

function stripHtml(text: string): string {
  if (!/<[a-z!/][^>]*>/i.test(text)) return text
  return text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
}

/** One line, at most `max` characters. */
export function excerpt(text: string, max = MAX_EXCERPT): string {
  const line = oneLine(text).replace(/\s+/g, ' ')
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`
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
