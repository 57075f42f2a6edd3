import { SpaceOpsError } from '../../src/util/errors.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import {
  CREDENTIAL_VAR,
  documentedVariables,
  knownSecrets,
  parsePromotionConfig,
  resolveEnvironment,
  spaceSettings,
  type ExpansionPolicy
} from '../../src/promote/config.js'

// The promotion config's own rules, offline: host forms, environment names, expansion policy.

const located = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(SpaceOpsError)
    const e = err as SpaceOpsError
    expect(e.message).not.toContain('\n')
    return e.format()
  }
  throw new Error('expected a SpaceOpsError')
}

const config = (envs: string, order = '[dev]') => `promotion_order: ${order}\nenvironments:\n${envs}`
const parse = (text: string) => parsePromotionConfig('config/promotion.yaml', text)

const everything = (vars: Record<string, string | undefined>, secrets = new SecretRegistry()): ExpansionPolicy => ({
  vars,
  allow: () => true,
  refusal: () => 'is refused',
  isSecret: knownSecrets(secrets, vars)
})

describe("a config host may only name its own environment's workflow host", () => {
  test.each([
    ['prefix text', 'http://127.0.0.1:9/${DATABRICKS_DEV_HOST}'],
    ['suffix text', '${DATABRICKS_DEV_HOST}:9'],
    ['a default', '${DATABRICKS_UNSET_HOST:-http://127.0.0.1:9}'],
    ["another environment's variable", '${DATABRICKS_PROD_HOST}'],
    ['a variable that is not a Databricks host', '${GITHUB_API_URL}'],
    ['an incomplete reference', '${DATABRICKS_DEV_HOST']
  ])('%s is refused offline, at its line and column', (_what, host) => {
    const text = config(`  dev:\n    host: "${host}"\n  prod:\n    host: \${DATABRICKS_PROD_HOST}\n`, '[dev, prod]')
    expect(located(() => parse(text))).toMatch(
      /^config\/promotion\.yaml:4:11: environments\.dev\.host must be exactly \$\{DATABRICKS_DEV_HOST\}, not ".*"; hosts come from the workflow/
    )
  })

  test('exactly ${DATABRICKS_<ENV>_HOST}, a literal host or no host parse; a literal must still be a valid https host', () => {
    expect(() =>
      parse(config('  dev:\n    host: ${DATABRICKS_DEV_HOST}\n  stage-1:\n    host: https://adb-1.azuredatabricks.net\n  prod: {}\n', '[dev, stage-1, prod]'))
    ).not.toThrow()
    expect(() => parse(config('  stage-1:\n    host: ${DATABRICKS_STAGE_1_HOST}\n', '[stage-1]'))).not.toThrow()
    expect(located(() => parse(config('  dev:\n    host: http://dbc-1.cloud.databricks.com\n')))).toMatch(
      /^config\/promotion\.yaml:4:11: environments\.dev\.host: .*https is required/
    )
  })
})

describe('environment names', () => {
  test('must be lowercase names', () => {
    expect(located(() => parse(config('  Dev: {}\n', '[Dev]')))).toBe(
      'config/promotion.yaml:3:3: environment name "Dev" must be lowercase letters, digits, "-" and "_", starting with a letter (e.g. dev, stage-1)'
    )
    expect(located(() => parse(config('  toString: {}\n', '[toString]')))).toMatch(
      /^config\/promotion\.yaml:3:3: environment name "toString" must be lowercase/
    )
    expect(located(() => parse(config('  "1st": {}\n', '["1st"]')))).toMatch(/environment name "1st"/)
  })

  test('two names that share a variable name are refused', () => {
    expect(located(() => parse(config('  stage-1: {}\n  stage_1: {}\n', '[stage-1, stage_1]')))).toBe(
      'config/promotion.yaml:4:3: environments "stage-1" and "stage_1" would share the variables DATABRICKS_STAGE_1_HOST, STAGE_1_WAREHOUSE_ID, …: rename one'
    )
  })

  test('promotion_order: [dev, constructor] is refused: environments are own keys, never prototype properties', () => {
    expect(located(() => parse(config('  dev: {}\n', '[dev, constructor]')))).toBe(
      'config/promotion.yaml:1:24: promotion_order names "constructor" but environments has no "constructor"'
    )
    expect(located(() => parse(config('  dev: {}\n', '[dev, hasOwnProperty]')))).toMatch(
      /promotion_order names "hasOwnProperty" but environments has no "hasOwnProperty"/
    )
    const cfg = parse(config('  dev: {}\n'))
    expect(located(() => resolveEnvironment(cfg, 'constructor', everything({})))).toBe(
      'config/promotion.yaml: unknown environment "constructor": the config defines dev'
    )
    expect(located(() => parse(config('  dev: {}\n  constructor: {}\n', '[dev, constructor]')))).toBe(
      'config/promotion.yaml:4:3: environment name "constructor" is reserved; choose another'
    )
  })

  test('__proto__ is refused as a key anywhere (parsers would drop it or make it a prototype)', () => {
    expect(located(() => parse(config('  dev:\n    spaces:\n      __proto__: { space_id: x }\n')))).toBe(
      'config/promotion.yaml:5:7: "__proto__" is not allowed as a key'
    )
  })

  test('a space folder called constructor gets only what the config says', () => {
    const cfg = parse(config('  dev:\n    warehouse_id: wh\n'))
    const envc = resolveEnvironment(cfg, 'dev', everything({}))
    expect(spaceSettings(envc, 'constructor', false)).toEqual({ warehouse_id: 'wh' })
    expect(envc.mappings.catalogs.constructor).toBeUndefined()
  })
})

describe('${VAR} expansion under a policy', () => {
  const dev = (field: string) => parse(config(`  dev:\n    ${field}\n`))
  const expand = (field: string, policy: ExpansionPolicy) => resolveEnvironment(dev(field), 'dev', policy)

  test('a default is literal text: ${A:-${B}} is an error, not the literal ${B}', () => {
    expect(located(() => expand('warehouse_id: ${DEV_WAREHOUSE_ID:-${OTHER}}', everything({ OTHER: 'wh' })))).toMatch(
      /^config\/promotion\.yaml:4:19: environments\.dev\.warehouse_id: a default is literal text; \$\{…\} inside \$\{DEV_WAREHOUSE_ID:-…\} is not expanded/
    )
    expect(expand('warehouse_id: ${DEV_WAREHOUSE_ID:-wh-1}', everything({})).warehouse_id).toBe('wh-1')
    expect(expand('warehouse_id: ${DEV_WAREHOUSE_ID:-wh-1}', everything({ DEV_WAREHOUSE_ID: 'wh-2' })).warehouse_id).toBe('wh-2')
  })

  test('values with a newline, another control character or ${ are refused, without repeating them', () => {
    for (const value of ['/Workspace/a\n/Workspace/b', 'x\u0000y', 'x\u2028y']) {
      const message = located(() => expand('parent_path: ${DEV_PARENT_PATH}', everything({ DEV_PARENT_PATH: value })))
      expect(message).toBe(
        'config/promotion.yaml:4:18: the value of DEV_PARENT_PATH contains a newline or another control character; it cannot be used in the promotion config (environments.dev.parent_path)'
      )
    }
    expect(located(() => expand('parent_path: ${DEV_PARENT_PATH}', everything({ DEV_PARENT_PATH: '/x/${DATABRICKS_DEV_TOKEN}' })))).toMatch(
      /the value of DEV_PARENT_PATH contains "\$\{"; values are not expanded again/
    )
    expect(located(() => expand('parent_path: "/a\\nb"', everything({})))).toMatch(/environments\.dev\.parent_path contains a newline/)
  })

  test('a value holding a known secret is refused; the secret is not in the message', () => {
    const secrets = new SecretRegistry()
    const vars = { DATABRICKS_PROD_TOKEN: 'dapi-prod-canary-1', INNOCENT: 'dapi-prod-canary-1', OTHER: 'pre-registered-canary' }
    secrets.add('pre-registered-canary')
    const policy = everything(vars, secrets)
    const message = located(() => expand('warehouse_id: ${INNOCENT}', policy))
    expect(message).toBe(
      'config/promotion.yaml:4:19: the value of INNOCENT holds a secret SpaceOps knows (a token or client secret); secrets are never expanded into the promotion config (environments.dev.warehouse_id)'
    )
    expect(located(() => expand('catalog_mappings: { shop_dev: "x_${OTHER}" }', policy))).toMatch(/the value of OTHER holds a secret/)
  })

  test('the policy is asked before the value is read, and its refusal is the error', () => {
    const asked: string[] = []
    const policy: ExpansionPolicy = {
      ...everything({ GH_PAT: 'canary-gh-pat' }),
      allow: (n) => (asked.push(n), false),
      refusal: () => 'is not allowed: add it to config-variables'
    }
    const message = located(() => expand('warehouse_id: ${GH_PAT}', policy))
    expect(message).toBe('config/promotion.yaml:4:19: ${GH_PAT} is not allowed: add it to config-variables (environments.dev.warehouse_id)')
    expect(asked).toEqual(['GH_PAT'])
  })

  test("the documented per-environment names are those of the config's own environments", () => {
    const cfg = parse(config('  dev: {}\n  stage-1: {}\n', '[dev, stage-1]'))
    expect([...documentedVariables(cfg)].sort()).toEqual([
      'DATABRICKS_DEV_HOST',
      'DATABRICKS_STAGE_1_HOST',
      'DEV_PARENT_PATH',
      'DEV_WAREHOUSE_ID',
      'STAGE_1_PARENT_PATH',
      'STAGE_1_WAREHOUSE_ID'
    ])
  })

  test('the credential-name guard covers common secret names and spares the documented ones', () => {
    for (const name of [
      'GH_PAT',
      'DB_PASS',
      'JWT',
      'NPM_AUTH',
      'SLACK_WEBHOOK_URL',
      'AWS_ACCESS_KEY_ID',
      'DATABRICKS_DEV_TOKEN',
      'MY_API_KEY',
      'DB_PASSWORD',
      'SENTRY_DSN',
      'SESSION_COOKIE'
    ])
      expect(CREDENTIAL_VAR.test(name)).toBe(true)
    for (const name of ['DEV_WAREHOUSE_ID', 'PROD_PARENT_PATH', 'DATABRICKS_DEV_HOST', 'DEV_CATALOG', 'PATH_PREFIX'])
      expect(CREDENTIAL_VAR.test(name)).toBe(false)
  })
})
