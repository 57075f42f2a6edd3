import type { ActionsRuntime, AnnotationProps } from '../../src/github/actions.js'

/** A recording stand-in for the Actions runtime: inputs in, everything the action did out. */
export class FakeRuntime implements ActionsRuntime {
  outputs: Record<string, string> = {}
  secrets: string[] = []
  failed: string | undefined
  logs: string[] = []
  annotations: { level: 'error' | 'warning' | 'notice'; message: string; props?: AnnotationProps }[] = []
  summary = ''
  env: Record<string, string | undefined>

  constructor(
    private readonly inputs: Record<string, string>,
    readonly cwd: string,
    env: Record<string, string | undefined> = {}
  ) {
    this.env = env
  }
  getInput(name: string): string {
    return this.inputs[name] ?? ''
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value
  }
  setSecret(secret: string): void {
    this.secrets.push(secret)
  }
  setFailed(message: string): void {
    this.failed = message
  }
  info(message: string): void {
    this.logs.push(message)
  }
  infoLines(text: string): void {
    this.logs.push(text)
  }
  debug(message: string): void {
    this.logs.push(`debug: ${message}`)
  }
  warning(message: string, props?: AnnotationProps): void {
    this.annotations.push({ level: 'warning', message, ...(props ? { props } : {}) })
  }
  error(message: string, props?: AnnotationProps): void {
    this.annotations.push({ level: 'error', message, ...(props ? { props } : {}) })
  }
  notice(message: string, props?: AnnotationProps): void {
    this.annotations.push({ level: 'notice', message, ...(props ? { props } : {}) })
  }
  async appendSummary(markdown: string): Promise<void> {
    this.summary += markdown
  }
  async getIDToken(): Promise<string> {
    throw new Error('no ID token in tests')
  }
  /** Everything the action printed anywhere, for secret checks. */
  everything(): string {
    return [...this.logs, ...this.annotations.map((a) => a.message), this.summary, this.failed ?? '', ...Object.values(this.outputs)].join('\n')
  }
}
