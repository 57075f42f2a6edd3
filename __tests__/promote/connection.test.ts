import { SpaceOpsError } from '../../src/util/errors.js'
import { parsePromotionConfig } from '../../src/promote/config.js'
import { connectionFor, type WorkflowInputs } from '../../src/promote/connection.js'
import { ACTION_NAMES, CLI_NAMES } from '../../src/core/names.js'

// Which host gets which credential: one function, every mode and face.

const DEV = 'https://dev.cloud.databricks.com'
const PROD = 'https://prod.cloud.databricks.com'
const cfg = (devHost = 'host: ${DATABRICKS_DEV_HOST}') =>
  parsePromotionConfig(
    'config/promotion.yaml',
    `promotion_order: [dev, prod]\nenvironments:\n  dev:\n    ${devHost}\n  prod:\n    host: \${DATABRICKS_PROD_HOST}\n`
  )

const sent = (env: Record<string, string>, name = 'dev', inputs?: WorkflowInputs, config = cfg()) => {
  const c = connectionFor(config, name, env, inputs)
  return { host: c.host, token: c.clientEnv.DATABRICKS_TOKEN, clientId: c.clientEnv.DATABRICKS_CLIENT_ID, clientSecret: c.clientEnv.DATABRICKS_CLIENT_SECRET }
}
const error = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(SpaceOpsError)
    return (err as SpaceOpsError).format()
  }
  throw new Error('expected an error')
}

describe('connectionFor', () => {
  test("an environment's variables: its host, its credentials", () => {
    const env = {
      DATABRICKS_DEV_HOST: DEV,
      DATABRICKS_DEV_TOKEN: 'dev-token',
      DATABRICKS_PROD_HOST: PROD,
      DATABRICKS_PROD_CLIENT_ID: 'sp',
      DATABRICKS_PROD_CLIENT_SECRET: 'sp-secret'
    }
    expect(sent(env)).toEqual({ host: DEV, token: 'dev-token', clientId: undefined, clientSecret: undefined })
    expect(sent(env, 'prod')).toEqual({ host: PROD, token: undefined, clientId: 'sp', clientSecret: 'sp-secret' })
  })

  test('the inputs belong to one environment and make its ${VAR}s unnecessary', () => {
    const inputs = { env: 'dev', host: `${DEV}/?o=1`, token: 'input-token' }
    expect(sent({}, 'dev', inputs)).toEqual({ host: DEV, token: 'input-token', clientId: undefined, clientSecret: undefined })
    // the other environment does not get them
    expect(error(() => sent({}, 'prod', inputs))).toBe('environment prod: no host — set DATABRICKS_PROD_HOST in the workflow')
    expect(error(() => sent({ DATABRICKS_PROD_HOST: DEV }, 'prod', inputs))).toMatch(
      /^environment prod: no credentials for https:\/\/dev\.cloud\.databricks\.com — set DATABRICKS_PROD_TOKEN/
    )
    // a host input that contradicts the workflow's variable is refused, not silently chosen
    // …in the words of the face that took the inputs
    expect(error(() => sent({ DATABRICKS_DEV_HOST: PROD }, 'dev', { ...inputs, names: ACTION_NAMES }))).toBe(
      'environment dev: input host and DATABRICKS_DEV_HOST name different hosts; give one, or the same'
    )
    expect(error(() => sent({ DATABRICKS_DEV_HOST: PROD }, 'dev', { ...inputs, names: CLI_NAMES }))).toBe(
      'environment dev: --host and DATABRICKS_DEV_HOST name different hosts; give one, or the same'
    )
  })

  test('the generic DATABRICKS_TOKEN serves only the host it belongs to (DATABRICKS_HOST)', () => {
    const env = { DATABRICKS_HOST: DEV, DATABRICKS_TOKEN: 'generic', DATABRICKS_DEV_HOST: DEV, DATABRICKS_PROD_HOST: PROD }
    expect(sent(env).token).toBe('generic')
    expect(error(() => sent(env, 'prod'))).toMatch(/^environment prod: no credentials for https:\/\/prod\.cloud\.databricks\.com/)
    // DATABRICKS_HOST is a host only for the environment the inputs belong to
    expect(sent({ DATABRICKS_HOST: DEV, DATABRICKS_TOKEN: 'generic' }, 'dev', { env: 'dev' }).host).toBe(DEV)
    expect(error(() => sent({ DATABRICKS_HOST: DEV, DATABRICKS_TOKEN: 'generic' }, 'prod', { env: 'dev' }))).toMatch(/no host — set DATABRICKS_PROD_HOST/)
  })

  test('a literal config host is a check against the workflow host, never a source', () => {
    const literal = cfg(`host: ${DEV}/`)
    expect(sent({ DATABRICKS_DEV_HOST: DEV, DATABRICKS_DEV_TOKEN: 't' }, 'dev', undefined, literal).host).toBe(DEV)
    expect(error(() => sent({ DATABRICKS_DEV_HOST: PROD, DATABRICKS_DEV_TOKEN: 't' }, 'dev', undefined, literal))).toBe(
      'config/promotion.yaml:4:11: environment dev: host https://dev.cloud.databricks.com is written in the repository and is not the host the workflow gives (DATABRICKS_DEV_HOST); SpaceOps sends credentials only to the host the workflow names — write host: ${DATABRICKS_DEV_HOST}'
    )
    expect(error(() => sent({ DATABRICKS_DEV_TOKEN: 't' }, 'dev', undefined, literal))).toMatch(/no host — set DATABRICKS_DEV_HOST/)
  })

  test("the client sees only this environment's credentials", () => {
    const c = connectionFor(cfg(), 'dev', {
      DATABRICKS_DEV_HOST: DEV,
      DATABRICKS_DEV_TOKEN: 'dev-token',
      DATABRICKS_CLIENT_ID: 'generic-sp',
      DATABRICKS_CLIENT_SECRET: 'generic-secret',
      DATABRICKS_HOST: PROD
    })
    expect(c.clientEnv.DATABRICKS_HOST).toBe(DEV)
    expect(c.clientEnv.DATABRICKS_CLIENT_ID).toBeUndefined()
    expect(c.clientEnv.DATABRICKS_CLIENT_SECRET).toBeUndefined()
  })
})
