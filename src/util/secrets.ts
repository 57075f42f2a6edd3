/**
 * Every credential SpaceOps learns (tokens, client secrets, exchanged OAuth tokens) is registered
 * here the moment it is known. The action forwards each one to `core.setSecret` (so the runner masks
 * it); the CLI passes all its output through `redact`. Error messages are redacted too.
 */
export type SecretSink = (secret: string) => void

export class SecretRegistry {
  private readonly secrets = new Set<string>()
  private readonly sinks: SecretSink[] = []

  constructor(sinks: SecretSink[] = []) {
    this.sinks.push(...sinks)
  }

  add(secret: string | undefined | null): void {
    if (!secret || secret.length < 4 || this.secrets.has(secret)) return
    this.secrets.add(secret)
    for (const sink of this.sinks) sink(secret)
  }

  addSink(sink: SecretSink): void {
    this.sinks.push(sink)
    for (const s of this.secrets) sink(s)
  }

  redact(text: string): string {
    let out = text
    for (const s of this.secrets) out = out.split(s).join('***')
    return out
  }
}
