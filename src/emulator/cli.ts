/**
 * `spaceops emulator …`: argument parsing and the run loop. The first stdout line is the URL;
 * the emulator then runs until SIGINT/SIGTERM (or io.waitForStop resolves).
 */
import type { Behaviour } from './env.js'
import { parseFaultConfig, type FaultConfig } from './faults.js'
import { LIMIT_NAMES, type Limits } from './limits.js'
import { startEmulator, type EmulatorOptions } from './server.js'

export const EMULATOR_USAGE = `Usage: spaceops emulator [options]

Runs a local Genie API emulator on 127.0.0.1. Prints its URL as the first line, then serves until
SIGINT/SIGTERM. Point DATABRICKS_HOST at the URL; any non-empty bearer token is accepted.

Options:
  --port <n>                    port to listen on (default 0 = a free port)
  --seed <n>                    seed for faults and generated ids (default: random, printed on stderr)
  --data <dir>                  keep state in <dir>/emulator-state.json (survives restarts)
  --error-rate <0..1>           share of /api requests answered 500 INTERNAL_ERROR or 503 TEMPORARILY_UNAVAILABLE
  --error-rate-for <op>=<0..1>  per-endpoint error rate (repeatable; ops: list, get, create, update, trash,
                                permissions-get, permissions-set, permissions-update, mkdirs, get-status,
                                start-conversation, create-message, list-messages, list-conversations,
                                delete-conversation, delete-message, message-feedback, get-message, query-result,
                                execute-query, eval-create, eval-list, eval-get, eval-results, eval-result,
                                statement-execute, statement-get, statement-cancel, statement-chunk)
  --rate-429 <0..1>             share of /api requests answered 429 RESOURCE_EXHAUSTED
  --retry-after <s>             Retry-After seconds sent with 429 (default 1)
  --latency <ms>                latency added to every /api request
  --latency-spike-rate <0..1>   share of requests with an extra spike
  --latency-spike-ms <ms>       length of a spike
  --drop-rate <0..1>            share of requests whose connection is dropped without a response
  --lost-response-rate <0..1>   share of writes that are applied but whose response is lost
  --questions-per-minute <n>    Genie questions (start-conversation + follow-ups) per rolling minute for the
                                whole emulator; more answer 429 with Retry-After (default 5, 0 = no limit)
  --genie-latency <ms>          base time for a Genie message to finish (default 2000)
  --genie-latency-jitter <ms>   seeded random extra time per message, 0..ms (default 4000)
  --genie-fail-rate <0..1>      share of Genie messages that end FAILED (UNEXPECTED_REPLY_PROCESS_EXCEPTION)
  --genie-cancel-rate <0..1>    share of Genie messages that end CANCELLED
  --query-result-expired-rate <0..1>  share of answered messages that end QUERY_RESULT_EXPIRED
  --statement-latency <ms>      time for a SQL statement to finish (default 200)
  --eval-latency <ms>           time per benchmark question of an eval run (default 2000)
  --answer-threshold <0..1>     token-overlap (Jaccard) threshold of the answer engine (default 0.5)
  --data-seed <n>               seed of the SQL demo data (default: fixed)
  --dataset <dir>               load <dir>/<catalog>/<schema>/<table>.csv or .parquet as that table (types
                                inferred), so a suite over your own tables runs on sample data
  --answer-noise <0..1>         seeded share of answers where Genie, like a real model on a bad day, takes
                                the next-best example or asks a clarifying question (default 0)
  --warehouse <id>              a SQL warehouse the workspace has (repeatable); GET /api/2.0/sql/warehouses/{id}
                                answers 404 for any other id. None named: every id is a warehouse
  --user <name>                 the caller's user name (default emulator-user@example.com)
  --token <token>               accept only this bearer token (repeatable) plus OAuth-issued tokens
  --user-token <token>=<name>[:<group>,…]
                                the token belongs to another user (or a service principal: its
                                application id), in those groups; held to the spaces' grants
                                (repeatable; other tokens are the --user, an admin)
  --client-id <id>              expected OAuth client id (client_credentials)
  --client-secret <secret>      expected OAuth client secret
  --oidc-audience <aud>         required 'aud' of token-exchange subject tokens
  --missing-parent-status <404|400>  error for a parent_path folder that does not exist (default 404)
  --missing-space-status <404|403>   error for an unknown or trashed space (default 404)
  --parent-path-style <as-given|strip-workspace>  how parent_path is returned (default as-given)
  --reject-v1-flags-in-v2       reject get_example_values/build_value_dictionary in version 2 documents
  --limit <name>=<n>            override a server limit (repeatable; ${LIMIT_NAMES.join(', ')})
  --verbose, -v                 log each request on stderr
  --help, -h                    show this help
`

export class EmulatorArgsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EmulatorArgsError'
  }
}

export type ParsedEmulatorArgs = { help: true } | { help: false; options: EmulatorOptions; verbose: boolean }

const FAULT_FLAGS: Record<string, keyof FaultConfig> = {
  '--error-rate': 'errorRate',
  '--rate-429': 'rate429',
  '--retry-after': 'retryAfter',
  '--latency': 'latencyMs',
  '--latency-spike-rate': 'latencySpikeRate',
  '--latency-spike-ms': 'latencySpikeMs',
  '--drop-rate': 'dropRate',
  '--lost-response-rate': 'lostResponseRate',
  '--genie-latency': 'genieLatencyMs',
  '--genie-latency-jitter': 'genieLatencyJitterMs',
  '--genie-fail-rate': 'genieFailRate',
  '--genie-cancel-rate': 'genieCancelRate',
  '--query-result-expired-rate': 'queryResultExpiredRate',
  '--statement-latency': 'statementLatencyMs',
  '--eval-latency': 'evalLatencyMs'
}

function number(flag: string, raw: string): number {
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(raw)) throw new EmulatorArgsError(`${flag} expects a number, got '${raw}'`)
  return Number(raw)
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const n = number(flag, raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new EmulatorArgsError(`${flag} expects an integer from ${min} to ${max}, got '${raw}'`)
  return n
}

function keyValue(flag: string, raw: string): [string, string] {
  const eq = raw.indexOf('=')
  if (eq <= 0 || eq === raw.length - 1) throw new EmulatorArgsError(`${flag} expects <name>=<value>, got '${raw}'`)
  return [raw.slice(0, eq), raw.slice(eq + 1)]
}

/** Parse `spaceops emulator` arguments (without the command name). Throws EmulatorArgsError. */
export function parseEmulatorArgs(argv: string[]): ParsedEmulatorArgs {
  const options: EmulatorOptions = {}
  const faults: Record<string, unknown> = {}
  const errorRateFor: Record<string, number> = {}
  const limits: Partial<Limits> = {}
  const behaviour: Partial<Behaviour> = {}
  const tokens: string[] = []
  let verbose = false

  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i] as string
    let inline: string | undefined
    const eq = arg.indexOf('=')
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1)
      arg = arg.slice(0, eq)
    }
    const value = (): string => {
      if (inline !== undefined) return inline
      const v = argv[i + 1]
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new EmulatorArgsError(`${arg} needs a value`)
      i++
      return v
    }
    const noValue = (): void => {
      if (inline !== undefined) throw new EmulatorArgsError(`${arg} takes no value`)
    }

    switch (arg) {
      case '--help':
      case '-h':
        return { help: true }
      case '--verbose':
      case '-v':
        noValue()
        verbose = true
        break
      case '--port':
        options.port = integer(arg, value(), 0, 65535)
        break
      case '--seed':
        options.seed = integer(arg, value(), 0, 2 ** 32 - 1)
        break
      case '--data': {
        const dir = value()
        if (dir === '') throw new EmulatorArgsError('--data needs a directory')
        options.dataDir = dir
        break
      }
      case '--error-rate-for':
        for (const part of value().split(',')) {
          const [op, rate] = keyValue(arg, part)
          errorRateFor[op] = number(arg, rate)
        }
        break
      case '--questions-per-minute':
        options.questionsPerMinute = integer(arg, value(), 0, 100_000)
        break
      case '--answer-threshold': {
        const n = number(arg, value())
        if (n < 0 || n > 1) throw new EmulatorArgsError(`--answer-threshold expects a number from 0 to 1, got '${n}'`)
        options.answerMatchThreshold = n
        break
      }
      case '--dataset':
        options.dataset = value()
        break
      case '--answer-noise': {
        const n = number(arg, value())
        if (n < 0 || n > 1) throw new EmulatorArgsError(`--answer-noise expects a number from 0 to 1, got '${n}'`)
        options.answerNoise = n
        break
      }
      case '--data-seed':
        options.dataSeed = integer(arg, value(), 0, 2 ** 32 - 1)
        break
      case '--user':
        options.userName = value()
        break
      case '--warehouse': {
        const id = value()
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new EmulatorArgsError(`--warehouse expects a warehouse id (letters, digits, _ and -), got '${id}'`)
        options.warehouses = [...(options.warehouses ?? []), id]
        break
      }
      case '--token':
        tokens.push(value())
        break
      case '--user-token': {
        const v = value()
        const m = /^([^=]+)=([^:]+)(?::(.*))?$/.exec(v)
        if (!m) throw new EmulatorArgsError(`--user-token must be <token>=<name>[:<group>,…], got "${v}"`)
        const groups = (m[3] ?? '')
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean)
        const users = options.auth?.users ?? (Object.create(null) as Record<string, { userName: string; groups?: string[] }>)
        users[m[1] as string] = { userName: m[2] as string, ...(groups.length ? { groups } : {}) }
        options.auth = { ...options.auth, users }
        break
      }
      case '--client-id':
        options.auth = { ...options.auth, clientId: value() }
        break
      case '--client-secret':
        options.auth = { ...options.auth, clientSecret: value() }
        break
      case '--oidc-audience':
        options.auth = { ...options.auth, oidcAudience: value() }
        break
      case '--missing-parent-status': {
        const v = value()
        if (v !== '404' && v !== '400') throw new EmulatorArgsError(`--missing-parent-status expects 404 or 400, got '${v}'`)
        behaviour.missingParentStatus = v === '404' ? 404 : 400
        break
      }
      case '--missing-space-status': {
        const v = value()
        if (v !== '404' && v !== '403') throw new EmulatorArgsError(`--missing-space-status expects 404 or 403, got '${v}'`)
        behaviour.missingSpaceStatus = v === '404' ? 404 : 403
        break
      }
      case '--parent-path-style': {
        const v = value()
        if (v !== 'as-given' && v !== 'strip-workspace') {
          throw new EmulatorArgsError(`--parent-path-style expects as-given or strip-workspace, got '${v}'`)
        }
        behaviour.parentPathStyle = v
        break
      }
      case '--reject-v1-flags-in-v2':
        noValue()
        behaviour.rejectV1FlagsInV2 = true
        break
      case '--limit': {
        const [name, raw] = keyValue(arg, value())
        if (!(LIMIT_NAMES as string[]).includes(name)) {
          throw new EmulatorArgsError(`unknown limit '${name}'; known: ${LIMIT_NAMES.join(', ')}`)
        }
        limits[name as keyof Limits] = integer(arg, raw, 0, Number.MAX_SAFE_INTEGER)
        break
      }
      default: {
        const field = FAULT_FLAGS[arg]
        if (!field) throw new EmulatorArgsError(`unknown option '${arg}'`)
        faults[field] = number(arg, value())
      }
    }
  }

  if (Object.keys(errorRateFor).length > 0) faults['errorRateFor'] = errorRateFor
  try {
    options.faults = parseFaultConfig(faults)
  } catch (err) {
    throw new EmulatorArgsError(err instanceof Error ? err.message : String(err))
  }
  if (Object.keys(limits).length > 0) options.limits = limits
  if (Object.keys(behaviour).length > 0) options.behaviour = behaviour
  if (tokens.length > 0) options.auth = { ...options.auth, tokens }
  return { help: false, options, verbose }
}

export interface EmulatorCliIo {
  stdout(line: string): void
  stderr(line: string): void
  /** Resolves when the emulator should stop. Default: the first SIGINT or SIGTERM. */
  waitForStop?: () => Promise<void>
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

/**
 * Run `spaceops emulator`. Resolves with the exit code: 0 after a clean stop (and for --help),
 * 2 for bad arguments, 1 if the emulator cannot start. Errors are one line on stderr.
 */
export async function runEmulatorCli(argv: string[], io: EmulatorCliIo): Promise<number> {
  let parsed: ParsedEmulatorArgs
  try {
    parsed = parseEmulatorArgs(argv)
  } catch (err) {
    io.stderr(`spaceops emulator: ${err instanceof Error ? err.message : String(err)} (see --help)`)
    return 2
  }
  if (parsed.help) {
    io.stdout(EMULATOR_USAGE)
    return 0
  }
  const stopped = (io.waitForStop ?? waitForSignal)()
  let emulator
  try {
    emulator = await startEmulator({
      ...parsed.options,
      log: parsed.verbose ? (line) => io.stderr(line) : undefined,
      warn: (line) => io.stderr(`spaceops emulator: ${line}`)
    })
  } catch (err) {
    io.stderr(`spaceops emulator: cannot start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
    return 1
  }
  io.stdout(emulator.url)
  io.stderr(`genie emulator: seed ${emulator.seed}, state ${parsed.options.dataDir ? `in ${parsed.options.dataDir}` : 'in memory'}; stop with Ctrl-C`)
  await stopped
  await emulator.close()
  return 0
}
