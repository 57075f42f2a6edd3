import { loadDefinitionText } from '../../src/model/load.js'
import { spaceToAuthoring } from '../../src/model/convert.js'
import { effectiveGrants, grantsAtLeast, grantProblems, sameGrants, type Grant } from '../../src/model/permissions.js'
import { deployerPrincipal, directGrants, grantsToWrite } from '../../src/deploy/permissions.js'
import { parsePromotionConfig, resolveEnvironment, type ExpansionPolicy } from '../../src/promote/config.js'
import { renderForEnvironment } from '../../src/promote/remap.js'
import { SpaceOpsError } from '../../src/util/errors.js'

// Permissions as code, offline: the model, the rules, the grants SpaceOps writes, the config.

const YAML = `title: Sales
data_sources:
  tables:
    - identifier: main.sales.orders
permissions:
  - level: CAN_VIEW
    user_name: someone@example.com
  - level: CAN_RUN
    group_name: analysts
  - level: CAN_MANAGE
    service_principal_name: 6f1c2a4e-0000-4000-8000-00000000abcd
`
const load = (text: string) => {
  const r = loadDefinitionText('space.yaml', text)
  if (!r.definition) throw new Error(r.problems[0]?.message)
  return r.definition.space
}

describe('the model', () => {
  test('grants load in canonical order (users, groups, service principals) and round-trip through YAML', () => {
    const space = load(YAML)
    expect(space.permissions).toEqual([
      { level: 'CAN_VIEW', user_name: 'someone@example.com' },
      { level: 'CAN_RUN', group_name: 'analysts' },
      { level: 'CAN_MANAGE', service_principal_name: '6f1c2a4e-0000-4000-8000-00000000abcd' }
    ])
    expect(spaceToAuthoring(space).permissions).toEqual(space.permissions)
    expect(load(YAML.replace(/^title: Sales\n/, 'title: Sales\ndescription: d\n')).permissions).toEqual(space.permissions)
  })

  test('no permissions key: undefined (grants left alone); an empty list: SpaceOps owns them, none wanted', () => {
    expect(load(YAML.split('permissions:')[0] as string).permissions).toBeUndefined()
    expect(spaceToAuthoring(load(YAML.split('permissions:')[0] as string))).not.toHaveProperty('permissions')
    expect(load(`${YAML.split('permissions:')[0]}permissions: []\n`).permissions).toEqual([])
  })

  test('a .geniespace.json holds no permissions (bundles keep them in YAML)', () => {
    const r = loadDefinitionText('x.geniespace.json', '{"version":2,"permissions":[]}')
    expect(r.definition).toBeUndefined()
  })

  test("effectiveGrants: the environment's list replaces the definition's; grantsAtLeast finds who may converse", () => {
    const space = load(YAML)
    expect(effectiveGrants(space)).toEqual(space.permissions)
    expect(effectiveGrants(space, { permissions: [{ level: 'CAN_EDIT', group_name: 'prod' }] })).toEqual([{ level: 'CAN_EDIT', group_name: 'prod' }])
    expect(effectiveGrants({}, {})).toBeUndefined()
    expect(grantsAtLeast(space.permissions as Grant[], 'CAN_RUN').map((g) => g.group_name ?? g.service_principal_name)).toEqual([
      'analysts',
      '6f1c2a4e-0000-4000-8000-00000000abcd'
    ])
  })

  test('sameGrants ignores order and the case of user names', () => {
    expect(
      sameGrants(
        [
          { level: 'CAN_RUN', user_name: 'A@x.com' },
          { level: 'CAN_VIEW', group_name: 'g' }
        ],
        [
          { level: 'CAN_VIEW', group_name: 'g' },
          { level: 'CAN_RUN', user_name: 'a@x.com' }
        ]
      )
    ).toBe(true)
    expect(sameGrants([{ level: 'CAN_RUN', group_name: 'G' }], [{ level: 'CAN_RUN', group_name: 'g' }])).toBe(false)
    expect(sameGrants([{ level: 'CAN_RUN', group_name: 'g' }], [{ level: 'CAN_EDIT', group_name: 'g' }])).toBe(false)
  })

  test('grantProblems: exactly one principal, no duplicates, not the admins group, no control characters', () => {
    expect(
      grantProblems([{ user_name: 'a', group_name: 'b' }, {}, { group_name: 'admins' }, { user_name: 'x\ny' }, { user_name: 'a@x' }, { user_name: 'A@x' }]).map(
        (p) => [p.index, p.message.split(':')[0]]
      )
    ).toEqual([
      [0, 'a grant names exactly one principal; this one sets user_name and group_name'],
      [1, 'a grant needs exactly one principal'],
      [2, 'the admins group always has CAN_MANAGE (inherited) and is never changed by SpaceOps'],
      [3, 'user_name contains a line break or another control character'],
      [5, 'user A@x is granted twice (entries 5 and 6)']
    ])
  })
})

describe('the grants SpaceOps reads and writes', () => {
  const acl = {
    access_control_list: [
      { user_name: 'me@example.com', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: false }] },
      { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/directories/'] }] },
      {
        group_name: 'folk',
        all_permissions: [
          { permission_level: 'CAN_EDIT', inherited: true },
          { permission_level: 'CAN_VIEW', inherited: false }
        ]
      },
      { group_name: 'inherited-only', all_permissions: [{ permission_level: 'CAN_RUN', inherited: true }] },
      {
        user_name: 'two@example.com',
        all_permissions: [
          { permission_level: 'CAN_VIEW', inherited: false },
          { permission_level: 'CAN_RUN', inherited: false }
        ]
      }
    ]
  }

  test('direct grants only: inherited grants and the admins group are left out; the highest direct level counts', () => {
    expect(directGrants(acl, 'id')).toEqual([
      { level: 'CAN_MANAGE', user_name: 'me@example.com' },
      { level: 'CAN_RUN', user_name: 'two@example.com' },
      { level: 'CAN_VIEW', group_name: 'folk' }
    ])
  })

  test('a direct level SpaceOps does not know is an error, never silently rewritten', () => {
    expect(() =>
      directGrants({ access_control_list: [{ user_name: 'x', all_permissions: [{ permission_level: 'IS_OWNER', inherited: false }] }] }, 'id')
    ).toThrow('"IS_OWNER", which SpaceOps does not know')
  })

  test('the deploying principal keeps CAN_MANAGE: added when not named, refused when given less', () => {
    const me = deployerPrincipal({ userName: 'me@example.com' })
    expect(grantsToWrite([{ level: 'CAN_RUN', group_name: 'g' }], me, 'space.yaml')).toEqual([
      { level: 'CAN_MANAGE', user_name: 'me@example.com' },
      { level: 'CAN_RUN', group_name: 'g' }
    ])
    expect(grantsToWrite([{ level: 'CAN_MANAGE', user_name: 'ME@example.com' }], me, 'space.yaml')).toEqual([
      { level: 'CAN_MANAGE', user_name: 'ME@example.com' }
    ])
    expect(() => grantsToWrite([{ level: 'CAN_EDIT', user_name: 'Me@example.com' }], me, 'space.yaml')).toThrow(SpaceOpsError)
    expect(() => grantsToWrite([{ level: 'CAN_EDIT', user_name: 'Me@example.com' }], me, 'space.yaml')).toThrow(
      'space.yaml: permissions give user Me@example.com CAN_EDIT, but that is the principal SpaceOps deploys as'
    )
    // a group of the same name is not the deployer
    expect(grantsToWrite([{ level: 'CAN_VIEW', group_name: 'me@example.com' }], me, 'x')).toHaveLength(2)
  })

  test('a service principal deploys by application id (a UUID userName), or by the kind the live grants use for it', () => {
    const appId = '6f1c2a4e-0000-4000-8000-00000000abcd'
    expect(deployerPrincipal({ userName: appId })).toEqual({ kind: 'service_principal_name', name: appId })
    expect(deployerPrincipal({ userName: 'ci@example.com' })).toEqual({ kind: 'user_name', name: 'ci@example.com' })
    expect(deployerPrincipal({ userName: 'odd-name' }, [{ level: 'CAN_MANAGE', service_principal_name: 'odd-name' }])).toEqual({
      kind: 'service_principal_name',
      name: 'odd-name'
    })
  })
})

describe('environments.<env>.permissions', () => {
  const policy = (vars: Record<string, string>): ExpansionPolicy => ({ vars, allow: () => true, refusal: () => 'is refused', isSecret: () => false })
  const cfg = (grants: string) => parsePromotionConfig('config/promotion.yaml', `promotion_order: [prod]\nenvironments:\n  prod:\n    permissions:\n${grants}`)

  test("names expand through ${VAR}; the list replaces the definition's when rendered for the environment", () => {
    const c = cfg('      - level: CAN_RUN\n        group_name: ${READERS}\n      - level: CAN_VIEW\n        user_name: a@example.com\n')
    const envc = resolveEnvironment(c, 'prod', policy({ READERS: 'prod-readers' }))
    expect(envc.permissions).toEqual([
      { level: 'CAN_VIEW', user_name: 'a@example.com' },
      { level: 'CAN_RUN', group_name: 'prod-readers' }
    ])
    const rendered = renderForEnvironment(load(YAML), envc, {}).space
    expect(rendered.permissions).toEqual(envc.permissions)
    const none = resolveEnvironment(parsePromotionConfig('c.yaml', 'promotion_order: [prod]\nenvironments:\n  prod: {}\n'), 'prod', policy({}))
    expect(renderForEnvironment(load(YAML), none, {}).space.permissions).toEqual(load(YAML).permissions)
  })

  test('two principals in one entry, a bad level, or a duplicate after expansion: one located line', () => {
    const fmt = (fn: () => unknown) => {
      try {
        fn()
      } catch (err) {
        return (err as SpaceOpsError).format()
      }
      throw new Error('expected an error')
    }
    expect(fmt(() => cfg('      - level: CAN_RUN\n        group_name: g\n        user_name: u\n'))).toBe(
      'config/promotion.yaml:5:9: environments.prod.permissions[0]: a grant names exactly one principal; this one sets user_name and group_name: split it into one entry each'
    )
    expect(fmt(() => cfg('      - level: CAN_USE\n        group_name: g\n'))).toMatch(/^config\/promotion\.yaml:5:16: .*CAN_RUN/)
    const c = cfg('      - level: CAN_RUN\n        group_name: ${A}\n      - level: CAN_EDIT\n        group_name: same\n')
    expect(fmt(() => resolveEnvironment(c, 'prod', policy({ A: 'same' })))).toBe(
      'config/promotion.yaml:8:21: environments.prod.permissions[1] (expanded): group same is granted twice (entries 1 and 2): keep one level per principal'
    )
  })
})
