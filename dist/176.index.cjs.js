"use strict";
exports.id = 176;
exports.ids = [176];
exports.modules = {

/***/ 6780:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ normalizeHost)
/* harmony export */ });
/* unused harmony export isLoopbackHostname */
/* harmony import */ var _core_names_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2483);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(17);
/**
 * Normalises a Databricks workspace host (DATABRICKS_HOST / the `host` input) to an origin:
 * `https://` is added when there is no scheme; any path, query, fragment and trailing slash are
 * dropped (people paste `https://x.cloud.databricks.com/?o=123#…` from the browser).
 *
 * Plain `http://` is accepted ONLY for loopback (127.0.0.0/8, localhost, [::1]) so the local emulator
 * and tests work; anywhere else a bearer token would travel in clear text, so it is refused.
 * A host carrying `user:password@` is refused too (and the message does not repeat it).
 */


const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
function normalizeHost(raw, names = _core_names_js__WEBPACK_IMPORTED_MODULE_0__/* .NEUTRAL_NAMES */ .lJ) {
    const input = raw.trim();
    if (input === '') {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SpaceOpsError */ .Dc(`Databricks host is empty: set DATABRICKS_HOST${(0,_core_names_js__WEBPACK_IMPORTED_MODULE_0__/* .viaOption */ .Cn)(names, 'host', ' (or ', ')')}, e.g. https://adb-123.4.azuredatabricks.net`);
    }
    // a reference nobody expanded (a shell, a YAML file): never let "${…}" become part of a path or a name
    if (input.includes('${'))
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SpaceOpsError */ .Dc(`Databricks host "${input}" contains an unexpanded \${…} reference: the workflow must give the host itself`);
    const withScheme = SCHEME.test(input) ? input : `https://${input}`;
    let url;
    try {
        url = new URL(withScheme);
    }
    catch {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SpaceOpsError */ .Dc(`Databricks host "${input}" is not a valid URL`);
    }
    if (url.username !== '' || url.password !== '') {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SpaceOpsError */ .Dc('Databricks host must not contain credentials (user:password@); pass a token instead');
    }
    if (url.hostname === '') {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SpaceOpsError */ .Dc(`Databricks host "${input}" has no host name`);
    }
    if (url.protocol === 'https:')
        return `https://${url.host}`;
    if (url.protocol === 'http:') {
        if (isLoopbackHostname(url.hostname))
            return `http://${url.host}`;
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SpaceOpsError */ .Dc(`Databricks host ${url.protocol}//${url.host} uses plain http: https is required (http is allowed only for loopback hosts such as 127.0.0.1 or localhost)`);
    }
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SpaceOpsError */ .Dc(`Databricks host "${url.protocol}//${url.host}" must use https://`);
}
/** 127.0.0.0/8, localhost (and *.localhost), [::1]. `hostname` as URL gives it (IPv6 in brackets). */
function isLoopbackHostname(hostname) {
    const h = hostname.toLowerCase().replace(/\.$/, '');
    if (h === 'localhost' || h.endsWith('.localhost'))
        return true;
    if (h === '[::1]' || h === '::1')
        return true;
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
    if (m)
        return m.slice(1).every((p) => Number(p) <= 255) && Number(m[1]) === 127;
    return false;
}


/***/ }),

/***/ 2483:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cn: () => (/* binding */ viaOption),
/* harmony export */   G: () => (/* binding */ ACTION_NAMES),
/* harmony export */   Su: () => (/* binding */ settingText),
/* harmony export */   lJ: () => (/* binding */ NEUTRAL_NAMES)
/* harmony export */ });
/* unused harmony export CLI_NAMES */
/** The CLI's flags. It has no flags for OAuth secrets: those come from the environment only. */
const CLI_FLAGS = {
    baseline: '--baseline',
    'client-id': undefined,
    'client-secret': undefined,
    config: '--config',
    force: '--force',
    format: '--format',
    host: '--host',
    'keep-conversations': '--keep-conversations',
    'lock-timeout': '--lock-timeout',
    'max-questions': '--max-questions',
    'max-regression': '--max-regression',
    'min-accuracy': '--min-accuracy',
    'regression-p': '--regression-p',
    repeat: '--repeat',
    'run-timeout': '--run-timeout',
    'skip-preflight': '--skip-preflight',
    'space-id': '--space-id',
    strategy: '--strategy',
    timeout: '--timeout',
    title: '--title',
    token: '--token',
    trend: '--trend',
    'warehouse-id': '--warehouse-id'
};
/** The action's inputs (action.yml). Snapshot formats are the CLI's alone. */
const ACTION_INPUTS = {
    baseline: 'baseline',
    'client-id': 'client-id',
    'client-secret': 'client-secret',
    config: 'config',
    force: 'force',
    format: undefined,
    host: 'host',
    'keep-conversations': 'keep-conversations',
    'lock-timeout': 'lock-timeout',
    'max-questions': 'preview-max-questions',
    'max-regression': 'max-regression',
    'min-accuracy': 'min-accuracy',
    'regression-p': 'regression-p',
    repeat: 'repeat',
    'run-timeout': 'run-timeout',
    'skip-preflight': 'skip-preflight',
    'space-id': 'space-id',
    strategy: 'benchmark-strategy',
    timeout: 'timeout',
    title: 'title',
    token: 'token',
    trend: 'trend',
    'warehouse-id': 'warehouse-id'
};
const CLI_NAMES = {
    option: (name) => CLI_FLAGS[name],
    setting: (name, value) => (CLI_FLAGS[name] === undefined ? undefined : `${CLI_FLAGS[name]} ${value}`)
};
/** Switches: named turned on, as `--force` is (`force: true`, as written under `with:`). */
const SWITCHES = new Set(['force', 'skip-preflight']);
const ACTION_NAMES = {
    option: (name) => {
        const input = ACTION_INPUTS[name];
        if (input === undefined)
            return undefined;
        // as every action message names an input: `input timeout`, `input config-variables`
        return SWITCHES.has(name) ? `${input}: true` : `input ${input}`;
    },
    // as written under the step's `with:`
    setting: (name, value) => (ACTION_INPUTS[name] === undefined ? undefined : `${ACTION_INPUTS[name]}: ${value}`)
};
const NEUTRAL_NAMES = { option: () => undefined, setting: () => undefined };
/** `--strategy conversation` / `benchmark-strategy: conversation`; without the setting, `strategy conversation`. */
function settingText(names, name, value) {
    return names.setting(name, value) ?? `${name} ${value}`;
}
/** `${before}${the face's name}${after}` when the face has the setting, else `otherwise` (default ''). */
function viaOption(names, name, before, after = '', otherwise = '') {
    const word = names.option(name);
    return word === undefined ? otherwise : `${before}${word}${after}`;
}


/***/ }),

/***/ 6176:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CREDENTIAL_VAR: () => (/* binding */ CREDENTIAL_VAR),
/* harmony export */   ENV_NAME: () => (/* binding */ ENV_NAME),
/* harmony export */   PromotionConfigSchema: () => (/* binding */ PromotionConfigSchema),
/* harmony export */   checkPromotionConfig: () => (/* binding */ checkPromotionConfig),
/* harmony export */   dict: () => (/* binding */ dict),
/* harmony export */   documentedVariables: () => (/* binding */ documentedVariables),
/* harmony export */   envStem: () => (/* binding */ envStem),
/* harmony export */   environmentConfig: () => (/* binding */ environmentConfig),
/* harmony export */   expandVars: () => (/* binding */ expandVars),
/* harmony export */   hostVar: () => (/* binding */ hostVar),
/* harmony export */   knownSecrets: () => (/* binding */ knownSecrets),
/* harmony export */   loadPromotionConfig: () => (/* binding */ loadPromotionConfig),
/* harmony export */   parsePromotionConfig: () => (/* binding */ parsePromotionConfig),
/* harmony export */   previewEnvironment: () => (/* binding */ previewEnvironment),
/* harmony export */   previousEnvironment: () => (/* binding */ previousEnvironment),
/* harmony export */   resolveEnvironment: () => (/* binding */ resolveEnvironment),
/* harmony export */   scanVars: () => (/* binding */ scanVars),
/* harmony export */   spaceKey: () => (/* binding */ spaceKey),
/* harmony export */   spaceSettings: () => (/* binding */ spaceSettings)
/* harmony export */ });
/* harmony import */ var _core_names_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2483);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_files_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9928);
/* harmony import */ var _client_space_id_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5999);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(4488);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(8439);
/* harmony import */ var _model_source_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6515);
/* harmony import */ var _model_permissions_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5917);
/* harmony import */ var _model_schema_issues_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6975);
/* harmony import */ var _model_didyoumean_js__WEBPACK_IMPORTED_MODULE_14__ = __webpack_require__(8504);
/* harmony import */ var _model_problems_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9437);
/* harmony import */ var _model_recover_js__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(6405);
/* harmony import */ var _sql_names_js__WEBPACK_IMPORTED_MODULE_15__ = __webpack_require__(792);
/* harmony import */ var _client_hosts_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(6780);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(17);















/**
 * The promotion config (`config/promotion.yaml`), compatible with the original SpaceOps
 * (`promotion_order`, `environments.<env>` with `host`, `warehouse_id`, `space_id`,
 * `table_mappings`) and extended with `${VAR}` expansion, per-environment `parent_path`, per-space
 * ids (`spaces.<folder name>`), and catalog / schema mappings.
 *
 * Trust: hosts and credentials come from the workflow, never from the repository.
 * - `host` may only NAME the environment's own workflow host: exactly `${DATABRICKS_<ENV>_HOST}`,
 *   or a literal that is checked against the host the workflow gives (a check, never a source);
 *   anything else (text around a reference, a `:-default`, another environment's variable) is an
 *   error at parse time. `host` is never expanded: `connectionFor` decides the host.
 * - `${VAR}` elsewhere expands under an `ExpansionPolicy` that each face decides (the action: an
 *   allowlist; the CLI: its environment minus credential-looking names). Values that hold a known
 *   secret, a control character or `${` are refused.
 * - Environment names are `[a-z][a-z0-9_-]*`, map to distinct variable names, and are looked up as
 *   own properties only (every record here has no prototype).
 */
const Mapping = zod__WEBPACK_IMPORTED_MODULE_11__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP());
const SpaceSettings = zod__WEBPACK_IMPORTED_MODULE_11__/* .strictObject */ .rej({
    space_id: zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP().optional(),
    title: zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP().optional(),
    warehouse_id: zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP().optional(),
    parent_path: zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP().optional()
});
const Environment = zod__WEBPACK_IMPORTED_MODULE_11__/* .strictObject */ .rej({
    host: zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP().optional().describe('Exactly ${DATABRICKS_<ENV>_HOST} (the workflow gives the host), or leave it out'),
    warehouse_id: zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP().optional(),
    parent_path: zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP().optional(),
    space_id: zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP().optional().describe('For a repository with one space (the original format)'),
    state_path: zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP().optional().describe('Workspace folder of the deploy records and the deploy lock (default: <parent_path>/.spaceops)'),
    catalog_mappings: Mapping.optional(),
    schema_mappings: Mapping.optional(),
    table_mappings: Mapping.optional(),
    spaces: zod__WEBPACK_IMPORTED_MODULE_11__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP(), SpaceSettings).optional().describe('Per space, keyed by the definition folder name'),
    preview: zod__WEBPACK_IMPORTED_MODULE_11__/* .boolean */ .zMY().optional().describe('Pull-request previews are deployed here (only the first environment of promotion_order may be)'),
    permissions: zod__WEBPACK_IMPORTED_MODULE_11__/* .array */ .YOg(_model_permissions_js__WEBPACK_IMPORTED_MODULE_6__/* .GrantEntry */ .P0).optional().describe("The spaces' direct grants in this environment (replaces the definitions' lists); names may use ${VAR}")
});
const PromotionConfigSchema = zod__WEBPACK_IMPORTED_MODULE_11__/* .strictObject */ .rej({
    promotion_order: zod__WEBPACK_IMPORTED_MODULE_11__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP()).min(1),
    environments: zod__WEBPACK_IMPORTED_MODULE_11__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_11__/* .string */ .YjP(), Environment)
});
let schemaJson;
async function loadPromotionConfig(file, cwd = process.cwd(), names = _core_names_js__WEBPACK_IMPORTED_MODULE_0__/* .NEUTRAL_NAMES */ .lJ) {
    // one reader for every input file: regular files only, size-capped, strict UTF-8
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(node_path__WEBPACK_IMPORTED_MODULE_4___default().resolve(cwd, file)))
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .SpaceOpsError */ .Dc(`no such file (the promotion config${(0,_core_names_js__WEBPACK_IMPORTED_MODULE_0__/* .viaOption */ .Cn)(names, 'config', '; name another with ')})`, { location: { file } });
    return parsePromotionConfig(file, await (0,_core_files_js__WEBPACK_IMPORTED_MODULE_2__/* .readTextFile */ .Gu)(file, { cwd }));
}
/** Environment names: lowercase, so each maps to one variable name (`stage-1` → `STAGE_1`). */
const ENV_NAME = /^[a-z][a-z0-9_-]*$/;
/** The variable-name stem of an environment: `stage-1` → `STAGE_1` (DATABRICKS_STAGE_1_HOST, STAGE_1_WAREHOUSE_ID). */
const envStem = (env) => env.toUpperCase().replace(/-/g, '_');
/** A record with no prototype: `constructor`, `toString`, … are only what the file says. */
function dict(entries) {
    const out = Object.create(null);
    for (const [k, v] of entries)
        out[k] = v;
    return out;
}
/** `__proto__` as a key is dropped or turned into a prototype by every parser downstream: refuse it. */
function protoKeys(value, at, found = []) {
    if (Array.isArray(value))
        value.forEach((v, i) => protoKeys(v, [...at, i], found));
    else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
            if (k === '__proto__')
                found.push([...at, k]);
            else
                protoKeys(v, [...at, k], found);
        }
    }
    return found;
}
/**
 * The promotion config checked offline, every problem at once (what `validate` reports): YAML,
 * schema (unknown keys with "did you mean", types), environment names, hosts, promotion_order,
 * `${VAR}` syntax (nothing is expanded, no variable need be set), literal space ids, and the shape
 * of mappings; in the order of the file. The same checks as parsePromotionConfig, which throws
 * the first error.
 */
function checkPromotionConfig(file, text) {
    let parsed;
    try {
        parsed = (0,_model_source_js__WEBPACK_IMPORTED_MODULE_5__/* .parseYaml */ .hN)(file, text);
    }
    catch (err) {
        if (!(err instanceof _util_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .SpaceOpsError */ .Dc))
            throw err;
        return { problems: [{ severity: 'error', rule: 'syntax', file, message: err.message, ...err.location }] };
    }
    const { value, map } = parsed;
    const problems = [];
    const report = (rule, p, message, prefer = 'value', severity = 'error') => problems.push({ severity, rule, message, file, ...(map.locate(p, prefer) ?? {}), path: p.join('.') });
    const protos = protoKeys(value, []);
    for (const p of protos)
        report('proto-key', p, '"__proto__" is not allowed as a key', 'key');
    if (protos.length)
        return { problems: (0,_model_problems_js__WEBPACK_IMPORTED_MODULE_8__/* .inFileOrder */ .w$)(problems) };
    if (value === undefined || value === null) {
        return {
            problems: [
                { severity: 'error', rule: 'empty', file, line: 1, col: 1, message: 'the file is empty: a promotion config needs promotion_order and environments' }
            ]
        };
    }
    let cfg;
    let repaired;
    const result = PromotionConfigSchema.safeParse(value);
    if (result.success)
        cfg = result.data;
    else {
        for (const issue of (0,_model_schema_issues_js__WEBPACK_IMPORTED_MODULE_7__/* .describeIssues */ .w)(result.error.issues, value, (schemaJson ??= zod__WEBPACK_IMPORTED_MODULE_12__/* .toJSONSchema */ .bl(PromotionConfigSchema)), 'the config')) {
            report(issue.rule, issue.path, issue.message, issue.atKey ? 'key' : 'value');
        }
        // the rest is checked on what the schema could be repaired to (model/recover.ts)
        repaired = (0,_model_recover_js__WEBPACK_IMPORTED_MODULE_13__/* .recoverParse */ .u)(PromotionConfigSchema, value, result.error.issues);
        cfg = repaired.data;
        if (!cfg)
            return { problems: (0,_model_problems_js__WEBPACK_IMPORTED_MODULE_8__/* .inFileOrder */ .w$)(problems) };
    }
    const schemaProblems = problems.length;
    const environments = dict(Object.entries(cfg.environments).map(([name, e]) => {
        const copy = { ...e };
        if (e.spaces)
            copy.spaces = dict(Object.entries(e.spaces));
        for (const m of ['catalog_mappings', 'schema_mappings', 'table_mappings'])
            if (e[m])
                copy[m] = dict(Object.entries(e[m]));
        return [name, copy];
    }));
    const stems = new Map();
    for (const name of Object.keys(environments)) {
        const key = ['environments', name];
        if (!ENV_NAME.test(name)) {
            report('environment-name', key, `environment name "${name}" must be lowercase letters, digits, "-" and "_", starting with a letter (e.g. dev, stage-1)`, 'key');
            continue;
        }
        // looked up as own keys here; refused anyway so no record keyed by environment elsewhere can confuse it
        if (name in Object.prototype) {
            report('environment-name', key, `environment name "${name}" is reserved; choose another`, 'key');
            continue;
        }
        const other = stems.get(envStem(name));
        if (other !== undefined)
            report('environment-name', key, `environments "${other}" and "${name}" would share the variables ${hostVar(name)}, ${envStem(name)}_WAREHOUSE_ID, …: rename one`, 'key');
        stems.set(envStem(name), name);
        const env = environments[name];
        const hostProblem = checkHost(name, env.host);
        if (hostProblem)
            report('host', [...key, 'host'], hostProblem);
        checkEnvironmentValues(env, key, report);
        for (const p of (0,_model_permissions_js__WEBPACK_IMPORTED_MODULE_6__/* .grantProblems */ .Wk)(env.permissions ?? [])) {
            report('permissions', [...key, 'permissions', p.index, ...(p.key ? [p.key] : [])], `environments.${name}.permissions[${p.index}]: ${p.message}`, p.key ? 'value' : 'key');
        }
    }
    const seen = new Set();
    // environments replaced as a whole by the repair: promotion_order cannot be checked against them
    const envsRepaired = !!repaired?.touched.some((t) => t.length === 1 && t[0] === 'environments');
    if (!envsRepaired)
        cfg.promotion_order.forEach((env, i) => {
            const at = ['promotion_order', i];
            if (seen.has(env))
                report('promotion-order', at, `environment "${env}" is listed twice in promotion_order`);
            else if (!Object.hasOwn(environments, env)) {
                const s = (0,_model_didyoumean_js__WEBPACK_IMPORTED_MODULE_14__/* .suggest */ .Z)(env, Object.keys(environments));
                report('promotion-order', at, `promotion_order names "${env}" but environments has no "${env}"${s ? ` (did you mean "${s}"?)` : ''}`);
            }
            seen.add(env);
        });
    for (const name of Object.keys(environments)) {
        if (!seen.has(name) && ENV_NAME.test(name))
            report('promotion-order', ['environments', name], `environment "${name}" is not in promotion_order: nothing can be promoted to it`, 'key', 'warning');
    }
    checkPreviewEnvironment(cfg.promotion_order, environments, report);
    // a problem the checks after the schema found at a place the repair changed is its artefact (a
    // dropped unknown key changes nothing these checks look at)
    if (repaired)
        problems.splice(schemaProblems, problems.length, ...problems.slice(schemaProblems).filter((0,_model_recover_js__WEBPACK_IMPORTED_MODULE_13__/* .notTouched */ .q)({ touched: repaired.touched, keysDropped: [] })));
    const config = { file, order: cfg.promotion_order, environments, source: map, text };
    return { ...(problems.some((p) => p.severity === 'error') ? {} : { config }), problems: (0,_model_problems_js__WEBPACK_IMPORTED_MODULE_8__/* .inFileOrder */ .w$)(problems) };
}
function parsePromotionConfig(file, text) {
    const { config, problems } = checkPromotionConfig(file, text);
    const errors = problems.filter((p) => p.severity === 'error');
    const first = errors[0];
    if (config && !first)
        return config;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more; run spaceops validate ${file})` : '';
    const location = { file, ...(first?.line !== undefined ? { line: first.line } : {}), ...(first?.col !== undefined ? { col: first.col } : {}) };
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .SpaceOpsError */ .Dc(`${first?.message ?? 'invalid promotion config'}${more}`, { location });
}
/** How many dotted parts a mapping's names may have, per section (see sql/remap.ts). */
const MAPPING_PARTS = { catalog_mappings: [1], schema_mappings: [1, 2], table_mappings: [2, 3] };
const MAPPING_NAMES = {
    catalog_mappings: 'a catalog (main)',
    schema_mappings: 'a schema (main.sales, or sales)',
    table_mappings: 'a table (main.sales.orders, or sales.orders)'
};
/** `${VAR}` syntax of every value (and mapping key), literal space ids, mapping shapes: all offline. */
function checkEnvironmentValues(env, base, report) {
    const text = (v, p, prefer = 'value') => {
        if (v === undefined)
            return;
        const scanned = scanVars(v);
        if ('error' in scanned)
            return report('variable', p, `${p.join('.')}: ${scanned.error}`, prefer);
        for (const part of scanned.parts) {
            if (typeof part !== 'string' && CREDENTIAL_VAR.test(part.name)) {
                report('variable', p, `\${${part.name}} looks like a credential: the CLI never expands such names, and a secret value is refused everywhere (${p.join('.')})`, prefer, 'warning');
            }
        }
    };
    const spaceId = (v, p) => {
        if (v === undefined || v === '' || v.includes('${'))
            return;
        try {
            (0,_client_space_id_js__WEBPACK_IMPORTED_MODULE_3__/* .checkSpaceId */ .Y)(v, p.join('.'));
        }
        catch (err) {
            if (err instanceof _util_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .SpaceOpsError */ .Dc)
                report('space-id', p, err.message);
            else
                throw err;
        }
    };
    for (const field of ['warehouse_id', 'parent_path', 'space_id', 'state_path'])
        text(env[field], [...base, field]);
    spaceId(env.space_id, [...base, 'space_id']);
    for (const [key, s] of Object.entries(env.spaces ?? {})) {
        for (const field of ['space_id', 'title', 'warehouse_id', 'parent_path'])
            text(s[field], [...base, 'spaces', key, field]);
        spaceId(s.space_id, [...base, 'spaces', key, 'space_id']);
    }
    for (const [i, g] of (env.permissions ?? []).entries()) {
        for (const field of ['user_name', 'group_name', 'service_principal_name'])
            text(g[field], [...base, 'permissions', i, field]);
    }
    for (const section of ['catalog_mappings', 'schema_mappings', 'table_mappings']) {
        for (const [from, to] of Object.entries(env[section] ?? {})) {
            const p = [...base, section, from];
            text(from, p, 'key');
            text(to, p);
            const parts = (name) => (name.trim() ? (0,_sql_names_js__WEBPACK_IMPORTED_MODULE_15__/* .normalizeName */ .Pc)(name).split('.') : ['']);
            const allowed = MAPPING_PARTS[section];
            const f = parts(from);
            const t = parts(to);
            // an error: sql/remap.ts never applies such a key, so the mapping would silently do nothing
            if (f.some((x) => !x) || !allowed.includes(f.length))
                report('mapping', p, `${base.join('.')}.${section}: "${from}" is not ${MAPPING_NAMES[section]}, so it never applies`, 'key');
            else if (t.some((x) => !x))
                report('mapping', p, `${p.join('.')}: "${to}" is not a name to map to`);
            // a warning: remap does replace the parts with what is given, so it may be meant
            else if (t.length !== f.length)
                report('mapping', p, `${p.join('.')}: maps the ${f.length}-part name "${from}" to the ${t.length}-part "${to}"; names rewritten by it change their number of parts (write as many parts on both sides)`, 'value', 'warning');
        }
    }
}
/**
 * Previews (pull-request versions of spaces, deployed as temporary spaces) go to the environment
 * marked `preview: true`, else to the first of promotion_order. Only the first may be marked: a
 * preview in stage or prod would put an unreviewed pull request where reviewed work lives.
 */
function checkPreviewEnvironment(order, environments, report) {
    for (const [name, e] of Object.entries(environments)) {
        if (e.preview !== true || name === order[0])
            continue;
        const where = order.includes(name) ? `comes after ${order[0]} in promotion_order` : 'is not the first environment of promotion_order';
        report('preview', ['environments', name, 'preview'], `environments.${name}.preview: ${name} ${where}; previews of pull requests may only go to the first environment (${order[0]})`, 'key');
    }
}
/** The environment previews are deployed to: the one marked `preview: true`, else the first of promotion_order. */
function previewEnvironment(config) {
    const marked = config.order.find((env) => environmentConfig(config, env).preview === true);
    return marked ?? config.order[0];
}
/** The workflow variable that holds an environment's host. */
const hostVar = (env) => `DATABRICKS_${envStem(env)}_HOST`;
/**
 * A config `host` may be exactly `${DATABRICKS_<ENV>_HOST}` (its own environment's) or a literal
 * host (checked against the workflow's when connecting). Anything else is refused here, offline.
 */
function checkHost(env, host) {
    if (host === undefined || host === `\${${hostVar(env)}}`)
        return undefined;
    const rule = `hosts come from the workflow: write host: \${${hostVar(env)}} (or leave host out) and set ${hostVar(env)} in the workflow`;
    if (host.includes('$'))
        return `environments.${env}.host must be exactly \${${hostVar(env)}}, not "${host}"; ${rule}`;
    try {
        (0,_client_hosts_js__WEBPACK_IMPORTED_MODULE_9__/* .normalizeHost */ .c)(host);
    }
    catch (err) {
        if (err instanceof _util_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .SpaceOpsError */ .Dc)
            return `environments.${env}.host: ${err.message}`;
        throw err;
    }
    return undefined;
}
/** The per-environment variables every face lets a config read: DATABRICKS_<ENV>_HOST, <ENV>_WAREHOUSE_ID, <ENV>_PARENT_PATH. */
function documentedVariables(config) {
    const out = new Set();
    for (const env of Object.keys(config.environments))
        for (const v of [hostVar(env), `${envStem(env)}_WAREHOUSE_ID`, `${envStem(env)}_PARENT_PATH`])
            out.add(v);
    return out;
}
/**
 * Variable names that look like credentials. The CLI (which otherwise expands its whole
 * environment) never expands them; a guard beside the value checks, not a replacement for them.
 */
const CREDENTIAL_VAR = /(TOKEN|SECRET|PASS|PWD|PRIVATE|CREDENTIAL|(^|_)KEY($|_)|API_?KEY|(^|_)PAT($|_)|JWT|AUTH|WEBHOOK|COOKIE|SESSION|SIGNATURE|(^|_)CERT|(^|_)DSN($|_)|CONNECTION_STRING)/i;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/**
 * The `${VAR}` syntax (one grammar for expanding and for checking offline): a default is literal
 * text, so `${A:-${B}}` is an error, as is a `${` that does not close a name.
 */
function scanVars(value) {
    const parts = [];
    let i = 0;
    for (;;) {
        const start = value.indexOf('${', i);
        if (start === -1)
            break;
        if (start > i)
            parts.push(value.slice(i, start));
        const name = NAME.exec(value.slice(start + 2))?.[0];
        let j = start + 2 + (name?.length ?? 0);
        let fallback;
        if (name && value.startsWith(':-', j)) {
            const close = value.indexOf('}', j + 2);
            fallback = close === -1 ? undefined : value.slice(j + 2, close);
            if (fallback?.includes('${') || (close === -1 && value.indexOf('${', j) !== -1))
                return { error: `a default is literal text; \${…} inside \${${name}:-…} is not expanded (nested references are not supported)` };
            j = close;
        }
        if (!name || value[j] !== '}')
            return { error: `"\${" is not a complete \${VARIABLE} reference` };
        parts.push(fallback !== undefined ? { name, fallback } : { name });
        i = j + 1;
    }
    if (i < value.length)
        parts.push(value.slice(i));
    return { parts };
}
/**
 * Expand `${VAR}` / `${VAR:-default}` in one string under a policy. A default is literal text (so
 * `${A:-${B}}` is an error); a refused name, an unset variable or a refused value is an error at
 * its place, and the message never repeats the value.
 */
function expandVars(value, policy, where) {
    const label = where.path.join('.');
    const fail = (message) => {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .SpaceOpsError */ .Dc(message, { location: { file: where.file, ...(where.source.locate(where.path) ?? {}) } });
    };
    const scanned = scanVars(value);
    if ('error' in scanned)
        return fail(`${label}: ${scanned.error}`);
    let out = '';
    for (const part of scanned.parts) {
        if (typeof part === 'string') {
            out += part;
            continue;
        }
        const ref = part.name;
        if (!policy.allow(ref))
            fail(`\${${ref}} ${policy.refusal(ref)} (${label})`);
        const v = policy.vars[ref];
        if (v !== undefined && v !== '') {
            if (CONTROL.test(v))
                fail(`the value of ${ref} contains a newline or another control character; it cannot be used in the promotion config (${label})`);
            if (v.includes('${'))
                fail(`the value of ${ref} contains "\${"; values are not expanded again (${label})`);
            if (policy.isSecret(v))
                fail(`the value of ${ref} holds a secret SpaceOps knows (a token or client secret); secrets are never expanded into the promotion config (${label})`);
            out += v;
        }
        else if (part.fallback !== undefined)
            out += part.fallback;
        else
            fail(`environment variable ${ref} is not set (needed by ${label})`);
    }
    if (CONTROL.test(out))
        fail(`${label} contains a newline or another control character`);
    return out;
}
/**
 * `isSecret` for a policy: a value holding anything the registry knows (tokens and client secrets
 * of the inputs and flags, and of every DATABRICKS_*_TOKEN / DATABRICKS_*_CLIENT_SECRET variable,
 * registered here) is refused. "Holding" (not only "equal to"): a secret with text around it leaks too.
 */
function knownSecrets(secrets, vars) {
    for (const [k, v] of Object.entries(vars))
        if (/^DATABRICKS_(?:[A-Z0-9_]+_)?(?:TOKEN|CLIENT_SECRET)$/.test(k))
            secrets.add(v);
    return (value) => secrets.redact(value) !== value;
}
/** The raw config of an environment, looked up as an own property (never `constructor` & co.). */
function environmentConfig(config, name) {
    const raw = Object.hasOwn(config.environments, name) ? config.environments[name] : undefined;
    if (!raw) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .SpaceOpsError */ .Dc(`unknown environment "${name}": the config defines ${Object.keys(config.environments).join(', ')}`, {
            location: { file: config.file }
        });
    }
    return raw;
}
/** One environment with every `${VAR}` expanded (only this environment's: others may lack theirs). `host` is not expanded: see connectionFor. */
function resolveEnvironment(config, name, policy) {
    const raw = environmentConfig(config, name);
    const base = ['environments', name];
    const x = (v, p) => v === undefined ? undefined : expandVars(v, policy, { file: config.file, source: config.source, path: [...base, ...p] });
    const mapping = (m, key) => dict(Object.entries(m ?? {}).map(([k, v]) => [x(k, [key, k]), x(v, [key, k])]));
    const spaces = dict([]);
    for (const [key, s] of Object.entries(raw.spaces ?? {})) {
        const out = {};
        for (const field of ['space_id', 'title', 'warehouse_id', 'parent_path']) {
            const v = x(s[field], ['spaces', key, field]);
            if (v !== undefined && field === 'space_id')
                checkConfigSpaceId(config, v, [...base, 'spaces', key, field]);
            if (v !== undefined)
                out[field] = v;
        }
        spaces[key] = out;
    }
    const resolved = {
        name,
        mappings: {
            catalogs: mapping(raw.catalog_mappings, 'catalog_mappings'),
            schemas: mapping(raw.schema_mappings, 'schema_mappings'),
            tables: mapping(raw.table_mappings, 'table_mappings')
        },
        spaces
    };
    for (const field of ['warehouse_id', 'parent_path', 'space_id', 'state_path']) {
        const v = x(raw[field], [field]);
        if (v !== undefined && v !== '' && field === 'space_id')
            checkConfigSpaceId(config, v, [...base, field]);
        if (v !== undefined && v !== '')
            resolved[field] = v;
    }
    if (raw.permissions) {
        // principal names through the same ${VAR} policy as every other value; checked again once expanded
        const grants = raw.permissions.map((g, i) => {
            const p = (0,_model_permissions_js__WEBPACK_IMPORTED_MODULE_6__/* .principalOf */ .i6)(g);
            return { level: g.level, [p.kind]: x(p.name, ['permissions', i, p.kind]) };
        });
        for (const p of (0,_model_permissions_js__WEBPACK_IMPORTED_MODULE_6__/* .grantProblems */ .Wk)(grants)) {
            const where = [...base, 'permissions', p.index, ...(p.key ? [p.key] : [])];
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .SpaceOpsError */ .Dc(`environments.${name}.permissions[${p.index}] (expanded): ${p.message}`, {
                location: { file: config.file, ...(config.source.locate(where) ?? {}) }
            });
        }
        resolved.permissions = (0,_model_permissions_js__WEBPACK_IMPORTED_MODULE_6__/* .canonicalGrants */ .y5)(grants);
    }
    return resolved;
}
function checkConfigSpaceId(config, id, at) {
    (0,_client_space_id_js__WEBPACK_IMPORTED_MODULE_3__/* .checkSpaceId */ .Y)(id, at.join('.'), { file: config.file, ...(config.source.locate(at) ?? {}) });
}
/** The environment before `name` in promotion_order, if any. */
function previousEnvironment(config, name) {
    const i = config.order.indexOf(name);
    if (i === -1)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .SpaceOpsError */ .Dc(`environment "${name}" is not in promotion_order (${config.order.join(' → ')})`, { location: { file: config.file } });
    return i > 0 ? config.order[i - 1] : undefined;
}
/** The key of a definition in `spaces:`: its folder name (spaces/billing/space.yaml → billing). */
function spaceKey(definitionFile) {
    const base = node_path__WEBPACK_IMPORTED_MODULE_4___default().basename(definitionFile);
    if (/^space\.ya?ml$/i.test(base))
        return node_path__WEBPACK_IMPORTED_MODULE_4___default().basename(node_path__WEBPACK_IMPORTED_MODULE_4___default().dirname(node_path__WEBPACK_IMPORTED_MODULE_4___default().resolve(definitionFile)));
    return base.replace(/\.geniespace\.json$/i, '').replace(/\.(ya?ml|json)$/i, '');
}
/** Settings of one space in one environment: per-space entries win over the environment's. */
function spaceSettings(envc, key, onlySpace) {
    const s = (Object.hasOwn(envc.spaces, key) ? envc.spaces[key] : undefined) ?? {};
    const out = {};
    const spaceId = s.space_id ?? (onlySpace ? envc.space_id : undefined);
    if (spaceId)
        out.space_id = spaceId;
    if (s.title)
        out.title = s.title;
    const wh = s.warehouse_id ?? envc.warehouse_id;
    if (wh)
        out.warehouse_id = wh;
    const pp = s.parent_path ?? envc.parent_path;
    if (pp)
        out.parent_path = pp;
    return out;
}


/***/ })

};
;