/**
 * Workflow harness: runs the example workflows (examples/workflows/*.yml) the way a GitHub runner
 * runs them, against one Genie emulator per Databricks workspace and a loopback fake of the GitHub
 * REST API, so a test proves that a team copying a workflow gets a working pipeline.
 *
 * What it does like GitHub:
 *   - parses the workflow with GitHub's own parser (@actions/workflow-parser) and evaluates every
 *     `${{ }}` with GitHub's expression engine (@actions/expressions), status functions included;
 *   - decides whether the event triggers the workflow (event name, branches, paths);
 *   - runs the jobs in `needs` order; a job's `if` sees `needs`; a failed job skips its dependents;
 *   - each job gets an empty workspace and a fresh RUNNER_TEMP, and sees the repository secrets and
 *     variables plus those of the GitHub environment it names (`environment:`) — nothing else;
 *   - `actions/checkout` = a fresh copy of the commit being run; `actions/upload-artifact` and
 *     `actions/download-artifact` = a per-run artifact store (the only thing that crosses jobs);
 *     `actions/github-script` = the script run by node with github/context/core (see
 *     github-script.mjs); any other `uses:` fails the step loudly, as does an input a fake does
 *     not implement, or an action version other than CURRENT_MAJORS;
 *   - this action (`<owner>/spaceops-action@v1` or `./`) = the built dist/index.cjs in a node
 *     process with INPUT_* (action.yml defaults, then `with:`), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
 *     GITHUB_EVENT_PATH…; an input action.yml does not declare fails the step (GitHub only warns);
 *   - `run:` steps in `bash --noprofile --norc -eo pipefail`, with GITHUB_OUTPUT / GITHUB_ENV.
 *   - a job with `permissions: id-token: write` gets ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN for a
 *     loopback ID-token service (unsigned JWTs; `world.idTokens` lists what was issued).
 * What it does not: matrices, reusable workflows, `working-directory`, `shell`, GITHUB_PATH (all
 * fail loudly when met); concurrency (checked statically by workflows.test.ts); runs-on, timeouts
 * (ignored); the GITHUB_TOKEN's `permissions:` (the fake GitHub takes the token for every write);
 * fork pull requests unless asked for: `world.pullRequest(n, files, action, { fork: 'someone/genie' })`
 * gives the head that repository and the jobs no secrets (GitHub passes a fork's workflow only the
 * GITHUB_TOKEN); variables are passed. A pull_request trigger honours `types:` (default opened,
 * synchronize, reopened), so `world.pullRequest(n, files, 'closed')` runs only closed-event workflows.
 *
 * Each workspace's emulator accepts two tokens only, `tokens[0]` (deploy) and `tokens[1]` (read);
 * `teamSettings(world)` puts them where README's "Workflows to copy" says (hosts and warehouse ids
 * as repository variables, tokens in GitHub environments). Set `world.settings` to anything else to
 * try another layout.
 *
 * Declaring a scenario (a jest test):
 *
 *   const world = await startWorld({ workspaces: ['dev', 'stage', 'prod'] })  // one emulator each
 *   world.settings = teamSettings(world)          // Settings → Secrets and variables, as README says
 *   const merge = world.merge({ 'spaces/sales/space.yaml': text })   // a commit on main (null deletes)
 *   const run = await world.run('deploy.yml', merge)                 // or world.pullRequest(7, {…}),
 *                                                                    // world.dispatch({…}), world.schedule()
 *   expect(run.triggered).toBe(true)
 *   expectJobs(run, { dev: 'success', stage: 'failure' })             // 'success' | 'failure' | 'skipped'
 *   run.step('stage', 'promote')   // a step by id (or name, or `uses`): outcome, outputs, stdout, summary
 *   run.summary('stage')           // the job's step summaries, concatenated
 *   run.artifacts                  // name → files (relative paths) uploaded during the run
 *   run.unresolved                 // secrets.X / vars.X a job referenced that its scope does not have
 *   run.failures()                 // failed steps with the end of their output
 *   world.run(file, trigger, { beforeJob: async (job) => … })   // e.g. a UI edit while a job waits for approval
 *   await world.workspaces.stage.spaceWrites()   // requests that changed a space (writes(): every non-GET)
 *   world.github.state.comments / .issues   // what the workflow did on GitHub
 *   world.checkout()               // a copy of main, e.g. to set a workspace up with the CLI first
 *   await world.close()
 *
 * A run takes ~0.3 s per step of this action; emulators are fast (Genie latency ~0.1 s). The
 * emulators' clock jumps 10 minutes before each run (runs are minutes apart in real life), so the
 * Genie question limit applies within a run, as it does on a workspace, but not across runs.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Evaluator, Lexer, Parser, data } from '@actions/expressions'
import type { ExpressionData } from '@actions/expressions/data/expressiondata'
import { truthy } from '@actions/expressions/result'
import type { FunctionDefinition } from '@actions/expressions/funcs/info'
import {
  convertWorkflowTemplate,
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
  parseWorkflow,
  type TraceWriter,
  type WorkflowTemplate
} from '@actions/workflow-parser'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import type { ActionStep, Job, RunStep, Step } from '@actions/workflow-parser/model/workflow-template'
import * as yaml from 'js-yaml'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js'
import { ROOT } from '../helpers/cli.js'
import { runProcess } from '../helpers/process.js'
import type { RequestLine } from '../helpers/emulator.js'

export const WORKFLOWS_DIR = path.join(ROOT, 'examples/workflows')

/**
 * The current major version of each action the examples may use (late 2026): checkout v7,
 * upload-artifact v7, download-artifact v8, github-script v9. A `uses:` of another version fails.
 */
export const CURRENT_MAJORS: Record<string, string> = {
  'actions/checkout': 'v7',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v8',
  'actions/github-script': 'v9',
  'peter-evans/create-pull-request': 'v8'
}

/** Emulator request-log ops that ask (Genie questions, SQL statements, eval runs, tokens) rather than change a space. */
// delete-conversation: a benchmark deleting the conversations it started itself (cleanup, not a write to a space)
const ASKING = /^(start-conversation|create-message|execute-query|delete-conversation|statement-.*|eval-.*|oidc-token)$/

/** The base commit of every pull request (main as it was when the pull request was last pushed to). */
const BASE_SHA = 'a'.repeat(40)

/** `uses:` values that mean this action. */
const THIS_ACTION = /^(?:<owner>\/spaceops-action@v1|\.\/?)$/

// ---------------------------------------------------------------------------------------------
// Parsing

export interface ParsedWorkflow {
  file: string
  template: WorkflowTemplate
  /** The parsed document before conversion (the converter drops a step's `with:`). */
  raw: TemplateToken | undefined
  /** Every error and trace message the parser reported (empty for a valid workflow). */
  problems: string[]
}

/** Parse one workflow file with GitHub's parser; `problems` holds its errors and trace errors. */
export async function parseWorkflowFile(file: string): Promise<ParsedWorkflow> {
  const problems: string[] = []
  const trace: TraceWriter = { error: (m) => problems.push(`trace: ${m}`), info: () => undefined, verbose: () => undefined }
  const parsed = parseWorkflow({ name: path.basename(file), content: readFileSync(file, 'utf8') }, trace)
  for (const e of parsed.context.errors.getErrors()) problems.push(e.message)
  if (!parsed.value) throw new Error(`${file}: ${problems.join('; ') || 'not a workflow'}`)
  const template = await convertWorkflowTemplate(parsed.context, parsed.value)
  for (const e of template.errors ?? []) if (!problems.includes(e.Message)) problems.push(e.Message)
  return { file, template, raw: parsed.value, problems }
}

/** A mapping's value by key, or undefined. */
export function field(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  return token && isMapping(token) ? token.find(key) : undefined
}

/** A mapping key as written. */
export const keyOf = (key: TemplateToken): string => (isString(key) ? key.value : String(key))

/** The raw mapping of step `index` of job `job`. */
export function rawStep(raw: TemplateToken | undefined, job: string, index: number): TemplateToken | undefined {
  const steps = field(field(field(raw, 'jobs'), job), 'steps')
  return steps && isSequence(steps) ? steps.get(index) : undefined
}

export const workflowFiles = (): string[] =>
  readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()

// ---------------------------------------------------------------------------------------------
// Expressions

type Json = string | number | boolean | null | Json[] | { [k: string]: Json }
const CONTEXTS = ['github', 'env', 'vars', 'secrets', 'steps', 'needs', 'runner', 'job', 'inputs', 'matrix', 'strategy']

interface Status {
  success: () => boolean
  failure: () => boolean
}

function toData(value: Json): data.Dictionary {
  return JSON.parse(JSON.stringify(value), data.reviver) as data.Dictionary
}

/** Evaluate one expression (without `${{ }}`) against `ctx`. */
export function evaluate(expression: string, ctx: Record<string, Json>, status: Status = { success: () => true, failure: () => false }): ExpressionData {
  const fn = (name: string, call: () => boolean): FunctionDefinition => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(call()) })
  const funcs = [fn('success', status.success), fn('failure', status.failure), fn('always', () => true), fn('cancelled', () => false)]
  const tokens = new Lexer(expression).lex().tokens
  const ast = new Parser(tokens, CONTEXTS, funcs).parse()
  return new Evaluator(ast, toData(ctx as Json), new Map(funcs.map((f) => [f.name, f]))).evaluate()
}

/** A token as the runner turns it into a string (expressions evaluated). */
function tokenString(token: TemplateToken | undefined, ctx: Record<string, Json>, status?: Status): string {
  if (!token) return ''
  if (isString(token)) return token.value
  if (isBoolean(token) || isNumber(token)) return String(token.value)
  if (isBasicExpression(token)) return evaluate(token.expression, ctx, status).coerceString()
  if (isMapping(token) || isSequence(token)) throw new Error(`expected a string, found a ${isMapping(token) ? 'mapping' : 'sequence'}`)
  return ''
}

function tokenMap(token: TemplateToken | undefined, ctx: Record<string, Json>): Record<string, string> {
  const out: Record<string, string> = {}
  if (!token) return out
  if (isBasicExpression(token)) throw new Error(`a mapping given as one expression (${token.expression}) is not supported by the harness`)
  if (!isMapping(token)) throw new Error('expected a mapping')
  for (const { key, value } of token) out[keyOf(key)] = tokenString(value, ctx)
  return out
}

const text = (token: TemplateToken | undefined): string => (token && isString(token) ? token.value : '')

const condition = (token: TemplateToken | undefined, ctx: Record<string, Json>, status: Status): boolean =>
  token && isBasicExpression(token) ? truthy(evaluate(token.expression, ctx, status)) : status.success()

/** secrets.X / vars.X an expression mentions. */
function referenced(token: TemplateToken | undefined): { secrets: string[]; vars: string[] } {
  const text = JSON.stringify(token ?? null)
  return {
    secrets: [...text.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string),
    vars: [...text.matchAll(/\bvars\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string)
  }
}

// ---------------------------------------------------------------------------------------------
// The world: workspaces, GitHub, the repository

export interface Scope {
  secrets?: Record<string, string>
  vars?: Record<string, string>
}

/** Settings → Secrets and variables: the repository's, and each GitHub environment's. */
export interface Settings extends Scope {
  environments?: Record<string, Scope>
}

export interface Workspace {
  name: string
  url: string
  /** Bearer tokens this workspace accepts (any other is 401). */
  tokens: string[]
  emulator: RunningEmulator
  requests(): Promise<RequestLine[]>
  /** Every request that is not a GET (Genie questions and SQL statements included). */
  writes(): Promise<RequestLine[]>
  /** The requests that change the workspace's spaces or folders: not a GET, not a question, statement or eval run. */
  spaceWrites(): Promise<RequestLine[]>
  clearRequests(): Promise<void>
  /** The live spaces with their serialized content. */
  spaces(): Promise<{ space_id: string; title: string; warehouse_id: string; parent_path: string; serialized_space: string }[]>
}

export type Trigger =
  | { event: 'push'; tree: string; sha: string; before: string; changed: string[]; ref: string }
  | { event: 'pull_request'; tree: string; sha: string; changed: string[]; number: number; action: string; headRef: string; fork?: string }
  | { event: 'workflow_dispatch'; tree: string; sha: string; inputs: Record<string, string>; ref: string }
  | { event: 'schedule'; tree: string; sha: string; cron: string }

export interface StepResult {
  id: string
  name: string
  uses?: string
  outcome: 'success' | 'failure' | 'skipped'
  conclusion: 'success' | 'failure' | 'skipped'
  outputs: Record<string, string>
  stdout: string
  stderr: string
  summary: string
  /** Inputs as the step got them (this action and the built-in fakes). */
  inputs: Record<string, string>
  /** peter-evans/create-pull-request: the pull request it would open (the files of add-paths that differ from the checkout) */
  pullRequest?: { branch: string; title: string; body: string; files: Record<string, string> }
}

export interface JobResult {
  id: string
  result: 'success' | 'failure' | 'skipped'
  environment?: string
  outputs: Record<string, string>
  steps: StepResult[]
}

export interface RunResult {
  workflow: string
  triggered: boolean
  jobs: Record<string, JobResult>
  artifacts: Record<string, string[]>
  unresolved: string[]
  step(job: string, key: string): StepResult
  summary(job: string): string
  /** Everything every step printed, for secret checks. */
  everything(): string
  /** The steps that failed, each with the end of what it printed (for test failure messages). */
  failures(): string[]
}

export interface World {
  workspaces: Record<string, Workspace>
  github: FakeGitHub
  repo: string
  settings: Settings
  /** The GITHUB_TOKEN each job gets. */
  githubToken: string
  /** OIDC ID tokens handed to jobs with `permissions: id-token: write` (their audience and subject). */
  idTokens: { audience: string; subject: string }[]
  oidc: IdTokenService
  /** Commit files on main (content, or null to delete) and describe the push. */
  merge(files: Record<string, string | null>): Trigger
  /** Open (or push to) pull request `number`: main plus `files`. */
  pullRequest(number: number, files: Record<string, string | null>, action?: string, options?: { fork?: string }): Trigger
  dispatch(inputs?: Record<string, string>): Trigger
  schedule(cron?: string): Trigger
  /** Read a file of main. */
  read(file: string): string
  /** A fresh copy of main (for setup outside any workflow, e.g. the CLI). */
  checkout(): string
  /**
   * Run a workflow of examples/workflows (or any file, given an absolute path). `beforeJob` runs
   * before each job starts — e.g. what happens while a job waits for its environment's reviewers.
   */
  run(workflow: string, trigger: Trigger, hooks?: RunHooks): Promise<RunResult>
  close(): Promise<void>
}

/**
 * The runner's ID token service (what core.getIDToken asks: ACTIONS_ID_TOKEN_REQUEST_URL with the
 * bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN, `&audience=`): an unsigned JWT with the job's subject.
 */
interface IdTokenService {
  url: string
  issued: { audience: string; subject: string }[]
  /** A request token for one job, whose ID tokens carry `subject`. */
  grant(subject: string): string
  close(): Promise<void>
}

async function startIdTokenService(clock: () => number): Promise<IdTokenService> {
  const grants = new Map<string, string>()
  const issued: IdTokenService['issued'] = []
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const subject = grants.get((req.headers.authorization ?? '').replace(/^Bearer /, ''))
    if (!subject) {
      res.writeHead(401).end()
      return
    }
    const audience = url.searchParams.get('audience') ?? ''
    issued.push({ audience, subject })
    const now = Math.floor(clock() / 1000)
    const jwt = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'https://token.actions.githubusercontent.com', aud: audience, sub: subject, iat: now, exp: now + 300 })}.${Buffer.from('unsigned').toString('base64url')}`
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: jwt }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`,
    issued,
    grant(subject) {
      const token = randomBytes(12).toString('hex')
      grants.set(token, subject)
      return token
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

export interface RunHooks {
  beforeJob?: (job: string) => Promise<void>
}

export interface WorldOptions {
  /** Databricks workspaces to emulate (e.g. dev, stage, prod). */
  workspaces: string[]
  /** owner/name (default octo/genie). */
  repo?: string
  /** The repository's content (default: examples/ laid out as a repository). */
  source?: string
}

/** Lay out examples/ as a team's repository: spaces/, config/, .github/workflows/. */
function layOut(target: string, source: string): void {
  for (const entry of readdirSync(source)) {
    if (entry === 'workflows') cpSync(path.join(source, entry), path.join(target, '.github/workflows'), { recursive: true })
    else cpSync(path.join(source, entry), path.join(target, entry), { recursive: true })
  }
}

function applyFiles(dir: string, files: Record<string, string | null>): string[] {
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file)
    if (content === null) rmSync(full, { force: true })
    else {
      mkdirSync(path.dirname(full), { recursive: true })
      writeFileSync(full, content)
    }
  }
  return Object.keys(files).sort()
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const base = mkdtempSync(path.join(tmpdir(), 'spaceops-workflows-'))
  const repoName = options.repo ?? 'octo/genie'
  let clockOffset = 0
  const clock = () => Date.now() + clockOffset
  const workspaces: Record<string, Workspace> = {}
  let seed = 1
  for (const name of options.workspaces) {
    const tokens = [`dapi${name.toUpperCase()}deploy000001`, `dapi${name.toUpperCase()}read0000002`]
    const emulator = await startEmulator({
      port: 0,
      seed: seed++,
      clock,
      auth: { tokens },
      faults: { genieLatencyMs: 100, genieLatencyJitterMs: 100, statementLatencyMs: 20, evalLatencyMs: 100 }
    })
    const api = async (method: string, p: string) => {
      const res = await fetch(`${emulator.url}${p}`, { method, headers: { authorization: `Bearer ${tokens[0]}` } })
      const text = await res.text()
      return text ? (JSON.parse(text) as unknown) : undefined
    }
    workspaces[name] = {
      name,
      url: emulator.url,
      tokens,
      emulator,
      requests: async () => (await api('GET', '/_emulator/requests')) as RequestLine[],
      writes: async () => ((await api('GET', '/_emulator/requests')) as RequestLine[]).filter((r) => r.method !== 'GET'),
      spaceWrites: async () =>
        ((await api('GET', '/_emulator/requests')) as (RequestLine & { op?: string })[]).filter((r) => r.method !== 'GET' && !ASKING.test(r.op ?? '')),
      clearRequests: async () => void (await api('DELETE', '/_emulator/requests')),
      spaces: async () => {
        const list = ((await api('GET', '/api/2.0/genie/spaces')) as { spaces?: { space_id: string }[] }).spaces ?? []
        return Promise.all(
          list.map(
            async (s) =>
              (await api('GET', `/api/2.0/genie/spaces/${s.space_id}?include_serialized_space=true`)) as Awaited<ReturnType<Workspace['spaces']>>[number]
          )
        )
      }
    }
  }
  const githubToken = 'ghsWORKFLOWtoken0123456789'
  const github = await startFakeGitHub({ repo: repoName, token: githubToken })
  const idTokens = await startIdTokenService(clock)

  const main = path.join(base, 'main')
  mkdirSync(main)
  if (options.source) cpSync(options.source, main, { recursive: true })
  else layOut(main, path.join(ROOT, 'examples'))
  let commits = 0
  const sha = () => (++commits).toString(16).padStart(40, '0')
  let head = sha()
  /** A frozen copy of a tree, so later commits do not change a run. */
  const snapshot = (from: string) => {
    const dir = path.join(base, `tree-${commits}-${Math.random().toString(36).slice(2, 8)}`)
    cpSync(from, dir, { recursive: true })
    return dir
  }

  const world: World = {
    workspaces,
    github,
    repo: repoName,
    settings: {},
    githubToken,
    idTokens: idTokens.issued,
    oidc: idTokens,
    merge(files) {
      const before = head
      const changed = applyFiles(main, files)
      head = sha()
      return { event: 'push', tree: snapshot(main), sha: head, before, changed, ref: 'refs/heads/main' }
    },
    pullRequest(number, files, action = 'synchronize', options = {}) {
      const tree = snapshot(main)
      // the base commit's files, for the contents API (`pull_request.base.sha`)
      github.state.setContents(BASE_SHA, Object.fromEntries(listFiles(main).map((f) => [f, readFileSync(path.join(main, f), 'utf8')])))
      const changed = applyFiles(tree, files)
      github.state.setPullFiles(number, changed)
      return { event: 'pull_request', tree, sha: sha(), changed, number, action, headRef: `change-${number}`, ...(options.fork ? { fork: options.fork } : {}) }
    },
    dispatch(inputs = {}) {
      return { event: 'workflow_dispatch', tree: snapshot(main), sha: head, inputs, ref: 'refs/heads/main' }
    },
    schedule(cron = '17 5 * * *') {
      return { event: 'schedule', tree: snapshot(main), sha: head, cron }
    },
    read: (file) => readFileSync(path.join(main, file), 'utf8'),
    checkout: () => snapshot(main),
    async run(workflow, trigger, hooks) {
      clockOffset += 10 * 60_000
      return runWorkflow(world, path.isAbsolute(workflow) ? workflow : path.join(WORKFLOWS_DIR, workflow), trigger, base, hooks)
    },
    async close() {
      for (const w of Object.values(workspaces)) await w.emulator.close()
      await github.close()
      await idTokens.close()
      rmSync(base, { recursive: true, force: true })
    }
  }
  return world
}

/**
 * The secrets and variables the README tells a team to set, for this world's workspaces: hosts and
 * warehouse ids as repository variables; each workspace's deploy token in its GitHub environment,
 * and a read token for the previous workspace where the benchmark gate and order check need it.
 */
export function teamSettings(world: World): Settings {
  const w = (name: string): Workspace => {
    const ws = world.workspaces[name]
    if (!ws) throw new Error(`no workspace ${name} in this world`)
    return ws
  }
  const vars: Record<string, string> = {}
  for (const [name, ws] of Object.entries(world.workspaces)) {
    vars[`DATABRICKS_${name.toUpperCase()}_HOST`] = ws.url
    vars[`${name.toUpperCase()}_WAREHOUSE_ID`] = `wh-${name}-0451`
  }
  vars.DATABRICKS_SP_CLIENT_ID = 'spaceops-deployer-sp'
  const environments: Record<string, Scope> = {}
  if (world.workspaces.dev) environments.dev = { secrets: { DATABRICKS_DEV_TOKEN: w('dev').tokens[0] as string } }
  if (world.workspaces.stage)
    environments.stage = { secrets: { DATABRICKS_STAGE_TOKEN: w('stage').tokens[0] as string, DATABRICKS_DEV_READ_TOKEN: w('dev').tokens[1] as string } }
  if (world.workspaces.prod) {
    environments['production-plan'] = {
      secrets: { DATABRICKS_PROD_READ_TOKEN: w('prod').tokens[1] as string, DATABRICKS_STAGE_READ_TOKEN: w('stage').tokens[1] as string }
    }
    environments.production = { secrets: { DATABRICKS_PROD_TOKEN: w('prod').tokens[0] as string, DATABRICKS_STAGE_READ_TOKEN: w('stage').tokens[1] as string } }
  }
  return { vars, secrets: {}, environments }
}

/** Assert every job's result; on a mismatch the message shows what the failed steps printed. */
export function expectJobs(run: RunResult, expected: Record<string, JobResult['result']>): void {
  const actual = Object.fromEntries(Object.entries(run.jobs).map(([id, j]) => [id, j.result]))
  const same = JSON.stringify(actual) === JSON.stringify(expected)
  expect({ jobs: actual, ...(same ? {} : { failures: run.failures(), unresolved: run.unresolved }) }).toEqual({ jobs: expected })
}

// ---------------------------------------------------------------------------------------------
// Triggers

function globRegex(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*'
      i++
      if (glob[i + 1] === '/') i++
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

const matchesAny = (value: string, globs: string[] | undefined) => (globs ?? []).some((g) => globRegex(g).test(value))

/** Whether GitHub would start the workflow for this trigger. */
function triggers(template: WorkflowTemplate, trigger: Trigger): boolean {
  const on = template.events[trigger.event] as
    | { branches?: string[]; 'branches-ignore'?: string[]; paths?: string[]; 'paths-ignore'?: string[]; types?: string[] }
    | undefined
  if (!on) return false
  if (trigger.event === 'pull_request' && !(on.types ?? ['opened', 'synchronize', 'reopened']).includes(trigger.action)) return false
  if (trigger.event === 'push' || trigger.event === 'pull_request') {
    const branch = trigger.event === 'push' ? trigger.ref.replace(/^refs\/heads\//, '') : 'main'
    if (on.branches && !matchesAny(branch, on.branches)) return false
    if (on['branches-ignore'] && matchesAny(branch, on['branches-ignore'])) return false
    if (on.paths && !trigger.changed.some((f) => matchesAny(f, on.paths))) return false
    if (on['paths-ignore'] && trigger.changed.every((f) => matchesAny(f, on['paths-ignore']))) return false
  }
  return true
}

function eventPayload(world: World, trigger: Trigger): Record<string, Json> {
  const [owner = '', name = ''] = world.repo.split('/')
  const repository = { full_name: world.repo, name, owner: { login: owner }, default_branch: 'main' }
  switch (trigger.event) {
    case 'push':
      return { ref: trigger.ref, before: trigger.before, after: trigger.sha, repository, head_commit: { id: trigger.sha, message: 'merge' } }
    case 'pull_request':
      return {
        action: trigger.action,
        number: trigger.number,
        pull_request: {
          number: trigger.number,
          head: { ref: trigger.headRef, sha: trigger.sha, repo: { full_name: trigger.fork ?? world.repo } },
          base: { ref: 'main', sha: BASE_SHA, repo: { full_name: world.repo } }
        },
        repository
      }
    case 'workflow_dispatch':
      return { inputs: trigger.inputs, ref: trigger.ref, repository }
    case 'schedule':
      return { schedule: trigger.cron, repository }
  }
}

// ---------------------------------------------------------------------------------------------
// Running

interface ActionYml {
  inputs: Record<string, { default?: string }>
}
const actionYml = yaml.load(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml

const proc = async (command: string, args: string[], options: { cwd: string; env: Record<string, string> }) => {
  const r = await runProcess(command, args, options)
  return { code: r.code, stdout: r.out, stderr: r.err }
}

/** Parse a GITHUB_OUTPUT / GITHUB_ENV file (name=value lines and name<<DELIM heredocs). */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, key, delim] = heredoc as unknown as [string, string, string]
      const body: string[] = []
      while (++i < lines.length && lines[i] !== delim) body.push(lines[i] as string)
      if (i >= lines.length) throw new Error(`unterminated ${delim} for ${key}`)
      out[key] = body.join('\n')
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    else if (line.trim()) throw new Error(`invalid line in a command file: ${line}`)
  }
  return out
}

class StepFailure extends Error {}

function only(action: string, inputs: Record<string, string>, allowed: string[]): void {
  const unknown = Object.keys(inputs).filter((k) => !allowed.includes(k))
  if (unknown.length) throw new StepFailure(`the harness's ${action} does not implement input(s) ${unknown.join(', ')}: implement them or change the workflow`)
}

function copyInto(src: string, dest: string): void {
  mkdirSync(dest, { recursive: true })
  if (statSync(src).isDirectory()) cpSync(src, dest, { recursive: true })
  else cpSync(src, path.join(dest, path.basename(src)))
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]
  )
}

async function runWorkflow(world: World, file: string, trigger: Trigger, base: string, hooks: RunHooks = {}): Promise<RunResult> {
  const { template, raw, problems } = await parseWorkflowFile(file)
  if (problems.length) throw new Error(`${path.basename(file)}: ${problems.join('; ')}`)
  const runDir = mkdtempSync(path.join(base, 'run-'))
  const artifactsDir = path.join(runDir, 'artifacts')
  mkdirSync(artifactsDir)
  const jobs: Record<string, JobResult> = {}
  const unresolved: string[] = []
  const result: RunResult = {
    workflow: path.basename(file),
    triggered: triggers(template, trigger),
    jobs,
    artifacts: {},
    unresolved,
    step(job, key) {
      const s = jobs[job]?.steps.find((x) => x.id === key || x.name === key || x.uses === key)
      if (!s) throw new Error(`no step ${key} in job ${job} (steps: ${jobs[job]?.steps.map((x) => x.id).join(', ') ?? 'no such job'})`)
      return s
    },
    summary: (job) => (jobs[job]?.steps ?? []).map((s) => s.summary).join(''),
    everything: () =>
      Object.values(jobs)
        .flatMap((j) => j.steps.flatMap((s) => [s.stdout, s.stderr, s.summary, ...Object.values(s.outputs)]))
        .join('\n'),
    failures: () =>
      Object.values(jobs).flatMap((j) =>
        j.steps
          .filter((s) => s.outcome === 'failure')
          .map((s) => `${j.id}/${s.id || s.name}: ${`${s.stdout}${s.stderr}`.trim().split('\n').slice(-8).join('\n')}`)
      )
  }
  if (!result.triggered) return result

  const payload = eventPayload(world, trigger)
  const eventPath = path.join(runDir, 'event.json')
  writeFileSync(eventPath, JSON.stringify(payload))
  const runId = String(1000 + Math.floor(Math.random() * 1e6))
  const ref =
    trigger.event === 'pull_request'
      ? `refs/pull/${trigger.number}/merge`
      : trigger.event === 'push' || trigger.event === 'workflow_dispatch'
        ? trigger.ref
        : 'refs/heads/main'
  const settings = world.settings
  const workflowEnvToken = template.env

  // jobs in `needs` order
  const order: Job[] = []
  const pending = template.jobs.map((j) => {
    if (j.type !== 'job') throw new Error(`${j.id.value}: reusable workflows are not supported by the harness`)
    return j
  })
  while (pending.length) {
    const i = pending.findIndex((j) => (j.needs ?? []).every((n) => order.some((o) => o.id.value === n.value)))
    if (i < 0) throw new Error(`jobs with unmet needs: ${pending.map((j) => j.id.value).join(', ')}`)
    order.push(...pending.splice(i, 1))
  }

  for (const job of order) {
    const id = job.id.value
    await hooks.beforeJob?.(id)
    if (job.strategy) throw new Error(`${id}: strategy/matrix is not supported by the harness`)
    const needs: Record<string, Json> = {}
    for (const n of job.needs ?? []) needs[n.value] = { result: jobs[n.value]?.result ?? 'skipped', outputs: jobs[n.value]?.outputs ?? {} }
    const needResults = (job.needs ?? []).map((n) => jobs[n.value]?.result)
    const jobStatus: Status = { success: () => needResults.every((r) => r === 'success'), failure: () => needResults.some((r) => r === 'failure') }

    const github: Record<string, Json> = {
      event_name: trigger.event,
      event: payload,
      repository: world.repo,
      repository_owner: world.repo.split('/')[0] ?? '',
      ref,
      ref_name: ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\/(\d+)\/merge$/, '$1/merge'),
      head_ref: trigger.event === 'pull_request' ? trigger.headRef : '',
      base_ref: trigger.event === 'pull_request' ? 'main' : '',
      sha: trigger.sha,
      run_id: runId,
      run_number: '1',
      run_attempt: '1',
      job: id,
      workflow: String(path.basename(file)),
      actor: 'octocat',
      token: world.githubToken,
      server_url: 'https://github.example',
      api_url: world.github.url
    }
    const baseCtx: Record<string, Json> = {
      github,
      needs,
      inputs: trigger.event === 'workflow_dispatch' ? trigger.inputs : {},
      vars: { ...(settings.vars ?? {}) },
      matrix: {},
      strategy: {}
    }
    if (!condition(job.if, baseCtx, jobStatus)) {
      jobs[id] = { id, result: 'skipped', outputs: {}, steps: [] }
      continue
    }

    // the GitHub environment decides which secrets and variables the job sees
    let environment: string | undefined
    if (job.environment) environment = isMapping(job.environment) ? tokenString(job.environment.find('name'), baseCtx) : tokenString(job.environment, baseCtx)
    const scope = environment !== undefined ? settings.environments?.[environment] : undefined
    if (environment !== undefined && !scope) unresolved.push(`${id}: environment ${environment} is not configured`)
    // a fork's pull request: GitHub passes no secret but the GITHUB_TOKEN
    const fromFork = trigger.event === 'pull_request' && trigger.fork !== undefined
    const secrets = fromFork ? {} : { ...(settings.secrets ?? {}), ...(scope?.secrets ?? {}) }
    const vars = { ...(settings.vars ?? {}), ...(scope?.vars ?? {}) }
    const refs = referenced(field(field(raw, 'jobs'), id))
    for (const s of refs.secrets) if (!(s in secrets) && !fromFork) unresolved.push(`${id}: secrets.${s}`)
    for (const v of refs.vars) if (!(v in vars)) unresolved.push(`${id}: vars.${v}`)

    // GitHub gives a job the ID token variables only with id-token: write (the job's permissions, else the workflow's)
    const permissions = field(field(field(raw, 'jobs'), id), 'permissions') ?? field(raw, 'permissions')
    const idToken = permissions && (isMapping(permissions) ? text(permissions.find('id-token')) === 'write' : text(permissions) === 'write-all')
    const subject = `repo:${world.repo}:${environment !== undefined ? `environment:${environment}` : trigger.event === 'pull_request' ? 'pull_request' : `ref:${ref}`}`
    const idTokenEnv: Record<string, string> = idToken
      ? { ACTIONS_ID_TOKEN_REQUEST_URL: world.oidc.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.oidc.grant(subject) }
      : {}

    const workspace = path.join(runDir, `job-${id}`, 'work')
    const temp = path.join(runDir, `job-${id}`, 'temp')
    mkdirSync(workspace, { recursive: true })
    mkdirSync(temp, { recursive: true })
    const runner = { os: 'Linux', arch: 'X64', temp, name: 'harness', environment: 'github-hosted', tool_cache: path.join(temp, 'tool-cache') }
    const jobCtx = (): Record<string, Json> => ({
      ...baseCtx,
      github: { ...github, workspace },
      vars,
      secrets,
      runner,
      job: { status: failed ? 'failure' : 'success' },
      steps,
      env
    })
    const steps: Record<string, Json> = {}
    const stepResults: StepResult[] = []
    let failed = false
    let env: Record<string, string> = {}
    env = { ...tokenMap(workflowEnvToken, jobCtx()) }
    env = { ...env, ...tokenMap(job.env, jobCtx()) }
    const runnerEnv = (): Record<string, string> => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: path.join(runDir, 'home'),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: trigger.event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: world.repo,
      GITHUB_REPOSITORY_OWNER: world.repo.split('/')[0] ?? '',
      GITHUB_API_URL: world.github.url,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_GRAPHQL_URL: `${world.github.url}/graphql`,
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_NUMBER: '1',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: id,
      GITHUB_SHA: trigger.sha,
      GITHUB_REF: ref,
      GITHUB_WORKSPACE: workspace,
      GITHUB_WORKFLOW: path.basename(file),
      GITHUB_ACTOR: 'octocat',
      RUNNER_TEMP: temp,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      ...idTokenEnv
    })

    for (const [index, step] of job.steps.entries()) {
      const s = step as Step & Partial<ActionStep & RunStep>
      if (!('uses' in s) && !('run' in s)) throw new Error(`${id}: step ${s.id} is neither uses nor run`)
      const rawS = rawStep(raw, id, index)
      for (const key of ['working-directory', 'shell', 'timeout-minutes'])
        if (field(rawS, key)) throw new Error(`${id}: step ${index + 1} uses ${key}, which the harness does not implement`)
      const uses = s.uses?.value
      const name = s.name ? tokenString(s.name, jobCtx()) : (uses ?? `run ${index + 1}`)
      const stepStatus: Status = { success: () => !failed, failure: () => failed }
      const record: StepResult = {
        id: s.id,
        name,
        ...(uses ? { uses } : {}),
        outcome: 'skipped',
        conclusion: 'skipped',
        outputs: {},
        stdout: '',
        stderr: '',
        summary: '',
        inputs: {}
      }
      stepResults.push(record)
      if (!condition(s.if, jobCtx(), stepStatus)) {
        steps[s.id] = { outcome: 'skipped', conclusion: 'skipped', outputs: {} }
        continue
      }
      const files = {
        GITHUB_OUTPUT: path.join(temp, `output-${index}`),
        GITHUB_STEP_SUMMARY: path.join(temp, `summary-${index}`),
        GITHUB_ENV: path.join(temp, `env-${index}`),
        GITHUB_PATH: path.join(temp, `path-${index}`)
      }
      for (const f of Object.values(files)) writeFileSync(f, '')
      let ok = false
      try {
        const stepEnv = { ...env, ...tokenMap(s.env, jobCtx()) }
        const procEnv = { ...runnerEnv(), ...stepEnv, ...files, GITHUB_ACTION: s.id }
        if (uses === undefined) {
          const script = tokenString(s.run, jobCtx())
          const scriptFile = path.join(temp, `step-${index}.sh`)
          writeFileSync(scriptFile, script)
          const r = await proc('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], { cwd: workspace, env: procEnv })
          Object.assign(record, { stdout: r.stdout, stderr: r.stderr })
          ok = r.code === 0
        } else {
          const withInputs = tokenMap(field(rawS, 'with'), jobCtx())
          record.inputs = withInputs
          ok = await runAction(uses, withInputs, { workspace, temp, procEnv, record, artifactsDir, ctx: jobCtx(), trigger })
        }
        Object.assign(record.outputs, parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')))
        Object.assign(env, parseCommandFile(readFileSync(files.GITHUB_ENV, 'utf8')))
        if (readFileSync(files.GITHUB_PATH, 'utf8').trim()) throw new StepFailure('GITHUB_PATH is not supported by the harness')
        record.summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')
      } catch (err) {
        if (!(err instanceof StepFailure)) throw err
        record.stderr += `${err.message}\n`
        ok = false
      }
      const continueOnError =
        s['continue-on-error'] === true || (typeof s['continue-on-error'] === 'object' && tokenString(s['continue-on-error'], jobCtx()) === 'true')
      record.outcome = ok ? 'success' : 'failure'
      record.conclusion = ok || continueOnError ? 'success' : 'failure'
      if (record.conclusion === 'failure') failed = true
      steps[s.id] = { outcome: record.outcome, conclusion: record.conclusion, outputs: record.outputs }
    }
    const outputs = job.outputs ? tokenMap(job.outputs, jobCtx()) : {}
    jobs[id] = { id, result: failed ? 'failure' : 'success', ...(environment !== undefined ? { environment } : {}), outputs, steps: stepResults }
  }
  for (const name of readdirSync(artifactsDir)) result.artifacts[name] = listFiles(path.join(artifactsDir, name))
  return result
}

interface ActionRun {
  workspace: string
  temp: string
  procEnv: Record<string, string>
  record: StepResult
  artifactsDir: string
  ctx: Record<string, Json>
  trigger: Trigger
}

async function runAction(uses: string, inputs: Record<string, string>, r: ActionRun): Promise<boolean> {
  if (THIS_ACTION.test(uses)) return runThisAction(inputs, r)
  const [action = '', version = ''] = uses.split('@')
  const current = CURRENT_MAJORS[action]
  if (!current) throw new StepFailure(`the harness does not implement ${uses}: add a fake for it (or do not use it in the examples)`)
  if (version !== current) throw new StepFailure(`${uses}: the examples must use the current major ${action}@${current}`)
  const resolve = (p: string) => path.resolve(r.workspace, p.replace(/^~(?=\/)/, r.procEnv.HOME ?? ''))
  switch (action) {
    case 'actions/checkout': {
      only(uses, inputs, ['fetch-depth', 'persist-credentials'])
      cpSync(r.trigger.tree, r.workspace, { recursive: true })
      return true
    }
    case 'actions/upload-artifact': {
      only(uses, inputs, ['name', 'path', 'if-no-files-found', 'retention-days', 'include-hidden-files', 'overwrite'])
      const name = inputs.name || 'artifact'
      const paths = (inputs.path ?? '')
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean)
      if (!paths.length) throw new StepFailure('upload-artifact: input path is required')
      if (paths.some((p) => /[*?[!]/.test(p))) throw new StepFailure('upload-artifact: the harness does not implement globs or exclusions in path')
      const found = paths.map(resolve).filter((p) => existsSync(p) && listFiles(statSync(p).isDirectory() ? p : path.dirname(p)).length > 0)
      if (!found.length) {
        const mode = inputs['if-no-files-found'] || 'warn'
        if (mode === 'error') throw new StepFailure(`No files were found with the provided path: ${paths.join(', ')}. No artifacts will be uploaded.`)
        r.record.stdout += `${mode === 'warn' ? '::warning::' : ''}No files were found with the provided path: ${paths.join(', ')}. No artifacts will be uploaded.\n`
        return true
      }
      const dest = path.join(r.artifactsDir, name)
      if (existsSync(dest) && inputs.overwrite !== 'true')
        throw new StepFailure(`Failed to CreateArtifact: an artifact with this name already exists on the workflow run: ${name}`)
      rmSync(dest, { recursive: true, force: true })
      for (const p of found) copyInto(p, dest)
      r.record.outputs['artifact-id'] = String(listFiles(r.artifactsDir).length)
      return true
    }
    case 'actions/download-artifact': {
      only(uses, inputs, ['name', 'path'])
      const target = resolve(inputs.path || r.workspace)
      const names = inputs.name ? [inputs.name] : readdirSync(r.artifactsDir)
      for (const n of names) {
        const src = path.join(r.artifactsDir, n)
        if (!existsSync(src)) throw new StepFailure(`Unable to download artifact(s): Artifact not found for name: ${n}`)
        cpSync(src, inputs.name ? target : path.join(target, n), { recursive: true })
      }
      r.record.outputs['download-path'] = target
      return true
    }
    case 'peter-evans/create-pull-request': {
      // The fake does not run git: it compares each file of add-paths with the checkout and
      // records the pull request those changes would make (the real action commits them to
      // `branch` and opens or updates the pull request). add-paths without a glob only.
      only(uses, inputs, ['add-paths', 'branch', 'commit-message', 'title', 'body', 'delete-branch'])
      const paths = (inputs['add-paths'] ?? '')
        .split(/[\n,]/)
        .map((p) => p.trim())
        .filter(Boolean)
      if (paths.some((p) => /[*?[!]/.test(p))) throw new StepFailure('create-pull-request: the harness does not implement globs in add-paths')
      const files: Record<string, string> = {}
      for (const p of paths) {
        const now = existsSync(resolve(p)) ? readFileSync(resolve(p), 'utf8') : undefined
        const before = existsSync(path.join(r.trigger.tree, p)) ? readFileSync(path.join(r.trigger.tree, p), 'utf8') : undefined
        if (now !== undefined && now !== before) files[p] = now
      }
      const branch = inputs.branch || 'create-pull-request/patch'
      if (!Object.keys(files).length) {
        r.record.outputs['pull-request-operation'] = 'none'
        return true
      }
      r.record.pullRequest = { branch, title: inputs.title || 'Changes by create-pull-request action', body: inputs.body ?? '', files }
      r.record.outputs['pull-request-operation'] = 'created'
      r.record.outputs['pull-request-branch'] = branch
      return true
    }
    case 'actions/github-script': {
      only(uses, inputs, ['script', 'github-token', 'result-encoding'])
      const out = await proc(process.execPath, [path.join(ROOT, '__tests__/workflows/github-script.mjs')], {
        cwd: r.workspace,
        env: {
          ...r.procEnv,
          INPUT_SCRIPT: inputs.script ?? '',
          'INPUT_GITHUB-TOKEN': inputs['github-token'] || String((r.ctx.github as Record<string, Json>).token),
          'INPUT_RESULT-ENCODING': inputs['result-encoding'] || 'json'
        }
      })
      r.record.stdout += out.stdout
      r.record.stderr += out.stderr
      return out.code === 0
    }
  }
  throw new StepFailure(`the harness does not implement ${uses}`)
}

async function runThisAction(withInputs: Record<string, string>, r: ActionRun): Promise<boolean> {
  const declared = Object.keys(actionYml.inputs)
  const unexpected = Object.keys(withInputs).filter((k) => !declared.includes(k))
  if (unexpected.length) throw new StepFailure(`Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${declared.join("', '")}']`)
  const inputs: Record<string, string> = {}
  for (const [name, spec] of Object.entries(actionYml.inputs)) {
    const def = spec.default ?? ''
    const m = /^\$\{\{(.*)\}\}$/s.exec(def.trim())
    inputs[name] = name in withInputs ? (withInputs[name] as string) : m ? evaluate(m[1] as string, r.ctx).coerceString() : def
  }
  r.record.inputs = inputs
  const env: Record<string, string> = { ...r.procEnv }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v
  const out = await proc(process.execPath, [path.join(ROOT, 'dist/index.cjs')], { cwd: r.workspace, env })
  r.record.stdout += out.stdout
  r.record.stderr += out.stderr
  return out.code === 0
}
