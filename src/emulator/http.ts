/**
 * Response and error types shared by the router, the server and the route modules.
 *
 * Error bodies use the Databricks REST envelope `{"error_code": "...", "message": "..."}`
 * (genie-api.md, "Errors and retries"). The OAuth token endpoint uses the OAuth 2.0 shape
 * `{"error": "...", "error_description": "..."}` instead (RFC 6749 §5.2), see routes/oauth.ts.
 */

import type { RequestFault } from './state.js'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

export interface ApiResponse {
  status: number
  /** Serialised as JSON. Omit for an empty body. */
  body?: unknown
  headers?: Record<string, string>
  /** Recorded in the request log entry (e.g. 'question-limit' for the Genie question limit's 429). */
  fault?: RequestFault
}

/** Thrown by handlers; the server turns it into the error envelope. */
export class ApiError extends Error {
  /** See ApiResponse.fault. */
  fault?: RequestFault

  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
    this.name = 'ApiError'
  }

  toResponse(): ApiResponse {
    const response: ApiResponse = { status: this.status, body: { error_code: this.errorCode, message: this.message }, headers: this.headers }
    if (this.fault) response.fault = this.fault
    return response
  }
}

export function ok(body: unknown, status = 200): ApiResponse {
  return { status, body }
}

export function invalidParameter(message: string): ApiError {
  return new ApiError(400, 'INVALID_PARAMETER_VALUE', message)
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The JSON type name used in error messages. */
export function jsonType(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

/**
 * RFC 3339 as protobuf's Timestamp.ToJsonString writes it (genie-wire-shapes.md, GenieSpace
 * create_time/update_time): UTC, "Z", fractional seconds only when non-zero.
 */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

/**
 * Parse a JSON request body. An empty body counts as `{}`.
 * Error code for an unparseable body: MALFORMED_REQUEST (what Databricks REST APIs answer, from
 * memory; genie-api.md does not list it — a guess).
 */
export function jsonBody(rawBody: string): Record<string, unknown> {
  if (rawBody.trim() === '') return {}
  let v: unknown
  try {
    v = JSON.parse(rawBody)
  } catch {
    throw new ApiError(400, 'MALFORMED_REQUEST', 'Could not parse request object: invalid JSON in the request body')
  }
  if (!isPlainObject(v)) throw new ApiError(400, 'MALFORMED_REQUEST', 'Could not parse request object: expected a JSON object')
  return v
}

/** An optional string field of a request body ('' and absent both mean "not set", as in proto3). */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw invalidParameter(`Invalid value for field ${field}: expected a string, got ${jsonType(v)}`)
  return v === '' ? undefined : v
}
