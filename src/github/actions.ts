import * as core from '@actions/core'

/**
 * The part of the Actions runtime SpaceOps uses, as an interface so `run()` is tested with a
 * recording fake and no module mocks. `actionsRuntime()` is the real one (@actions/core).
 */
export interface AnnotationProps {
  title?: string
  file?: string
  startLine?: number
  startColumn?: number
}

export interface ActionsRuntime {
  getInput(name: string): string
  setOutput(name: string, value: string): void
  setSecret(secret: string): void
  setFailed(message: string): void
  info(message: string): void
  debug(message: string): void
  warning(message: string, props?: AnnotationProps): void
  error(message: string, props?: AnnotationProps): void
  notice(message: string, props?: AnnotationProps): void
  /** Append Markdown to the job summary. */
  appendSummary(markdown: string): Promise<void>
  getIDToken(audience?: string): Promise<string>
  env: Record<string, string | undefined>
  cwd: string
}

export function actionsRuntime(): ActionsRuntime {
  return {
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: (s) => core.setSecret(s),
    setFailed: (m) => core.setFailed(m),
    info: (m) => core.info(m),
    debug: (m) => core.debug(m),
    warning: (m, p) => core.warning(m, p ?? {}),
    error: (m, p) => core.error(m, p ?? {}),
    notice: (m, p) => core.notice(m, p ?? {}),
    appendSummary: async (md) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return
      await core.summary.addRaw(md, true).write()
    },
    getIDToken: (aud) => core.getIDToken(aud),
    env: process.env,
    cwd: process.cwd()
  }
}
