/**
 * Every credential SpaceOps learns (tokens, client secrets, exchanged OAuth tokens) is registered
 * here the moment it is known. The action forwards each one to `core.setSecret` (so the runner masks
 * it); the CLI passes all its output through `redact`. Error messages are redacted too, in full,
 * before anything cuts them to length (see `client/errors.ts`).
 *
 * `add` registers the encoded forms of a secret as well, because that is how servers echo them:
 * URL-encoded (`encodeURIComponent`, and form encoding with `+` for spaces), and base64 (standard
 * and URL-safe) at each of the three byte alignments, so the secret is caught inside a longer base64
 * text too (as in a Basic credential `base64(client_id:client_secret)`).
 */
export type SecretSink = (secret: string) => void

/** Shorter secrets are not secrets (and redacting them would garble ordinary text). */
const MIN_SECRET = 4
/** A derived (encoded) form shorter than this is not registered: it would match ordinary text. */
const MIN_DERIVED = 8

export class SecretRegistry {
  private readonly secrets = new Set<string>()
  private readonly sinks: SecretSink[] = []
  /** Longest first, so a secret containing another is replaced whole. */
  private ordered: string[] = []

  private readonly encodings: boolean

  /**
   * `encodings: false` registers exactly what it is given: for a registry fed by another one, which
   * already added every form (the action's runtime, fed through `core.setSecret`).
   */
  constructor(sinks: SecretSink[] = [], options: { encodings?: boolean } = {}) {
    this.sinks.push(...sinks)
    this.encodings = options.encodings ?? true
  }

  add(secret: string | undefined | null): void {
    if (!secret || secret.length < MIN_SECRET || this.secrets.has(secret)) return
    const derived = this.encodings ? encodedForms(secret).filter((f) => f.length >= MIN_DERIVED) : []
    const forms = [secret, ...derived]
    for (const form of forms) {
      if (this.secrets.has(form)) continue
      this.secrets.add(form)
      for (const sink of this.sinks) sink(form)
    }
    this.ordered = [...this.secrets].sort((a, b) => b.length - a.length)
  }

  addSink(sink: SecretSink): void {
    this.sinks.push(sink)
    for (const s of this.secrets) sink(s)
  }

  redact(text: string): string {
    let out = text
    for (const s of this.ordered) if (out.includes(s)) out = out.split(s).join('***')
    return out
  }
}

/** The forms of `secret` a server may echo besides the raw one. */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>()
  forms.add(encodeURIComponent(secret))
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2))
  const bytes = Buffer.from(secret, 'utf8')
  forms.add(bytes.toString('base64'))
  forms.add(bytes.toString('base64url'))
  for (const shift of [0, 1, 2]) {
    for (const alphabet of ['base64', 'base64url'] as const) forms.add(base64Inside(bytes, shift, alphabet))
  }
  forms.delete(secret)
  return [...forms].filter((f) => f !== '')
}

/**
 * The base64 characters that depend only on `bytes` when they sit `shift` bytes after a 3-byte
 * boundary inside a longer text: the characters mixing in bits of a neighbour are dropped at both ends.
 */
function base64Inside(bytes: Buffer, shift: number, alphabet: 'base64' | 'base64url'): string {
  const encoded = Buffer.concat([Buffer.alloc(shift), bytes])
    .toString(alphabet)
    .replace(/=+$/, '')
  // shift 1: chars 0-1 carry the pad byte's bits; shift 2: chars 0-2.
  const head = shift === 0 ? 0 : shift + 1
  // The last, incomplete group's last character mixes in the next byte's bits.
  const tail = (shift + bytes.length) % 3 === 0 ? 0 : 1
  return encoded.slice(head, encoded.length - tail)
}
