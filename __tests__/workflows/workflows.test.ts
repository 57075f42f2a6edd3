import { readFileSync } from 'node:fs'
import path from 'node:path'
import * as yaml from 'js-yaml'
import { isBasicExpression, isMapping, isString } from '@actions/workflow-parser'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import { ROOT } from '../helpers/cli.js'
import { CURRENT_MAJORS, WORKFLOWS_DIR, field, keyOf, parseWorkflowFile, rawStep, workflowFiles, type ParsedWorkflow } from './harness.js'

// What a team copies must be a valid workflow to GitHub, keep credentials inside GitHub
// environments, never expand untrusted values inside a script, and pass what the config needs.

/**
 * Inputs of this action the examples use before action.yml has them (prod.yml's plan/apply flow).
 * The last test fails once action.yml declares one: then remove it here.
 */
const PENDING_INPUTS: string[] = []

const files = workflowFiles()
const parsed = new Map<string, ParsedWorkflow>()
beforeAll(async () => {
  for (const f of files) parsed.set(f, await parseWorkflowFile(path.join(WORKFLOWS_DIR, f)))
})
const wf = (f: string) => parsed.get(f) as ParsedWorkflow
const declaredInputs = Object.keys((yaml.load(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs)

/** Every step of every job, with its raw mapping. */
function stepsOf(f: string) {
  return wf(f).template.jobs.flatMap((job) =>
    job.type === 'job' ? job.steps.map((step, index) => ({ job, step, raw: rawStep(wf(f).raw, job.id.value, index) as TemplateToken })) : []
  )
}

/** The raw job as written (the converted job drops its steps' `with:`). */
const rawJob = (f: string, id: string) => JSON.stringify(field(field(wf(f).raw, 'jobs'), id) ?? null)

function withOf(raw: TemplateToken): Record<string, TemplateToken> {
  const w = field(raw, 'with')
  const out: Record<string, TemplateToken> = {}
  if (w && isMapping(w)) for (const { key, value } of w) out[keyOf(key)] = value
  return out
}

function text(token: TemplateToken | undefined): string {
  if (!token) return ''
  if (isString(token)) return token.value
  if (isBasicExpression(token)) return `\${{ ${token.expression} }}`
  return JSON.stringify(token)
}

describe('examples/workflows', () => {
  it('has the workflows the README describes', () => {
    expect(files).toEqual(['deploy.yml', 'drift.yml', 'oidc.yml', 'pr.yml', 'prod.yml', 'ui-edits.yml'])
  })

  it.each(files)('%s: GitHub’s workflow parser reports no error', (f) => {
    expect(wf(f).problems).toEqual([])
  })

  it.each(files)('%s: no ${{ }} inside a run: script (values reach scripts through env:)', (f) => {
    for (const { job, step } of stepsOf(f)) {
      if ('run' in step)
        expect({ job: job.id.value, step: step.id, run: isString(step.run) ? 'plain' : text(step.run) }).toEqual({
          job: job.id.value,
          step: step.id,
          run: 'plain'
        })
    }
  })

  it.each(files)('%s: a job that uses a secret runs in a GitHub environment', (f) => {
    for (const job of wf(f).template.jobs) {
      const usesSecret = /\bsecrets\./.test(rawJob(f, job.id.value))
      if (usesSecret)
        expect({ job: job.id.value, environment: job.type === 'job' && job.environment !== undefined }).toEqual({ job: job.id.value, environment: true })
    }
  })

  it.each(files)('%s: every action at its current major; this action only with inputs action.yml declares', (f) => {
    for (const { job, raw } of stepsOf(f)) {
      const uses = text(field(raw, 'uses'))
      if (!uses) continue
      if (uses === '<owner>/spaceops-action@v1') {
        const unknown = Object.keys(withOf(raw)).filter((k) => !declaredInputs.includes(k) && !PENDING_INPUTS.includes(k))
        expect({ job: job.id.value, unknown }).toEqual({ job: job.id.value, unknown: [] })
        continue
      }
      const [name = '', version] = uses.split('@')
      expect({ uses, version }).toEqual({ uses, version: CURRENT_MAJORS[name] })
    }
  })

  it.each(files)('%s: every environment whose credentials a step gets also gets its warehouse id', (f) => {
    for (const { job, raw } of stepsOf(f)) {
      const env = field(raw, 'env')
      if (!env || !isMapping(env)) continue
      const keys = [...env].map(({ key }) => keyOf(key))
      for (const k of keys) {
        const m = /^DATABRICKS_([A-Z]+)_HOST$/.exec(k)
        if (m) expect({ job: job.id.value, key: k, warehouse: keys.includes(`${m[1]}_WAREHOUSE_ID`) }).toEqual({ job: job.id.value, key: k, warehouse: true })
      }
    }
  })

  it('concurrency: one deploy and one prod promotion at a time, never cancelled; plans cancel older plans', () => {
    const concurrency = (f: string) => {
      const c = field(wf(f).raw, 'concurrency')
      return { group: text(field(c, 'group')), cancel: text(field(c, 'cancel-in-progress')) }
    }
    expect(concurrency('deploy.yml')).toEqual({ group: 'genie-deploy', cancel: 'false' })
    expect(concurrency('oidc.yml')).toEqual({ group: 'genie-deploy', cancel: 'false' })
    expect(concurrency('prod.yml')).toEqual({ group: 'genie-prod', cancel: 'false' })
    expect(concurrency('pr.yml')).toEqual({ group: "${{ format('genie-pr-{0}', github.event.pull_request.number) }}", cancel: 'true' })
    expect(concurrency('drift.yml')).toEqual({ group: 'genie-drift', cancel: 'true' })
    expect(concurrency('ui-edits.yml')).toEqual({ group: 'genie-ui-edits', cancel: 'false' })
  })

  it('environments: deploy jobs in dev and stage, prod writes only behind production, plans without reviewers', () => {
    const environments = (f: string) =>
      Object.fromEntries(
        wf(f).template.jobs.map((j) => [
          j.id.value,
          j.type === 'job' && j.environment ? (isMapping(j.environment) ? text(j.environment.find('name')) : text(j.environment)) : null
        ])
      )
    expect(environments('deploy.yml')).toEqual({ dev: 'dev', stage: 'stage' })
    expect(environments('prod.yml')).toEqual({ plan: 'production-plan', deploy: 'production' })
    expect(environments('pr.yml')).toEqual({ validate: null, plan: 'dev', cleanup: 'dev' })
    expect(environments('drift.yml')).toEqual({ drift: 'production-plan', previews: 'dev' })
    expect(environments('ui-edits.yml')).toEqual({ snapshot: 'production-plan' })
    // the prod write token appears in the production environment's job only
    for (const f of files) {
      for (const j of wf(f).template.jobs) {
        if (rawJob(f, j.id.value).includes('secrets.DATABRICKS_PROD_TOKEN')) expect(`${f}:${j.id.value}`).toBe('prod.yml:deploy')
      }
    }
  })

  it('the pending inputs are still missing from action.yml (remove them from PENDING_INPUTS when they land)', () => {
    expect(PENDING_INPUTS.filter((i) => declaredInputs.includes(i))).toEqual([])
  })
})
