"use strict";
exports.id = 521;
exports.ids = [521,323];
exports.modules = {

/***/ 323:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PatternError: () => (/* binding */ PatternError),
/* harmony export */   compilePattern: () => (/* binding */ compilePattern)
/* harmony export */ });
/* harmony import */ var re2js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2856);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(17);
/* harmony import */ var _suite_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4101);



/** A pattern RE2 cannot compile; the message is one line and names the syntax. */
class PatternError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PatternError';
    }
}
const INLINE_FLAGS = { i: re2js__WEBPACK_IMPORTED_MODULE_2__/* .RE2JS */ .L3.CASE_INSENSITIVE, m: re2js__WEBPACK_IMPORTED_MODULE_2__/* .RE2JS */ .L3.MULTILINE, s: re2js__WEBPACK_IMPORTED_MODULE_2__/* .RE2JS */ .L3.DOTALL, x: 0 };
/**
 * expected_sql_pattern compiled by RE2 (re2js): matching takes time linear in the SQL's length
 * whatever the pattern, so a pattern from a pull request such as `(a+)+X` cannot stall a run (a
 * backtracking engine like JavaScript's RegExp would block the event loop, where no timeout can
 * fire). The syntax is RE2's (https://github.com/google/re2/wiki/Syntax): no lookahead, lookbehind or backreferences. A
 * leading inline flag group such as `(?i)` (Python's spelling, which the original SpaceOps used)
 * is honoured; `x` there is accepted and ignored, as before.
 */
function compilePattern(pattern) {
    const m = /^\(\?([imsx]+)\)/.exec(pattern);
    const body = m ? pattern.slice(m[0].length) : pattern;
    const flags = [...new Set(m?.[1] ?? '')].reduce((f, c) => f | (INLINE_FLAGS[c] ?? 0), 0);
    let re;
    try {
        re = re2js__WEBPACK_IMPORTED_MODULE_2__/* .RE2JS */ .L3.compile(body, flags);
    }
    catch (err) {
        const why = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err);
        const hint = /\(\?<?[=!]|\\[1-9]/.test(body) ? 'lookahead, lookbehind and backreferences are not RE2 syntax; ' : '';
        throw new PatternError(`${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(why)} (${hint}the syntax is RE2: ${_suite_js__WEBPACK_IMPORTED_MODULE_1__/* .RE2_SYNTAX_URL */ .oU})`);
    }
    return { source: pattern, test: (text) => re.matcher(text).find() };
}


/***/ }),

/***/ 521:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  actionClient: () => (/* reexport */ actionClient),
  benchmarkMode: () => (/* reexport */ benchmarkMode),
  diffMode: () => (/* reexport */ diffMode),
  driftMode: () => (/* reexport */ driftMode),
  getIDToken: () => (/* reexport */ lib_core/* getIDToken */.V9),
  preflightSuites: () => (/* reexport */ preflightSuites),
  previewCleanupMode: () => (/* reexport */ previewCleanupMode),
  previewMode: () => (/* reexport */ previewMode),
  promoteMode: () => (/* reexport */ promoteMode),
  pushMode: () => (/* reexport */ pushMode),
  restoreMode: () => (/* reexport */ restoreMode),
  snapshotMode: () => (/* reexport */ snapshotMode)
});

// EXTERNAL MODULE: ./src/core/names.ts
var core_names = __webpack_require__(2483);
// EXTERNAL MODULE: ./src/core/paths.ts
var paths = __webpack_require__(6107);
// EXTERNAL MODULE: ./src/core/validate.ts
var validate = __webpack_require__(993);
// EXTERNAL MODULE: ./node_modules/jsondiffpatch/lib/index.js + 15 modules
var lib = __webpack_require__(4527);
// EXTERNAL MODULE: ./src/model/text.ts
var model_text = __webpack_require__(5086);
// EXTERNAL MODULE: ./src/model/canonical.ts
var canonical = __webpack_require__(9563);
// EXTERNAL MODULE: ./src/model/permissions.ts
var permissions = __webpack_require__(5917);
;// CONCATENATED MODULE: ./src/plan/diff.ts




const str = (v) => (typeof v === 'string' ? v : '');
const firstLine = (text, max = 72) => {
    const line = text.split('\n').find((l) => l.trim()) ?? '';
    const t = line.trim().replace(/^#+\s*/, '');
    return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
const SECTIONS = [
    { key: 'tables', what: 'table', plural: 'tables', name: (t) => str(t.identifier) },
    { key: 'metric_views', what: 'metric view', plural: 'metric views', name: (t) => str(t.identifier) },
    {
        key: 'joins',
        what: 'join',
        plural: 'joins',
        name: (j) => `${str(j.left?.identifier)} ↔ ${str(j.right?.identifier)}`
    },
    { key: 'instructions', what: 'instruction', plural: 'instructions', name: (t) => firstLine(str(t.content)) },
    { key: 'example_queries', what: 'example query', plural: 'example queries', name: (e) => firstLine(str(e.question)) },
    { key: 'sql_functions', what: 'SQL function', plural: 'SQL functions', name: (f) => str(f.identifier) },
    { key: 'filters', what: 'filter', plural: 'filters', name: (s) => str(s.display_name) || str(s.alias) || firstLine(str(s.sql)) },
    { key: 'expressions', what: 'expression', plural: 'expressions', name: (s) => str(s.alias) || str(s.display_name) || firstLine(str(s.sql)) },
    { key: 'measures', what: 'measure', plural: 'measures', name: (s) => str(s.alias) || str(s.display_name) || firstLine(str(s.sql)) },
    { key: 'sample_questions', what: 'sample question', plural: 'sample questions', name: (q) => firstLine(str(q.question)) },
    { key: 'benchmarks', what: 'benchmark', plural: 'benchmarks', name: (b) => firstLine(str(b.question)) }
];
const diff_text = (lines) => (lines?.length ? (0,model_text/* fromLines */.O)(lines) : undefined);
function clean(o) {
    for (const k of Object.keys(o))
        if (o[k] === undefined)
            delete o[k];
    return o;
}
/** The space as jsondiffpatch sees it: texts as strings, arrays of keyed entries. */
function diffableView(space) {
    const d = space.document;
    const ins = d.instructions;
    const tables = (list) => (list ?? []).map((t) => clean({
        _key: t.identifier.toLowerCase(),
        identifier: t.identifier,
        description: diff_text(t.description),
        column_configs: (t.column_configs ?? []).map((c) => clean({
            _key: `column ${c.column_name}`,
            column_name: c.column_name,
            description: diff_text(c.description),
            synonyms: c.synonyms,
            exclude: c.exclude,
            enable_format_assistance: c.enable_format_assistance,
            enable_entity_matching: c.enable_entity_matching
        }))
    }));
    const snippets = (list) => (list ?? []).map((s) => clean({
        _key: s.id,
        id: s.id,
        sql: (0,model_text/* fromLines */.O)(s.sql),
        display_name: s.display_name,
        alias: s.alias,
        synonyms: s.synonyms,
        instruction: diff_text(s.instruction),
        comment: diff_text(s.comment)
    }));
    return clean({
        title: space.meta.title,
        description: space.meta.description,
        warehouse_id: space.meta.warehouse_id ?? undefined,
        parent_path: space.meta.parent_path,
        tables: tables(d.data_sources?.tables),
        metric_views: tables(d.data_sources?.metric_views),
        joins: (ins?.join_specs ?? []).map((j) => {
            const { condition, marker } = (0,canonical/* splitJoinSql */.pu)(j.sql);
            return clean({
                _key: j.id,
                id: j.id,
                left: j.left,
                right: j.right,
                condition,
                relationship_type: marker?.match(/FROM_RELATIONSHIP_TYPE_([A-Z_]+)/)?.[1]?.toLowerCase(),
                comment: diff_text(j.comment),
                instruction: diff_text(j.instruction)
            });
        }),
        instructions: (ins?.text_instructions ?? []).map((t) => ({ _key: t.id, id: t.id, content: (0,model_text/* fromLines */.O)(t.content) })),
        example_queries: (ins?.example_question_sqls ?? []).map((e) => clean({
            _key: e.id,
            id: e.id,
            question: (0,model_text/* fromLines */.O)(e.question),
            sql: (0,model_text/* fromLines */.O)(e.sql),
            usage_guidance: diff_text(e.usage_guidance),
            parameters: (e.parameters ?? []).map((p) => clean({ _key: `parameter ${p.name}`, name: p.name, type_hint: p.type_hint, description: diff_text(p.description), default_value: p.default_value?.values }))
        })),
        sql_functions: (ins?.sql_functions ?? []).map((f) => clean({ _key: `${f.id}|${f.identifier}`, id: f.id, identifier: f.identifier, description: f.description })),
        filters: snippets(ins?.sql_snippets?.filters),
        expressions: snippets(ins?.sql_snippets?.expressions),
        measures: snippets(ins?.sql_snippets?.measures),
        sample_questions: (d.config?.sample_questions ?? []).map((q) => ({ _key: q.id, id: q.id, question: (0,model_text/* fromLines */.O)(q.question) })),
        benchmarks: (d.benchmarks?.questions ?? []).map((b) => ({ _key: b.id, id: b.id, question: (0,model_text/* fromLines */.O)(b.question), sql: (0,model_text/* fromLines */.O)(b.answer[0]?.content) }))
    });
}
/**
 * Items are matched by id; where ids differ (a space created in the UI has random ids, a YAML
 * without ids derives them) an item of `after` whose id is not in `before` is matched by what a
 * person recognises it by — the question text, the identifier, the snippet's alias or name — and
 * takes the key of that `before` item, so it shows as a change of id rather than a removal and an
 * addition. A space keeps one text instruction, so two unmatched instructions are the same one.
 */
function alignByName(before, after) {
    for (const section of SECTIONS) {
        if (section.key === 'tables' || section.key === 'metric_views')
            continue;
        const b = before[section.key] ?? [];
        const a = after[section.key] ?? [];
        const aKeys = new Set(a.map((x) => x._key));
        const bKeys = new Set(b.map((x) => x._key));
        const unmatchedBefore = b.filter((x) => !aKeys.has(x._key));
        const unmatchedAfter = a.filter((x) => !bKeys.has(x._key));
        if (section.key === 'instructions' && unmatchedBefore.length === 1 && unmatchedAfter.length === 1) {
            ;
            unmatchedAfter[0]._key = unmatchedBefore[0]._key;
            continue;
        }
        const byName = new Map(unmatchedBefore.map((x) => [section.name(x).trim().toLowerCase(), x]));
        for (const item of unmatchedAfter) {
            const name = section.name(item).trim().toLowerCase();
            const match = byName.get(name);
            if (match && name) {
                item._key = match._key;
                byName.delete(name);
            }
        }
    }
}
const differ = (0,lib/* create */.vt)({
    objectHash: (o, index) => o._key ?? `#${index ?? 0}`,
    // texts are compared whole (no textDiff is configured); the renderers show line diffs
    arrays: { detectMove: false, includeValueOnMove: false }
});
const strip = (v) => {
    if (Array.isArray(v))
        return v.map(strip);
    if (v && typeof v === 'object') {
        const out = {};
        for (const [k, x] of Object.entries(v))
            if (k !== '_key')
                out[k] = strip(x);
        return out;
    }
    return v;
};
/** Field-level changes inside one item (nested keyed arrays become "column x › field"). */
function fieldChanges(delta, before, after, prefix, out) {
    for (const [key, d] of Object.entries(delta)) {
        if (key === '_key' || key === '_t')
            continue;
        const label = prefix ? `${prefix} › ${key}` : key;
        if (Array.isArray(d)) {
            if (d.length === 1)
                out.push({ kind: 'add', field: label, after: strip(d[0]) });
            else if (d.length === 2)
                out.push({ kind: 'change', field: label, before: strip(d[0]), after: strip(d[1]) });
            else if (d.length === 3 && d[2] === 0)
                out.push({ kind: 'remove', field: label, before: strip(d[0]) });
            continue;
        }
        if (!d || typeof d !== 'object')
            continue;
        const sub = d;
        const b = before[key];
        const a = after[key];
        if (sub._t === 'a' && Array.isArray(b) && Array.isArray(a)) {
            const keyed = [...b, ...a].some((x) => x && typeof x === 'object' && '_key' in x);
            if (!keyed) {
                // a plain list (synonyms, default values): report the whole list
                out.push({ kind: 'change', field: label, before: b, after: a });
                continue;
            }
            for (const [k, v] of Object.entries(sub)) {
                if (k === '_t' || (!Array.isArray(v) && (typeof v !== 'object' || v === null)))
                    continue;
                if (k.startsWith('_')) {
                    const old = v[0];
                    out.push({ kind: 'remove', field: old._key, before: strip(old) });
                }
                else if (Array.isArray(v)) {
                    const added = v[0];
                    out.push({ kind: 'add', field: added._key, after: strip(added) });
                }
                else {
                    const next = a[Number(k)];
                    const prev = b.find((x) => x._key === next._key) ?? {};
                    fieldChanges(v, prev, next, next._key, out);
                }
            }
            continue;
        }
        fieldChanges(sub, b ?? {}, a ?? {}, label, out);
    }
}
const META = ['title', 'description', 'warehouse_id', 'parent_path'];
/** parent_path may come back without the /Workspace prefix (genie-api.md). */
function normalizeParentPath(p) {
    if (p === undefined || p === null || p === '')
        return undefined;
    const trimmed = p.replace(/\/+$/, '') || '/';
    return trimmed.replace(/^\/Workspace(?=\/|$)/, '') || '/';
}
/** What changes when `before` becomes `after`. */
function diffSpaces(before, after, options = {}) {
    const onlyDesired = options.onlyDesiredMeta ?? true;
    const b = diffableView(before);
    const a = diffableView(after);
    for (const key of META) {
        const want = a[key];
        if (want === undefined && onlyDesired)
            delete b[key];
        if (key === 'parent_path' && normalizeParentPath(b[key]) === normalizeParentPath(want))
            b[key] = want;
    }
    alignByName(b, a);
    // order both sides by key, so matched items stand at matching positions (order is no change)
    for (const section of SECTIONS) {
        for (const side of [a, b]) {
            const list = side[section.key];
            if (list)
                list.sort((x, y) => (x._key < y._key ? -1 : x._key > y._key ? 1 : 0));
        }
    }
    const delta = (differ.diff(b, a) ?? {});
    const changes = [];
    for (const key of META) {
        const d = delta[key];
        if (!Array.isArray(d))
            continue;
        const kind = d.length === 1 ? 'add' : d.length === 3 ? 'remove' : 'change';
        const [before0, after0] = d.length === 1 ? [undefined, d[0]] : d.length === 3 ? [d[0], undefined] : [d[0], d[1]];
        changes.push({ kind, what: 'space', name: key.replace('_', ' '), fields: [{ kind, field: key, before: before0, after: after0 }] });
    }
    for (const section of SECTIONS) {
        const sd = delta[section.key];
        if (!sd)
            continue;
        const beforeList = b[section.key] ?? [];
        const afterList = a[section.key] ?? [];
        for (const [k, v] of Object.entries(sd)) {
            if (k === '_t')
                continue;
            if (k.startsWith('_')) {
                const old = v[0];
                changes.push({ kind: 'remove', what: section.what, name: section.name(old), fields: [], value: strip(old) });
            }
            else if (Array.isArray(v)) {
                const added = v[0];
                changes.push({ kind: 'add', what: section.what, name: section.name(added), fields: [], value: strip(added) });
            }
            else {
                const next = afterList[Number(k)];
                const prev = beforeList.find((x) => x._key === next._key) ?? {};
                const fields = [];
                fieldChanges(v, prev, next, '', fields);
                if (fields.length)
                    changes.push({ kind: 'change', what: section.what, name: section.name(next), fields });
            }
        }
    }
    const order = new Map(SECTIONS.map((s, i) => [s.what, i + 1]));
    changes.sort((x, y) => (order.get(x.what) ?? 0) - (order.get(y.what) ?? 0));
    // grants last, and only when both sides have them (the definition owns them; see model/permissions.ts)
    if (before.permissions && after.permissions)
        changes.push(...grantChanges(before.permissions, after.permissions));
    const counts = { add: 0, change: 0, remove: 0 };
    for (const c of changes)
        counts[c.kind]++;
    return { changes, counts };
}
/**
 * The grants changed when `before` becomes `after`, by principal: `+ group analysts CAN_RUN`,
 * `~ user x CAN_VIEW → CAN_EDIT`, `- user y CAN_VIEW` (what `grant`, field `level`).
 */
function grantChanges(before, after) {
    const keyed = (list) => new Map(list.map((g) => [(0,permissions/* principalKey */.qW)((0,permissions/* principalOf */.i6)(g)), g]));
    const b = keyed(before);
    const a = keyed(after);
    const out = [];
    for (const [k, g] of a) {
        const old = b.get(k);
        const name = (0,permissions/* principalLabel */.lu)((0,permissions/* principalOf */.i6)(g));
        if (!old)
            out.push({ kind: 'add', what: 'grant', name, fields: [], value: { level: g.level } });
        else if (old.level !== g.level)
            out.push({ kind: 'change', what: 'grant', name, fields: [{ kind: 'change', field: 'level', before: old.level, after: g.level }] });
    }
    for (const [k, g] of b)
        if (!a.has(k))
            out.push({ kind: 'remove', what: 'grant', name: (0,permissions/* principalLabel */.lu)((0,permissions/* principalOf */.i6)(g)), fields: [], value: { level: g.level } });
    const rank = { add: 0, change: 1, remove: 2 };
    return out.sort((x, y) => rank[x.kind] - rank[y.kind] || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

// EXTERNAL MODULE: ./src/util/errors.ts
var util_errors = __webpack_require__(17);
// EXTERNAL MODULE: ./src/model/load.ts + 2 modules
var load = __webpack_require__(7345);
// EXTERNAL MODULE: ./src/model/serialized.ts
var model_serialized = __webpack_require__(5919);
// EXTERNAL MODULE: ./src/model/source.ts + 1 modules
var source = __webpack_require__(6515);
;// CONCATENATED MODULE: ./src/deploy/live.ts





/**
 * A payload read into the model (`file` names it in problems): the document through the same
 * strict schema (`wireSpaceDocumentSchema()`) and canonical form as a definition file's, the settings as
 * `loadDefinitionText` takes them from a payload. A payload that came over the wire has no lines
 * to point at, so the file reader's source positions — rebuilding the JSON text and reading it
 * again with a position for every value, most of this per space — are made only when something
 * is wrong: a document the schema refuses, a key twice in one object, a version not supported or
 * a string that is not JSON goes through `loadDefinitionText`, whose problems say what and where.
 */
function readPayload(file, payload) {
    const document = documentOf(payload.serialized_space);
    const settings = [payload.title, payload.description, payload.warehouse_id, payload.parent_path];
    if (document && settings.every((s) => s === null || typeof s === 'string')) {
        const meta = {};
        if (payload.title != null)
            meta.title = payload.title;
        if (payload.description != null)
            meta.description = payload.description;
        if (payload.warehouse_id !== undefined)
            meta.warehouse_id = payload.warehouse_id;
        if (payload.parent_path != null)
            meta.parent_path = payload.parent_path;
        return { space: { meta, document } };
    }
    const loaded = (0,load/* loadDefinitionText */.hN)(file, JSON.stringify(payload));
    return loaded.definition ? { space: loaded.definition.space } : { problems: loaded.problems };
}
/** The canonical document, when `serialized` is one the schema takes as it is (else undefined). */
function documentOf(serialized) {
    let value = serialized;
    if (typeof serialized === 'string') {
        try {
            value = JSON.parse(serialized);
        }
        catch {
            return undefined;
        }
        if ((0,source/* findDuplicateJsonKey */.In)(serialized))
            return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return undefined;
    const version = value.version;
    if (typeof version === 'number' && !model_serialized/* SUPPORTED_VERSIONS */.P.includes(version))
        return undefined;
    const parsed = (0,model_serialized/* wireSpaceDocumentSchema */.c)().safeParse(value);
    return parsed.success ? (0,canonical/* canonicalizeDocument */._W)(parsed.data) : undefined;
}
/**
 * A space as the API returned it, read into the model: the serialized_space string parsed with the
 * same strict schema as files (a field SpaceOps does not know is an error, never silently dropped),
 * then canonicalised so it compares with a definition.
 */
function live_spaceFromApi(live) {
    if (live.serialized_space === undefined) {
        throw new util_errors/* SpaceOpsError */.Dc(`space ${live.space_id}: the API returned no serialized_space (CAN EDIT permission is needed to read it)`);
    }
    const payload = {
        title: live.title ?? null,
        description: live.description ?? null,
        warehouse_id: live.warehouse_id ?? null,
        parent_path: live.parent_path ?? null,
        serialized_space: live.serialized_space
    };
    const loaded = readPayload(`space-${live.space_id}.json`, payload);
    if (!('space' in loaded)) {
        const first = loaded.problems[0];
        throw new util_errors/* SpaceOpsError */.Dc(`space ${live.space_id}: SpaceOps cannot read its document: ${first?.message ?? 'unknown problem'}` +
            ' (a newer Genie feature? snapshot it with --format json to keep it as is)');
    }
    const space = loaded.space;
    // The API returns empty strings for unset fields in places; the model leaves them out.
    for (const key of ['title', 'description', 'parent_path'])
        if (space.meta[key] === '')
            delete space.meta[key];
    if (space.meta.warehouse_id === '' || space.meta.warehouse_id === null)
        delete space.meta.warehouse_id;
    return space;
}

// EXTERNAL MODULE: ./src/util/printable.ts
var printable = __webpack_require__(1095);
;// CONCATENATED MODULE: ./src/deploy/permissions.ts



/**
 * Permissions as code against a live space (`/api/2.0/permissions/genie/{id}`, shaped like the
 * generic Permissions API: `access_control_list[{user_name|group_name|service_principal_name,
 * display_name?, all_permissions[{permission_level, inherited, inherited_from_object?}]}]`).
 *
 * - Only DIRECT grants are SpaceOps': an entry's permissions with `inherited: true` (from the
 *   folder, the workspace) are never compared or written, and the `admins` group is left out
 *   altogether (it always holds CAN_MANAGE; the Terraform provider likewise drops it, as its level
 *   cannot be lowered).
 * - The deploying principal (`currentUser()`) keeps CAN_MANAGE: when the grants do not name it, it
 *   is added with CAN_MANAGE (as bundles add the deployer and Terraform keeps "your own user");
 *   grants that give it less are refused before any write — SpaceOps would lock itself out.
 * - Writing is one PUT of the whole list (PUT replaces the direct grants), and only when the live
 *   direct grants differ.
 * Docs are silent on: whether an entry can carry two direct levels (the highest is taken, as the
 * Terraform provider notes), and how PUT treats an inherited grant named again (never sent here).
 */
/** The Databricks CLI tells a service principal by its userName being a UUID (its application id). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The live direct grants, canonical; inherited grants and the admins group left out. */
function directGrants(acl, spaceId) {
    const out = [];
    for (const entry of acl.access_control_list) {
        const kind = entry.user_name !== undefined
            ? 'user_name'
            : entry.group_name !== undefined
                ? 'group_name'
                : entry.service_principal_name !== undefined
                    ? 'service_principal_name'
                    : undefined;
        if (!kind)
            continue;
        const name = entry[kind];
        if (kind === 'group_name' && name === permissions/* ADMINS_GROUP */.dG)
            continue;
        let best;
        for (const p of entry.all_permissions) {
            if (p.inherited)
                continue;
            if (!(0,permissions/* isGrantLevel */.H1)(p.permission_level)) {
                throw new util_errors/* SpaceOpsError */.Dc(`space ${spaceId}: ${(0,printable/* printable */.g$)((0,permissions/* principalLabel */.lu)({ kind, name }))} has the permission level "${(0,printable/* printable */.g$)(p.permission_level)}", which SpaceOps does not know; it will not rewrite these grants`);
            }
            if (!best || (0,permissions/* levelRank */.Le)(p.permission_level) > (0,permissions/* levelRank */.Le)(best))
                best = p.permission_level;
        }
        if (best)
            out.push((0,permissions/* grantOf */.od)({ kind, name }, best));
    }
    return (0,permissions/* canonicalGrants */.y5)(out);
}
/** The deploying principal as grants name it: by the kind the live grants already use for it, else user or service principal by the form of its name. */
function deployerPrincipal(me, live = []) {
    const name = me.userName;
    const existing = live
        .map(permissions/* principalOf */.i6)
        .find((p) => p.kind !== 'group_name' && (0,permissions/* principalKey */.qW)({ ...p, kind: 'user_name' }) === (0,permissions/* principalKey */.qW)({ kind: 'user_name', name }));
    return existing ?? { kind: UUID.test(name) ? 'service_principal_name' : 'user_name', name };
}
const sameName = (p, deployer) => p.kind !== 'group_name' && p.name.toLowerCase() === deployer.name.toLowerCase();
/**
 * The grants SpaceOps writes: the definition's, with the deploying principal's CAN_MANAGE added
 * when they do not name it. Grants that give it less are refused (before any write).
 */
function grantsToWrite(grants, deployer, where) {
    const own = grants.find((g) => sameName((0,permissions/* principalOf */.i6)(g), deployer));
    if (own && own.level !== 'CAN_MANAGE') {
        throw new util_errors/* SpaceOpsError */.Dc(`${where}: permissions give ${(0,printable/* printable */.g$)((0,permissions/* principalLabel */.lu)((0,permissions/* principalOf */.i6)(own)))} ${own.level}, but that is the principal SpaceOps deploys as: it must keep CAN_MANAGE ` +
            `or it could not update the space or its grants again. Grant it CAN_MANAGE or leave it out (SpaceOps keeps its CAN_MANAGE)`);
    }
    return (0,permissions/* canonicalGrants */.y5)(own ? grants : [...grants, (0,permissions/* grantOf */.od)(deployer, 'CAN_MANAGE')]);
}
/** Reads what permissions as code needs for one space: who deploys, its live direct grants, and the grants to write. */
async function planGrants(client, spaceId, grants, where) {
    const me = await client.currentUser();
    const live = spaceId ? directGrants(await client.getPermissions(spaceId), spaceId) : [];
    return { live, desired: grantsToWrite(grants, deployerPrincipal(me, live), where) };
}
/**
 * `live` and `desired` with their grants for a diff: when the desired space has permissions, the
 * live space gets its direct grants and the desired space the grants SpaceOps would write; without,
 * both are returned as they are (grants are left alone).
 */
async function withGrants(client, spaceId, live, desired, where) {
    if (!desired.permissions)
        return { ...(live ? { live } : {}), desired };
    const grants = await planGrants(client, spaceId, desired.permissions, where);
    return { ...(live ? { live: { ...live, permissions: grants.live } } : {}), desired: { ...desired, permissions: grants.desired }, grants };
}
const request = (g) => {
    const p = (0,permissions/* principalOf */.i6)(g);
    if (p.kind === 'user_name')
        return { user_name: p.name, permission_level: g.level };
    if (p.kind === 'group_name')
        return { group_name: p.name, permission_level: g.level };
    return { service_principal_name: p.name, permission_level: g.level };
};
/** One PUT: `grants` become the space's direct grants. */
async function putGrants(client, spaceId, grants) {
    await client.setPermissions(spaceId, grants.map(request), { replace: true });
}
/** One PUT of the whole list when the live direct grants differ; true when it wrote. */
async function applyGrants(client, spaceId, plan, logger) {
    if ((0,permissions/* sameGrants */.e6)(plan.live, plan.desired))
        return false;
    await putGrants(client, spaceId, plan.desired);
    logger.info(`set the permissions of space ${spaceId}: ${plan.desired.length} direct grant(s)`);
    return true;
}
/**
 * The live direct grants as a definition writes them (snapshot): the deploying principal's
 * CAN_MANAGE is left out when the definition does not name it, since SpaceOps adds it itself.
 */
async function liveGrantsFor(client, spaceId, definition) {
    const live = directGrants(await client.getPermissions(spaceId), spaceId);
    const deployer = deployerPrincipal(await client.currentUser(), live);
    if (definition.some((g) => sameName((0,permissions/* principalOf */.i6)(g), deployer)))
        return live;
    return live.filter((g) => !(sameName((0,permissions/* principalOf */.i6)(g), deployer) && g.level === 'CAN_MANAGE'));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 3 modules
var schemas = __webpack_require__(4488);
;// CONCATENATED MODULE: ./src/client/errors.ts
/**
 * GenieApiError: the one error the client layer throws for a failed API call (including OAuth token
 * requests). Its message is ONE line:
 *
 *   `<operation> [<space id>] failed: HTTP <status> <error_code>: <message>`
 *
 * built from the Databricks `{error_code, message}` envelope, or the OAuth `{error, error_description}`
 * envelope (RFC 6749 §5.2, what `/oidc/v1/token` answers), or — when the body is not JSON — a short
 * single-line excerpt (HTML tags stripped). Every secret registered in the SecretRegistry is redacted
 * from the message, and so is anything shaped like a bearer/basic credential, a Databricks PAT
 * (`dapi…`) or a JWT, in case the server echoes back something that was never registered.
 *
 * `ambiguous: true` means the request may have been applied (a non-idempotent call such as
 * "create space" failed with 5xx, a dropped connection or a timeout): the caller should look for what
 * it may have created before trying again. A definite refusal (4xx) is never ambiguous.
 */

class GenieApiError extends util_errors/* SpaceOpsError */.Dc {
    operation;
    spaceId;
    status;
    errorCode;
    /** The API's own message, redacted (without operation/status prefix). */
    apiMessage;
    ambiguous;
    constructor(init) {
        // Redacted whole, then cut: a cut first could leave part of a secret that no longer matches.
        const apiMessage = excerpt(init.detail, MAX_DETAIL, init.secrets);
        super(redactText(formatApiErrorMessage({ ...init, detail: apiMessage }), init.secrets), { cause: init.cause });
        this.name = 'GenieApiError';
        this.operation = init.operation;
        if (init.spaceId !== undefined)
            this.spaceId = init.spaceId;
        if (init.status !== undefined)
            this.status = init.status;
        if (init.errorCode !== undefined)
            this.errorCode = init.errorCode;
        this.apiMessage = apiMessage;
        this.ambiguous = init.ambiguous ?? false;
    }
}
function formatApiErrorMessage(p) {
    let head = p.operation;
    if (p.spaceId)
        head += ` ${p.spaceId}`;
    let why = '';
    if (p.status !== undefined) {
        why = `HTTP ${p.status}`;
        if (p.errorCode)
            why += ` ${p.errorCode}`;
        why += p.detail ? `: ${p.detail}` : '';
    }
    else {
        why = p.detail;
    }
    const note = p.note ? ` (${p.note})` : '';
    return (0,util_errors/* oneLine */.TN)(`${head} failed: ${why}${note}`);
}
const MAX_EXCERPT = 200;
/** The longest API message kept in an error. */
const MAX_DETAIL = 1000;
/** What an error body says; every excerpt of it is redacted with `secrets` before it is cut. */
function parseErrorBody(text, secrets) {
    const trimmed = text.trim();
    if (trimmed === '')
        return { message: '(empty response body)' };
    try {
        const parsed = JSON.parse(trimmed);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
            const o = parsed;
            const str = (k) => {
                const v = o[k];
                return typeof v === 'string' && v.trim() !== '' ? v : undefined;
            };
            // Databricks envelope
            const code = str('error_code');
            const message = str('message');
            if (code !== undefined || message !== undefined) {
                return withCode(code, excerpt(message ?? '(no message)', MAX_DETAIL, secrets), secrets);
            }
            // OAuth envelope (RFC 6749 §5.2)
            const oauthCode = str('error');
            const oauthDesc = str('error_description');
            if (oauthCode !== undefined || oauthDesc !== undefined) {
                return withCode(oauthCode, excerpt(oauthDesc ?? '(no description)', MAX_DETAIL, secrets), secrets);
            }
        }
    }
    catch {
        // not JSON: fall through to an excerpt
    }
    return { message: excerpt(stripHtml(trimmed), MAX_EXCERPT, secrets) };
}
function withCode(code, message, secrets) {
    return code === undefined ? { message } : { errorCode: excerpt(code, MAX_EXCERPT, secrets), message };
}
function stripHtml(text) {
    if (!/<[a-z!/][^>]*>/i.test(text))
        return text;
    return text
        .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]+>/g, ' ')
        .replace(/&nbsp;/g, ' ');
}
/**
 * One line of at most `max` characters, redacted IN FULL before it is cut (`secrets` and the
 * credential shapes of `redactCredentials`): cutting first could keep 29 of a token's 32 characters,
 * which then match nothing. Every length cap on text that came from a server goes through here.
 */
function excerpt(text, max, secrets) {
    const line = redactText((0,util_errors/* oneLine */.TN)(text).replace(/\s+/g, ' '), secrets);
    if (line.length <= max)
        return line;
    // Never cut a surrogate pair in two.
    const end = /[\ud800-\udbff]/.test(line.charAt(max - 2)) ? max - 2 : max - 1;
    return `${line.slice(0, end)}…`;
}
/** The registry's secrets, then anything shaped like a credential. */
function redactText(text, secrets) {
    return redactCredentials(secrets ? secrets.redact(text) : text);
}
/**
 * Defence in depth on top of the SecretRegistry: mask anything that looks like a credential even if it
 * was never registered (e.g. a server echoing an Authorization header).
 */
function redactCredentials(text) {
    return text
        .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi, '$1 ***')
        .replace(/\bdapi[0-9A-Za-z-]{8,}/g, '***')
        .replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '***');
}

// EXTERNAL MODULE: ./src/client/hosts.ts
var hosts = __webpack_require__(6780);
;// CONCATENATED MODULE: ./src/client/auth.ts
/**
 * Auth providers, in Databricks' own terms and environment variable names:
 *
 * - `pat`         DATABRICKS_TOKEN / input `token` → `Authorization: Bearer <token>`.
 * - `oauth-m2m`   DATABRICKS_CLIENT_ID + DATABRICKS_CLIENT_SECRET (inputs `client-id`/`client-secret`):
 *                 `POST {host}/oidc/v1/token`, HTTP basic auth, `grant_type=client_credentials&scope=all-apis`.
 * - `github-oidc` DATABRICKS_AUTH_TYPE=github-oidc + DATABRICKS_CLIENT_ID: the runner's ID token (from an
 *                 injected `getIdToken(audience)`, i.e. `core.getIDToken`) exchanged at the same endpoint
 *                 with RFC 8693 token exchange.
 *
 * Choices where the docs are silent:
 * - Audience for the GitHub ID token: `DATABRICKS_TOKEN_AUDIENCE` / input `token-audience` if set; else the
 *   Databricks account id (DATABRICKS_ACCOUNT_ID / input `account-id`), because genie-api.md says a
 *   federation policy's audience defaults to the account id; else the workspace host (origin), since the
 *   account id cannot be discovered without an extra authenticated call and a policy can list the host.
 * - Refresh: a cached OAuth token is refreshed once less than min(60 s, 10 % of its lifetime) remains
 *   (so a 1-hour token is renewed in its last minute and a short-lived token is still reused). Concurrent
 *   callers share one in-flight token request. A token response without `expires_in` is treated as
 *   living one hour (genie-api.md: "tokens live one hour"); a 401 drops the cached token once anyway.
 * - The token request is retried like an idempotent call (asking for a new token twice is harmless).
 * - When a token AND client credentials are both configured without DATABRICKS_AUTH_TYPE, the token wins
 *   (as the brief orders) and a warning says so.
 *
 * Every token, client secret, basic-auth value, ID token and exchanged access token is added to the
 * SecretRegistry the moment it is known.
 */





const AUTH_METHODS = ['pat', 'oauth-m2m', 'github-oidc'];
class PatAuth {
    method = 'pat';
    token;
    constructor(token, secrets) {
        secrets.add(token);
        this.token = token;
    }
    headers() {
        return Promise.resolve({ Authorization: `Bearer ${this.token}` });
    }
    invalidate() {
        return false;
    }
    describe() {
        return 'personal access token';
    }
}
const TokenResponseSchema = schemas/* object */.Ikc({
    access_token: schemas/* string */.YjP().min(1),
    token_type: schemas/* string */.YjP().optional(),
    expires_in: schemas/* union */.KCZ([
        schemas/* number */.aig(),
        schemas/* string */.YjP()
            .regex(/^\d+(\.\d+)?$/)
            .transform(Number)
    ])
        .optional()
});
const DEFAULT_LIFETIME_S = 3600;
const MAX_REFRESH_MARGIN_MS = 60_000;
/** Shared token cache for the OAuth flows. */
class OAuthTokenAuth {
    tokenUrl;
    transport;
    now;
    secrets;
    cached;
    inFlight;
    constructor(options) {
        this.tokenUrl = `${(0,hosts/* normalizeHost */.c)(options.host)}/oidc/v1/token`;
        this.transport = options.transport;
        this.now = options.now ?? options.transport.now;
        this.secrets = options.secrets ?? options.transport.secrets;
    }
    async headers() {
        const token = await this.token();
        return { Authorization: `Bearer ${token}` };
    }
    /** The current access token, fetching or refreshing it when needed. */
    async token() {
        const now = this.now();
        if (this.cached && now < this.cached.refreshAt)
            return this.cached.accessToken;
        if (!this.inFlight) {
            this.inFlight = this.fetchToken().finally(() => {
                this.inFlight = undefined;
            });
        }
        const fresh = await this.inFlight;
        return fresh.accessToken;
    }
    invalidate() {
        const had = this.cached !== undefined;
        this.cached = undefined;
        return had;
    }
    async fetchToken() {
        const issuedAt = this.now();
        const raw = await this.requestToken();
        // Register the token before anything else can look at (or echo) it.
        if (raw && typeof raw === 'object' && typeof raw.access_token === 'string') {
            this.secrets.add(raw.access_token);
        }
        const parsed = TokenResponseSchema.safeParse(raw);
        if (!parsed.success) {
            throw new GenieApiError({
                operation: `OAuth token request to ${this.tokenUrl}`,
                status: 200,
                detail: 'the response has no access_token',
                secrets: this.secrets
            });
        }
        const lifetimeMs = Math.max(0, (parsed.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000);
        const margin = Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * 0.1);
        const token = {
            accessToken: parsed.data.access_token,
            expiresAt: issuedAt + lifetimeMs,
            refreshAt: issuedAt + lifetimeMs - margin
        };
        this.cached = token;
        return token;
    }
    postForm(form, headers = {}) {
        return this.transport.request({
            operation: `OAuth token request to ${this.tokenUrl}`,
            method: 'POST',
            url: this.tokenUrl,
            form,
            headers,
            idempotent: true
        });
    }
}
/** OAuth machine-to-machine (client credentials) for a service principal. */
class OAuthM2MAuth extends OAuthTokenAuth {
    method = 'oauth-m2m';
    clientId;
    basic;
    scope;
    constructor(options) {
        super(options);
        this.secrets.add(options.clientSecret);
        this.clientId = options.clientId;
        const credential = `${options.clientId}:${options.clientSecret}`;
        // The registry adds its base64 (the Basic header value) and URL-encoded forms.
        this.secrets.add(credential);
        this.basic = Buffer.from(credential, 'utf8').toString('base64');
        this.secrets.add(this.basic);
        this.scope = options.scope ?? 'all-apis';
    }
    describe() {
        return `OAuth M2M (client id ${this.clientId})`;
    }
    requestToken() {
        return this.postForm({ grant_type: 'client_credentials', scope: this.scope }, { Authorization: `Basic ${this.basic}` });
    }
}
/** GitHub Actions OIDC workload identity federation (RFC 8693 token exchange). */
class GitHubOidcAuth extends OAuthTokenAuth {
    method = 'github-oidc';
    audience;
    clientId;
    getIdToken;
    scope;
    constructor(options) {
        super(options);
        this.clientId = options.clientId;
        this.audience = options.audience;
        this.getIdToken = options.getIdToken;
        this.scope = options.scope ?? 'all-apis';
    }
    describe() {
        return `GitHub OIDC federation (client id ${this.clientId}, audience ${this.audience})`;
    }
    async requestToken() {
        let idToken;
        try {
            idToken = await this.getIdToken(this.audience);
        }
        catch (err) {
            throw noIdTokenError(this.secrets.redact((0,util_errors/* describeError */.Uc)(err)));
        }
        if (typeof idToken !== 'string' || idToken.trim() === '')
            throw noIdTokenError('the runner returned an empty token');
        this.secrets.add(idToken);
        return this.postForm({
            grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
            subject_token: idToken,
            subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
            client_id: this.clientId,
            scope: this.scope
        });
    }
}
function noIdTokenError(why) {
    return new util_errors/* SpaceOpsError */.Dc(`GitHub OIDC: no ID token could be had from the runner (${why}). The job needs "permissions: id-token: write", and workflows triggered from forked pull requests get no ID token; use a token or client secret there instead`);
}
function given(v) {
    if (v === undefined)
        return undefined;
    const t = v.trim();
    return t === '' ? undefined : t;
}
function readAuthSettings(env, inputs = {}) {
    const pick = (input, name) => given(input) ?? given(env[name]);
    const s = {};
    const set = (k, v) => {
        if (v !== undefined)
            s[k] = v;
    };
    set('host', pick(inputs.host, 'DATABRICKS_HOST'));
    set('token', pick(inputs.token, 'DATABRICKS_TOKEN'));
    set('clientId', pick(inputs.clientId, 'DATABRICKS_CLIENT_ID'));
    set('clientSecret', pick(inputs.clientSecret, 'DATABRICKS_CLIENT_SECRET'));
    set('authType', pick(inputs.authType, 'DATABRICKS_AUTH_TYPE')?.toLowerCase());
    set('accountId', pick(inputs.accountId, 'DATABRICKS_ACCOUNT_ID'));
    set('tokenAudience', pick(inputs.tokenAudience, 'DATABRICKS_TOKEN_AUDIENCE'));
    return s;
}
/** The workspace host from the `host` input or DATABRICKS_HOST, normalised. */
function resolveHost(env, inputs = {}, names = core_names/* NEUTRAL_NAMES */.lJ) {
    const host = readAuthSettings(env, inputs).host;
    if (host === undefined)
        throw new util_errors/* SpaceOpsError */.Dc(`no Databricks host: set DATABRICKS_HOST${(0,core_names/* viaOption */.Cn)(names, 'host', ' (or ', ')')}, e.g. https://adb-123.4.azuredatabricks.net`);
    return (0,hosts/* normalizeHost */.c)(host, names);
}
/** Picks the auth method and builds its provider. Registers every secret it sees. */
function resolveAuth(options) {
    const secrets = options.transport.secrets;
    const s = readAuthSettings(options.env, options.inputs);
    // Register first: whatever happens next, these are masked.
    secrets.add(s.token);
    secrets.add(s.clientSecret);
    const names = options.names ?? core_names/* NEUTRAL_NAMES */.lJ;
    const hostRaw = options.host ?? s.host;
    const host = () => {
        if (hostRaw === undefined)
            throw new util_errors/* SpaceOpsError */.Dc(`no Databricks host: set DATABRICKS_HOST${(0,core_names/* viaOption */.Cn)(names, 'host', ' (or ', ')')}`);
        return (0,hosts/* normalizeHost */.c)(hostRaw, names);
    };
    const clientIdOption = (0,core_names/* viaOption */.Cn)(names, 'client-id', ' (or ', ')');
    let method;
    if (s.authType !== undefined) {
        if (!AUTH_METHODS.includes(s.authType)) {
            throw new util_errors/* SpaceOpsError */.Dc(`DATABRICKS_AUTH_TYPE "${s.authType}" is not supported; use one of: ${AUTH_METHODS.join(', ')}`);
        }
        method = s.authType;
    }
    else if (s.token !== undefined) {
        method = 'pat';
        if (s.clientId !== undefined && s.clientSecret !== undefined) {
            options.logger?.warn('both a Databricks token and OAuth client credentials are set; using the token (set DATABRICKS_AUTH_TYPE=oauth-m2m to use the service principal)');
        }
    }
    else if (s.clientId !== undefined && s.clientSecret !== undefined) {
        method = 'oauth-m2m';
    }
    else {
        let hint = '';
        if (s.clientId !== undefined)
            hint = ' (DATABRICKS_CLIENT_ID is set but DATABRICKS_CLIENT_SECRET is not)';
        else if (s.clientSecret !== undefined)
            hint = ' (DATABRICKS_CLIENT_SECRET is set but DATABRICKS_CLIENT_ID is not)';
        throw new util_errors/* SpaceOpsError */.Dc(`no Databricks credentials${hint}: set DATABRICKS_TOKEN (personal access token), or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (OAuth M2M service principal), or DATABRICKS_AUTH_TYPE=github-oidc with DATABRICKS_CLIENT_ID (GitHub OIDC federation)${alternatives(names)}`);
    }
    switch (method) {
        case 'pat':
            if (s.token === undefined)
                throw new util_errors/* SpaceOpsError */.Dc(`DATABRICKS_AUTH_TYPE=pat needs DATABRICKS_TOKEN${(0,core_names/* viaOption */.Cn)(names, 'token', ' (or ', ')')}`);
            return new PatAuth(s.token, secrets);
        case 'oauth-m2m':
            if (s.clientId === undefined || s.clientSecret === undefined) {
                throw new util_errors/* SpaceOpsError */.Dc(`DATABRICKS_AUTH_TYPE=oauth-m2m needs DATABRICKS_CLIENT_ID${clientIdOption} and DATABRICKS_CLIENT_SECRET${(0,core_names/* viaOption */.Cn)(names, 'client-secret', ' (or ', ')')}`);
            }
            return new OAuthM2MAuth({ host: host(), transport: options.transport, clientId: s.clientId, clientSecret: s.clientSecret });
        case 'github-oidc': {
            if (s.clientId === undefined) {
                throw new util_errors/* SpaceOpsError */.Dc(`DATABRICKS_AUTH_TYPE=github-oidc needs DATABRICKS_CLIENT_ID${clientIdOption}: the service principal's application id named in its federation policy`);
            }
            if (!options.getIdToken) {
                throw new util_errors/* SpaceOpsError */.Dc('DATABRICKS_AUTH_TYPE=github-oidc works only inside a GitHub Actions job (no ID token source is available here)');
            }
            const h = host();
            return new GitHubOidcAuth({
                host: h,
                transport: options.transport,
                clientId: s.clientId,
                audience: s.tokenAudience ?? s.accountId ?? h,
                getIdToken: options.getIdToken
            });
        }
    }
}
/** "; --token does the same" / "; the token, client-id and client-secret inputs do the same": what this face offers beside the variables. */
function alternatives(names) {
    const offered = ['token', 'client-id', 'client-secret'].map((n) => names.option(n)).filter((w) => w !== undefined);
    if (!offered.length)
        return '';
    return `; ${offered.join(', ').replace(/, ([^,]*)$/, ' and $1')} ${offered.length === 1 ? 'does' : 'do'} the same`;
}

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"0.1.0"};
;// CONCATENATED MODULE: ./src/version.ts

/**
 * SpaceOps' version: package.json's, the one place it is written (the release workflow tags
 * v<version> from it). The bundles inline it when they are built.
 */
const VERSION = package_namespaceObject.rE;

;// CONCATENATED MODULE: ./src/util/logger.ts

const silentLogger = {
    debug: () => { },
    info: () => { },
    warn: () => { },
    error: () => { }
};
/**
 * The logger both faces hand to the core: each message is redacted in full, then made one printable
 * line (`printable`: a line break or control character in an untrusted value shows as `\n`, `\u001b`)
 * before it reaches `sink`.
 */
function safeLogger(sink, secrets) {
    const safe = (m) => (0,printable/* printable */.g$)(secrets.redact(m));
    return {
        debug: (m) => sink.debug(safe(m)),
        info: (m) => sink.info(safe(m)),
        warn: (m) => sink.warn(safe(m)),
        error: (m) => sink.error(safe(m))
    };
}
/** A logger that keeps every line, for tests and for building reports. */
class MemoryLogger {
    lines = [];
    debug(message) {
        this.lines.push({ level: 'debug', message });
    }
    info(message) {
        this.lines.push({ level: 'info', message });
    }
    warn(message) {
        this.lines.push({ level: 'warn', message });
    }
    error(message) {
        this.lines.push({ level: 'error', message });
    }
    text() {
        return this.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
    }
}

// EXTERNAL MODULE: ./src/util/secrets.ts
var secrets = __webpack_require__(4537);
// EXTERNAL MODULE: ./src/util/duration.ts
var duration = __webpack_require__(6518);
;// CONCATENATED MODULE: ./src/client/http.ts
/**
 * The transport: ONE `request()` used by every API call (Genie, permissions, workspace, OAuth token).
 *
 * - HTTP goes through an injected `fetch`-compatible function (msw and fakes can stand in). The
 *   default is undici's `fetch` with an `EnvHttpProxyAgent` built from the given env, so
 *   HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case) are honoured as curl does.
 * - JSON in/out (or a form body, for the OAuth token endpoint); `User-Agent: spaceops/<version>`;
 *   a per-attempt timeout through AbortSignal (default 60 s); redirects are NOT followed (a 3xx is
 *   reported with its Location — it almost always means a wrong host / login page).
 * - Retries (all waiting goes through the injected `sleep`; elapsed time comes from injected `now`):
 *     429 ................................... every call (the request was explicitly not processed)
 *     503, other 5xx, connection error, timeout ... only calls declared `idempotent`
 *   `Retry-After` (seconds or HTTP date) is honoured whenever present, capped at `maxRetryAfterMs`;
 *   otherwise exponential backoff with full jitter (`random() * min(maxDelay, base * 2^(n-1))`;
 *   a 429 waits at least `baseDelayMs`). Bounded by `maxAttempts` (5) and `maxTotalMs` (5 min).
 * - Timeouts, three of them, every one a hard wall (the socket is aborted when it is reached):
 *     per attempt  `timeoutMs` (60 s): one HTTP exchange, body included; a timed-out attempt is
 *                  retried like a lost connection (idempotent calls only);
 *     per call     `callTimeoutMs` (5 min; the user's `--timeout` / input `timeout`): one API call,
 *                  all its attempts and the waits between them; no attempt runs past it, no retry
 *                  starts that could not finish before it;
 *     per run      `deadline` (an instant on the `now` clock; the user's `--run-timeout` / input
 *                  `run-timeout`): shared by every call of a run; once passed, calls fail at once.
 *   Reaching the per-call or per-run wall ends the call with a one-line error naming the limit and
 *   how to raise it (in the face's words: `names`).
 *   Docs are silent on 503 for POST: the SDKs retry it, but the brief for SpaceOps is stricter —
 *   a non-idempotent call that gets 503/5xx/connection error/timeout throws `ambiguous: true`.
 *   A 4xx (other than 429) is definite: never retried, never ambiguous.
 * - Shared by every request of the transport (one per client, so one per workspace of a run, whose
 *   workers run side by side): a 429 pauses every request of the transport until its wait is over,
 *   not only the one that got it (the server said the client as a whole is too fast), and the run
 *   has one retry budget, a token bucket as in the AWS SDKs' standard retry mode: `maxRunRetries`
 *   (50) tokens, a retry takes one, a request answered at its first attempt gives a tenth back (up
 *   to the 50) — so occasional failures in a long run are always retried, while a server failing
 *   most requests drains it and the run reports failures at once instead of every worker retrying
 *   five times.
 * - A 401 on a call whose auth provider holds a cached OAuth token drops that token and retries once
 *   (a token revoked or expired early); a PAT cannot be refreshed, so its 401 is reported at once.
 * - Logs (through the Logger, every line redacted): one debug line per attempt (method, path, status,
 *   duration) and one info line per retry (operation, status, wait, attempt). Never a header, never a
 *   body, never a token.
 */







/** The version sent in User-Agent unless the caller passes its own. */
const CLIENT_VERSION = VERSION;
const DEFAULT_USER_AGENT = `spaceops/${CLIENT_VERSION}`;
const DEFAULT_RETRY_POLICY = {
    maxAttempts: 5,
    maxTotalMs: 5 * 60_000,
    baseDelayMs: 1_000,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 60_000,
    maxRunRetries: 50
};
const DEFAULT_TIMEOUT_MS = 60_000;
/** One API call, retries included (the retry budget's default, now enforced as a wall). */
const DEFAULT_CALL_TIMEOUT_MS = DEFAULT_RETRY_POLICY.maxTotalMs;
/** A whole run (every call of one command or action step). */
const DEFAULT_RUN_TIMEOUT_MS = 2 * 60 * 60_000;
/**
 * Transport options for a run that starts now: the per-call limit, and the run's deadline computed
 * once (pass the result to every client of the run so they share it).
 */
function runTimeoutOptions(t, names, now = Date.now) {
    return {
        ...(t.callTimeoutMs !== undefined ? { callTimeoutMs: t.callTimeoutMs } : {}),
        deadline: now() + (t.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS),
        names
    };
}
/** Bounds on what a user may set: a second to a day. */
const MIN_TIMEOUT_MS = 1_000;
const MAX_TIMEOUT_MS = (/* unused pure expression or super */ null && (24 * 60 * 60_000));
/**
 * `90s`, `5m`, `1h`, `1h30m`, `500ms`, or a bare number of seconds. One-line error naming `what`
 * (e.g. `--timeout`, `input timeout`) when it is not a duration between 1 s and 24 h.
 */

function createProxyDispatcher(env = process.env, secrets) {
    const pick = (...names) => {
        for (const n of names) {
            const v = env[n];
            if (v !== undefined && v.trim() !== '')
                return v.trim();
        }
        return '';
    };
    const httpProxy = pick('http_proxy', 'HTTP_PROXY');
    const httpsProxy = pick('https_proxy', 'HTTPS_PROXY');
    for (const p of [httpProxy, httpsProxy])
        registerProxyPassword(p, secrets);
    // Empty strings (not undefined) so undici does not fall back to reading process.env itself.
    return withoutExperimentalWarning(() => new undici/* EnvHttpProxyAgent */.J2({ httpProxy, httpsProxy, noProxy: pick('no_proxy', 'NO_PROXY') }));
}
/**
 * undici 6 — the major @actions/* depend on, so the bundle holds one copy — marks EnvHttpProxyAgent
 * experimental and prints a process warning on its first construction (undici 7 no longer does,
 * with the same options). Nothing in it is for a user to act on, and it would land on stderr of
 * every run: that one warning (code UNDICI-EHPA) is dropped while the agent is made; any other
 * warning passes.
 */
function withoutExperimentalWarning(make) {
    const emit = process.emitWarning;
    process.emitWarning = function (warning, ...rest) {
        const options = rest[0];
        const code = typeof options === 'object' && options !== null ? options.code : rest[1];
        if (code === 'UNDICI-EHPA')
            return;
        return emit.call(process, warning, ...rest);
    };
    try {
        return make();
    }
    finally {
        process.emitWarning = emit;
    }
}
function registerProxyPassword(proxy, secrets) {
    if (!proxy || !secrets)
        return;
    try {
        const u = new URL(proxy);
        if (u.password) {
            secrets.add(u.password);
            secrets.add(decodeURIComponent(u.password));
        }
    }
    catch {
        // not a URL: undici will complain when it is used
    }
}
/** undici fetch through a dispatcher that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
function createDefaultFetch(env = process.env, secrets) {
    const dispatcher = createProxyDispatcher(env, secrets);
    return (url, init) => (0,undici/* fetch */.hd)(url, { ...init, dispatcher });
}
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
class HttpTransport {
    logger;
    secrets;
    now;
    sleep;
    random;
    timeoutMs;
    callTimeoutMs;
    deadline;
    /** How the user raises the limits; without one, errors name the options. */
    names;
    retry;
    userAgent;
    fetchFn;
    /** what every request of the transport shares: the 429 pause and the retries used */
    shared = { pausedUntil: 0, retriesUsed: 0, pauses: true };
    constructor(options = {}) {
        this.logger = options.logger ?? silentLogger;
        this.secrets = options.secrets ?? new secrets/* SecretRegistry */.k();
        this.now = options.now ?? Date.now;
        this.sleep = options.sleep ?? realSleep;
        this.random = options.random ?? Math.random;
        this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
        this.timeoutMs = Math.min(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, this.callTimeoutMs);
        this.deadline = options.deadline ?? Number.POSITIVE_INFINITY;
        this.names = options.names ?? core_names/* NEUTRAL_NAMES */.lJ;
        this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
        // no retry is scheduled that the call's own limit would cut short
        this.retry.maxTotalMs = Math.min(this.retry.maxTotalMs, this.callTimeoutMs);
        this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
        this.fetchFn = options.fetch ?? createDefaultFetch(options.env ?? process.env, this.secrets);
    }
    /** Performs the request with retries; resolves to the parsed JSON body (`{}` when empty). */
    async request(req) {
        const policy = this.retry;
        const start = this.now();
        const callEnds = start + this.callTimeoutMs;
        let attempt = 0;
        let reauthenticated = false;
        for (;;) {
            attempt++;
            // another request's 429 pauses this one too (the request that got it waits in its own retry)
            const paused = this.shared.pausedUntil - this.now();
            if (this.shared.pauses && paused > 0)
                await this.sleep(Math.min(paused, Math.max(0, callEnds - this.now())));
            const outcome = await this.attempt(req, callEnds);
            if (outcome.kind === 'ok') {
                if (attempt === 1 && this.shared.retriesUsed > 0)
                    this.shared.retriesUsed = Math.max(0, this.shared.retriesUsed - 0.1);
                return this.parseBody(req, outcome);
            }
            if (outcome.kind === 'network' && outcome.wall)
                throw this.wallError(req, outcome.wall, attempt);
            if (outcome.kind === 'http' && outcome.status === 401 && !reauthenticated && req.auth?.invalidate?.()) {
                reauthenticated = true;
                attempt--;
                this.log('debug', `${label(req)}: HTTP 401, refreshing the OAuth token and trying again`);
                continue;
            }
            if (outcome.kind === 'network' && outcome.permanent) {
                // the connection was never made: nothing was sent, so not ambiguous, and retrying cannot help
                throw this.toError(req, outcome, { ambiguous: false, note: undefined });
            }
            const retryable = this.isRetryable(req, outcome);
            if (!retryable) {
                const ambiguous = !req.idempotent && isAmbiguousFailure(outcome);
                throw this.toError(req, outcome, {
                    ambiguous,
                    note: ambiguous ? 'the request may have been applied; not retried' : undefined
                });
            }
            if (attempt >= policy.maxAttempts) {
                throw this.toError(req, outcome, { ambiguous: false, note: `gave up after ${plural(attempt, 'attempt')}` });
            }
            if (this.shared.retriesUsed + 1 > policy.maxRunRetries) {
                throw this.toError(req, outcome, {
                    ambiguous: false,
                    note: `not retried: the run's retry budget (${policy.maxRunRetries}, shared by every request) is spent — the server is failing most requests`
                });
            }
            const wait = this.waitFor(outcome, attempt);
            if (this.now() + wait >= this.deadline) {
                throw this.toError(req, outcome, {
                    ambiguous: false,
                    note: `gave up after ${plural(attempt, 'attempt')}: the run's timeout ends before a retry could${(0,core_names/* viaOption */.Cn)(this.names, 'run-timeout', '; raise it with ')}`
                });
            }
            const elapsed = Math.max(0, this.now() - start);
            if (elapsed + wait > policy.maxTotalMs) {
                throw this.toError(req, outcome, {
                    ambiguous: false,
                    note: `gave up after ${plural(attempt, 'attempt')} in ${formatDuration(elapsed)}; retry budget ${formatDuration(policy.maxTotalMs)}${(0,core_names/* viaOption */.Cn)(this.names, 'timeout', '; raise it with ')}`
                });
            }
            this.log('info', `${label(req)}: ${shortOutcome(outcome)}, retrying in ${formatDuration(wait)} (attempt ${attempt + 1} of ${policy.maxAttempts})`);
            this.shared.retriesUsed++;
            const pauseEnds = this.shared.pauses && outcome.kind === 'http' && outcome.status === 429 ? this.now() + wait : 0;
            if (pauseEnds > this.shared.pausedUntil)
                this.shared.pausedUntil = pauseEnds;
            await this.sleep(wait);
            // this request's wait is over: so is the pause it started (a later 429 may have extended it)
            if (pauseEnds && this.shared.pausedUntil === pauseEnds)
                this.shared.pausedUntil = 0;
        }
    }
    isRetryable(req, outcome) {
        if (outcome.kind === 'http') {
            if (outcome.status === 429)
                return true;
            return req.idempotent && outcome.status >= 500;
        }
        return req.idempotent;
    }
    waitFor(outcome, attempt) {
        const p = this.retry;
        if (outcome.kind === 'http' && outcome.retryAfterMs !== undefined) {
            return Math.min(outcome.retryAfterMs, p.maxRetryAfterMs);
        }
        const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
        const jittered = Math.floor(this.random() * ceiling);
        if (outcome.kind === 'http' && outcome.status === 429)
            return Math.max(p.baseDelayMs, jittered);
        return jittered;
    }
    /** The call or run limit was reached: one line naming the limit and how to raise it. */
    wallError(req, wall, attempts) {
        const ambiguous = !req.idempotent;
        const limit = wall === 'call'
            ? `no answer within the ${formatDuration(this.callTimeoutMs)} timeout for one API call${attempts > 1 ? ` (${plural(attempts, 'attempt')})` : ''}${(0,core_names/* viaOption */.Cn)(this.names, 'timeout', '; raise it with ')}`
            : `the run's timeout has passed${(0,core_names/* viaOption */.Cn)(this.names, 'run-timeout', '; raise it with ')}`;
        return new GenieApiError({
            operation: req.operation,
            spaceId: req.spaceId,
            detail: limit,
            ambiguous,
            ...(ambiguous ? { note: 'the request may have been applied' } : {}),
            secrets: this.secrets
        });
    }
    async attempt(req, callEnds) {
        const url = buildUrl(req.url, req.query);
        const headers = {
            Accept: 'application/json',
            'User-Agent': this.userAgent,
            ...req.headers
        };
        let body;
        if (req.form !== undefined) {
            headers['Content-Type'] = 'application/x-www-form-urlencoded';
            body = new URLSearchParams(req.form).toString();
        }
        else if (req.json !== undefined) {
            headers['Content-Type'] = 'application/json';
            body = JSON.stringify(req.json);
        }
        // Auth errors (e.g. the token endpoint refusing) propagate as they are.
        if (req.auth)
            Object.assign(headers, await req.auth.headers());
        const started = this.now();
        const own = req.timeoutMs ?? this.timeoutMs;
        // the attempt ends at the first of: its own timeout, the call's limit, the run's deadline
        const toCall = callEnds - started;
        const toRun = this.deadline - started;
        const timeoutMs = Math.max(0, Math.min(own, toCall, toRun));
        const wall = toRun <= Math.min(own, toCall) ? 'run' : toCall <= own ? 'call' : undefined;
        if (timeoutMs <= 0)
            return { kind: 'network', detail: 'no time left', timedOut: true, cause: undefined, wall: wall ?? 'call' };
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        try {
            const init = { method: req.method, headers, signal: controller.signal, redirect: 'manual' };
            if (body !== undefined)
                init.body = body;
            const res = await this.fetchFn(url, init);
            const text = await res.text();
            this.log('debug', `${req.method} ${pathOf(url)} -> HTTP ${res.status} (${Math.max(0, this.now() - started)} ms)`);
            if (res.status >= 200 && res.status < 300)
                return { kind: 'ok', status: res.status, text };
            const parsed = parseErrorBody(text, this.secrets);
            let message = parsed.message;
            if (res.status >= 300 && res.status < 400) {
                const location = res.headers.get('location');
                message = location ? `redirected to ${excerpt(location, 120, this.secrets)} (is the host right?)` : 'unexpected redirect (is the host right?)';
            }
            const outcome = { kind: 'http', status: res.status, message };
            if (parsed.errorCode !== undefined)
                outcome.errorCode = parsed.errorCode;
            const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.now());
            if (retryAfter !== undefined)
                outcome.retryAfterMs = retryAfter;
            return outcome;
        }
        catch (err) {
            const timedOut = controller.signal.aborted;
            const permanent = timedOut ? undefined : permanentConnectFailure(err, url, this.secrets);
            const detail = timedOut
                ? `request timed out after ${formatDuration(timeoutMs)}`
                : (permanent ?? `connection error: ${describeNetworkError(err, this.secrets)}`);
            this.log('debug', `${req.method} ${pathOf(url)} -> ${detail}`);
            return {
                kind: 'network',
                detail,
                timedOut,
                cause: timedOut ? undefined : err,
                ...(permanent !== undefined ? { permanent: true } : {}),
                ...(timedOut && wall ? { wall } : {})
            };
        }
        finally {
            clearTimeout(timer);
        }
    }
    parseBody(req, outcome) {
        if (outcome.text.trim() === '')
            return {};
        try {
            return JSON.parse(outcome.text);
        }
        catch {
            throw new GenieApiError({
                operation: req.operation,
                spaceId: req.spaceId,
                status: outcome.status,
                detail: `response is not JSON: ${excerpt(outcome.text, 120, this.secrets)}`,
                // It succeeded, so a non-idempotent call was applied even though we cannot read the answer.
                ambiguous: !req.idempotent,
                secrets: this.secrets
            });
        }
    }
    toError(req, outcome, extra) {
        if (outcome.kind === 'http') {
            return new GenieApiError({
                operation: req.operation,
                spaceId: req.spaceId,
                status: outcome.status,
                errorCode: outcome.errorCode,
                detail: outcome.message,
                note: extra.note,
                ambiguous: extra.ambiguous,
                secrets: this.secrets
            });
        }
        return new GenieApiError({
            operation: req.operation,
            spaceId: req.spaceId,
            detail: outcome.detail,
            note: extra.note,
            ambiguous: extra.ambiguous,
            secrets: this.secrets,
            cause: outcome.cause
        });
    }
    log(level, message) {
        this.logger[level](redactCredentials(this.secrets.redact((0,util_errors/* oneLine */.TN)(message))));
    }
}
/** A failure after which a non-idempotent request may or may not have been applied. */
function isAmbiguousFailure(outcome) {
    if (outcome.kind === 'network')
        return true;
    return outcome.status >= 500;
}
function label(req) {
    return req.spaceId ? `${req.operation} ${req.spaceId}` : req.operation;
}
function shortOutcome(outcome) {
    if (outcome.kind === 'network')
        return outcome.detail;
    return `HTTP ${outcome.status}${outcome.errorCode ? ` ${outcome.errorCode}` : ''}`;
}
function buildUrl(base, query) {
    if (!query)
        return base;
    const url = new URL(base);
    for (const [k, v] of Object.entries(query)) {
        if (v !== undefined)
            url.searchParams.set(k, String(v));
    }
    return url.toString();
}
function pathOf(url) {
    try {
        const u = new URL(url);
        return `${u.pathname}${u.search}`;
    }
    catch {
        return url;
    }
}
/** `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Milliseconds, or undefined. */
function parseRetryAfter(value, nowMs) {
    if (value === null || value === undefined)
        return undefined;
    const v = value.trim();
    if (v === '')
        return undefined;
    if (/^\d+(\.\d+)?$/.test(v))
        return Math.round(Number.parseFloat(v) * 1000);
    const at = Date.parse(v);
    if (Number.isNaN(at))
        return undefined;
    return Math.max(0, at - nowMs);
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
/**
 * Failures that no retry can mend, in one line naming the host: the name does not exist (DNS
 * ENOTFOUND) or its TLS certificate is not accepted. EAI_AGAIN is not among them: it is getaddrinfo's
 * "temporary failure" (the resolver did not answer, e.g. a runner's DNS hiccup), which a retry a few
 * seconds later often gets past — it stays retried like a reset connection.
 */
const TLS_CODES = new Set([
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'CERT_REVOKED',
    'CERT_UNTRUSTED',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ERR_SSL_WRONG_VERSION_NUMBER'
]);
function permanentConnectFailure(err, url, secrets) {
    let host;
    try {
        host = new URL(url).hostname;
    }
    catch {
        host = url;
    }
    for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; e = e.cause, depth++) {
        const { code, hostname } = e;
        if (code === 'ENOTFOUND') {
            // a proxy's name failing to resolve names the proxy, not the workspace
            const name = typeof hostname === 'string' && hostname !== '' ? hostname : host;
            return excerpt(`cannot resolve host ${name} (DNS ENOTFOUND): is the host name right?`, 200, secrets);
        }
        if (typeof code === 'string' && TLS_CODES.has(code)) {
            return excerpt(`TLS to ${host} failed (${code}): the server's certificate is not accepted; not retried`, 200, secrets);
        }
    }
    return undefined;
}
function describeNetworkError(err, secrets) {
    const parts = [];
    const visit = (e, depth) => {
        if (!e || depth > 3)
            return;
        if (e instanceof Error) {
            const code = e.code;
            const msg = e.message || e.name;
            const text = typeof code === 'string' && !msg.includes(code) ? `${code} ${msg}` : msg;
            if (!parts.includes(text))
                parts.push(text);
            visit(e.cause, depth + 1);
        }
        else {
            parts.push(String(e));
        }
    };
    visit(err, 0);
    // undici says "fetch failed" and puts the useful part in `cause`.
    const useful = parts.length > 1 ? parts.filter((p) => p !== 'fetch failed') : parts;
    return excerpt(useful.join(': ') || 'unknown error', 200, secrets);
}

// EXTERNAL MODULE: ./node_modules/zod/v4/core/core.js
var core = __webpack_require__(8532);
;// CONCATENATED MODULE: ./src/client/schemas.ts
/**
 * zod schemas for every Genie / Statement Execution response the client reads (shapes from
 * genie-wire-shapes.md, checked against /work/shared/fixtures/responses).
 *
 * Leniency, on purpose:
 * - Unknown keys are accepted and dropped (real responses carry legacy fields such as `id`,
 *   `query_result`, `statement_id_signature`, `result_compression`).
 * - `null` is treated as absent at every object level (the docs samples send `"attachments": null`).
 * - Enums the API may grow (message status, attachment purpose, eval status, statement state, error
 *   types, …) are plain strings; the known values are exported as constants. The docs samples use
 *   `"status": "IN_PROGRESS"` (not in the SDK enum) and the eval-run sample `"eval_run_status": "string"`.
 * - Timestamps (`*_timestamp`) accept seconds (docs samples) or milliseconds (real captures), as numbers
 *   or digit strings (protobuf JSON int64), and are normalised to MILLISECONDS since the epoch: a value
 *   below 10^11 is taken as seconds (10^11 ms is 1973; 10^11 s is the year 5138).
 * - Ids that the SDK marks required but the docs samples omit are filled from their legacy twins:
 *   GenieConversation.conversation_id ← id; GenieMessage.message_id ← id; the start-conversation
 *   response's top-level ids ← its `conversation` / `message`.
 * - A text attachment without `attachment_id` (real capture) is valid.
 * `serialized_space` stays an opaque STRING here; parsing it is the model layer's job.
 */

/** Drops keys whose value is null, so `.optional()` fields accept the docs' explicit nulls. */
function dropNulls(value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return value;
    const out = {};
    for (const [k, v] of Object.entries(value)) {
        if (v !== null)
            out[k] = v;
    }
    return out;
}
/** A response object: unknown keys allowed (and dropped), nulls treated as absent. */
function obj(shape) {
    return schemas/* preprocess */.vkY(dropNulls, schemas/* object */.Ikc(shape));
}
const int64 = schemas/* union */.KCZ([
    schemas/* number */.aig(),
    schemas/* string */.YjP()
        .regex(/^-?\d+$/)
        .transform(Number)
]);
/** Seconds or milliseconds since the epoch → milliseconds. */
const EpochMillis = int64.transform((n) => (Math.abs(n) < 1e11 ? n * 1000 : n));
/** A user id: a JSON number on the wire, though the docs call it a uuid; kept as sent. */
const UserId = schemas/* union */.KCZ([schemas/* number */.aig(), schemas/* string */.YjP()]);
/** An RFC 3339 string per the SDK; tolerate a number. */
const TimeValue = schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]);
// ---------------------------------------------------------------- spaces
const GenieSpaceSchema = obj({
    space_id: schemas/* string */.YjP().min(1),
    title: schemas/* string */.YjP().default(''),
    description: schemas/* string */.YjP().optional(),
    warehouse_id: schemas/* string */.YjP().optional(),
    parent_path: schemas/* string */.YjP().optional(),
    serialized_space: schemas/* string */.YjP().optional(),
    etag: schemas/* string */.YjP().optional(),
    create_time: TimeValue.optional(),
    update_time: TimeValue.optional()
});
const GenieListSpacesResponseSchema = obj({
    spaces: schemas/* array */.YOg(GenieSpaceSchema).default([]),
    next_page_token: schemas/* string */.YjP().optional()
});
// ---------------------------------------------------------------- permissions
const PERMISSION_LEVELS = (/* unused pure expression or super */ null && (['CAN_MANAGE', 'CAN_EDIT', 'CAN_RUN', 'CAN_VIEW']));
const PermissionSchema = obj({
    permission_level: schemas/* string */.YjP(),
    inherited: schemas/* boolean */.zMY().optional(),
    inherited_from_object: schemas/* array */.YOg(schemas/* string */.YjP()).optional()
});
const AccessControlResponseSchema = obj({
    user_name: schemas/* string */.YjP().optional(),
    group_name: schemas/* string */.YjP().optional(),
    service_principal_name: schemas/* string */.YjP().optional(),
    display_name: schemas/* string */.YjP().optional(),
    all_permissions: schemas/* array */.YOg(PermissionSchema).default([])
});
const ObjectPermissionsSchema = obj({
    object_id: schemas/* string */.YjP().optional(),
    object_type: schemas/* string */.YjP().optional(),
    access_control_list: schemas/* array */.YOg(AccessControlResponseSchema).default([])
});
/**
 * `GET /api/2.0/preview/scim/v2/Me`: the principal the credential belongs to (SCIM User). For a
 * service principal `userName` is its application id (the Databricks CLI tells the two apart by
 * whether `userName` is a UUID), which is what a grant's `service_principal_name` names.
 */
const CurrentUserSchema = obj({
    id: schemas/* string */.YjP().optional(),
    userName: schemas/* string */.YjP().min(1),
    displayName: schemas/* string */.YjP().optional(),
    active: schemas/* boolean */.zMY().optional(),
    groups: schemas/* array */.YOg(obj({ display: schemas/* string */.YjP().optional(), value: schemas/* string */.YjP().optional() })).optional()
});
/** `GET /api/2.0/permissions/genie/{id}/permissionLevels` (generic Permissions API). */
const PermissionLevelsSchema = obj({
    permission_levels: schemas/* array */.YOg(obj({ permission_level: schemas/* string */.YjP(), description: schemas/* string */.YjP().optional() })).default([])
});
/** `POST /api/2.0/workspace/mkdirs` answers `{}`. */
const EmptyResponseSchema = obj({});
// ---------------------------------------------------------------- conversations and messages
const MESSAGE_STATUSES = (/* unused pure expression or super */ null && ([
    'SUBMITTED',
    'FETCHING_METADATA',
    'FILTERING_CONTEXT',
    'ASKING_AI',
    'PENDING_WAREHOUSE',
    'EXECUTING_QUERY',
    'COMPLETED',
    'FAILED',
    'CANCELLED',
    'QUERY_RESULT_EXPIRED'
]));
/** Statuses after which polling stops (anything else, including `IN_PROGRESS`, is still running). */
const TERMINAL_MESSAGE_STATUSES = (/* unused pure expression or super */ null && (['COMPLETED', 'FAILED', 'CANCELLED', 'QUERY_RESULT_EXPIRED']));
const GenieConversationSchema = obj({
    conversation_id: schemas/* string */.YjP().optional(),
    id: schemas/* string */.YjP().optional(),
    space_id: schemas/* string */.YjP().optional(),
    title: schemas/* string */.YjP().optional(),
    created_timestamp: EpochMillis.optional(),
    last_updated_timestamp: EpochMillis.optional(),
    user_id: UserId.optional()
}).transform(({ id, ...rest }) => ({ ...rest, conversation_id: rest.conversation_id ?? id }));
const ThoughtSchema = obj({
    content: schemas/* string */.YjP().optional(),
    thought_type: schemas/* string */.YjP().optional()
});
const QueryAttachmentParameterSchema = obj({
    keyword: schemas/* string */.YjP().optional(),
    sql_type: schemas/* string */.YjP().optional(),
    value: schemas/* string */.YjP().optional()
});
const GenieResultMetadataSchema = obj({
    is_truncated: schemas/* boolean */.zMY().optional(),
    row_count: int64.optional()
});
const GenieQueryAttachmentSchema = obj({
    id: schemas/* string */.YjP().optional(),
    title: schemas/* string */.YjP().optional(),
    description: schemas/* string */.YjP().optional(),
    /** The SQL Genie generated. */
    query: schemas/* string */.YjP().optional(),
    statement_id: schemas/* string */.YjP().optional(),
    query_result_metadata: GenieResultMetadataSchema.optional(),
    thoughts: schemas/* array */.YOg(ThoughtSchema).optional(),
    parameters: schemas/* array */.YOg(QueryAttachmentParameterSchema).optional(),
    last_updated_timestamp: EpochMillis.optional()
});
const TEXT_ATTACHMENT_PURPOSES = (/* unused pure expression or super */ null && (['FOLLOW_UP_QUESTION', 'TEXT_ATTACHMENT_PURPOSE_ANSWER']));
const TextAttachmentSchema = obj({
    id: schemas/* string */.YjP().optional(),
    content: schemas/* string */.YjP().optional(),
    /** FOLLOW_UP_QUESTION (a clarifying question) or TEXT_ATTACHMENT_PURPOSE_ANSWER. */
    purpose: schemas/* string */.YjP().optional(),
    phase: schemas/* string */.YjP().optional(),
    verification_metadata: obj({ index: int64.optional(), section: schemas/* string */.YjP().optional() }).optional()
});
const GenieAttachmentSchema = obj({
    attachment_id: schemas/* string */.YjP().optional(),
    query: GenieQueryAttachmentSchema.optional(),
    text: TextAttachmentSchema.optional(),
    suggested_questions: obj({ questions: schemas/* array */.YOg(schemas/* string */.YjP()).default([]) }).optional(),
    viz: obj({ query_attachment_id: schemas/* string */.YjP().optional(), title: schemas/* string */.YjP().optional() }).optional()
});
const MessageErrorSchema = obj({
    error: schemas/* string */.YjP().optional(),
    type: schemas/* string */.YjP().optional()
});
const GenieMessageSchema = obj({
    message_id: schemas/* string */.YjP().optional(),
    id: schemas/* string */.YjP().optional(),
    /** Required by the SDK, but absent from a real captured message. */
    space_id: schemas/* string */.YjP().optional(),
    conversation_id: schemas/* string */.YjP(),
    content: schemas/* string */.YjP().default(''),
    status: schemas/* string */.YjP().optional(),
    attachments: schemas/* array */.YOg(GenieAttachmentSchema).default([]),
    error: MessageErrorSchema.optional(),
    feedback: obj({ comment: schemas/* string */.YjP().optional(), rating: schemas/* string */.YjP().optional() }).optional(),
    created_timestamp: EpochMillis.optional(),
    last_updated_timestamp: EpochMillis.optional(),
    user_id: UserId.optional()
}).transform(({ id, message_id, ...rest }, ctx) => {
    const mid = message_id ?? id;
    if (mid === undefined) {
        ctx.addIssue({ code: 'custom', message: 'message has neither message_id nor id', path: ['message_id'] });
        return core/* NEVER */.tm;
    }
    return { ...rest, message_id: mid };
});
const GenieListConversationMessagesResponseSchema = obj({
    messages: schemas/* array */.YOg(GenieMessageSchema).default([]),
    next_page_token: schemas/* string */.YjP().optional()
});
const GenieListConversationsResponseSchema = obj({
    conversations: schemas/* array */.YOg(GenieConversationSchema).default([]),
    next_page_token: schemas/* string */.YjP().optional()
});
const GENIE_FEEDBACK_RATINGS = (/* unused pure expression or super */ null && (['POSITIVE', 'NEGATIVE', 'NONE']));
const GenieStartConversationResponseSchema = obj({
    conversation_id: schemas/* string */.YjP().optional(),
    message_id: schemas/* string */.YjP().optional(),
    conversation: GenieConversationSchema.optional(),
    message: GenieMessageSchema.optional()
}).transform((v, ctx) => {
    const conversationId = v.conversation_id ?? v.conversation?.conversation_id ?? v.message?.conversation_id;
    const messageId = v.message_id ?? v.message?.message_id;
    if (conversationId === undefined || messageId === undefined) {
        ctx.addIssue({ code: 'custom', message: 'start-conversation response names no conversation or message id' });
        return core/* NEVER */.tm;
    }
    return { ...v, conversation_id: conversationId, message_id: messageId };
});
// ---------------------------------------------------------------- statement execution
const STATEMENT_STATES = (/* unused pure expression or super */ null && (['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED']));
const ColumnInfoSchema = obj({
    name: schemas/* string */.YjP().optional(),
    position: int64.optional(),
    type_name: schemas/* string */.YjP().optional(),
    type_text: schemas/* string */.YjP().optional(),
    type_precision: int64.optional(),
    type_scale: int64.optional(),
    type_interval_type: schemas/* string */.YjP().optional()
});
const ChunkInfoSchema = obj({
    chunk_index: int64.optional(),
    row_offset: int64.optional(),
    row_count: int64.optional(),
    byte_count: int64.optional()
});
const ResultManifestSchema = obj({
    format: schemas/* string */.YjP().optional(),
    schema: obj({ column_count: int64.optional(), columns: schemas/* array */.YOg(ColumnInfoSchema).default([]) }).optional(),
    chunks: schemas/* array */.YOg(ChunkInfoSchema).optional(),
    total_row_count: int64.optional(),
    total_chunk_count: int64.optional(),
    total_byte_count: int64.optional(),
    truncated: schemas/* boolean */.zMY().optional()
});
const ExternalLinkSchema = obj({
    /** Carries a short-lived credential: never log it. */
    external_link: schemas/* string */.YjP().optional(),
    expiration: schemas/* string */.YjP().optional(),
    http_headers: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* string */.YjP()).optional(),
    chunk_index: int64.optional(),
    row_offset: int64.optional(),
    row_count: int64.optional(),
    byte_count: int64.optional(),
    next_chunk_index: int64.optional(),
    next_chunk_internal_link: schemas/* string */.YjP().optional()
});
const ResultDataSchema = obj({
    /** JSON_ARRAY rows: every value a string, or null. */
    data_array: schemas/* array */.YOg(schemas/* array */.YOg(schemas/* string */.YjP().nullable())).optional(),
    external_links: schemas/* array */.YOg(ExternalLinkSchema).optional(),
    chunk_index: int64.optional(),
    row_offset: int64.optional(),
    row_count: int64.optional(),
    byte_count: int64.optional(),
    next_chunk_index: int64.optional(),
    next_chunk_internal_link: schemas/* string */.YjP().optional()
});
const StatementStatusSchema = obj({
    state: schemas/* string */.YjP().optional(),
    sql_state: schemas/* string */.YjP().optional(),
    error: obj({ error_code: schemas/* string */.YjP().optional(), message: schemas/* string */.YjP().optional() }).optional()
});
const StatementResponseSchema = obj({
    statement_id: schemas/* string */.YjP().optional(),
    status: StatementStatusSchema.optional(),
    manifest: ResultManifestSchema.optional(),
    result: ResultDataSchema.optional()
});
const GenieGetMessageQueryResultResponseSchema = obj({
    statement_response: StatementResponseSchema.optional()
});
// ---------------------------------------------------------------- eval runs (Beta)
const EVAL_RUN_STATUSES = (/* unused pure expression or super */ null && (['NOT_STARTED', 'RUNNING', 'DONE', 'EVALUATION_FAILED', 'EVALUATION_CANCELLED', 'EVALUATION_TIMEOUT']));
const GenieEvalRunResponseSchema = obj({
    eval_run_id: schemas/* string */.YjP().min(1),
    eval_run_status: schemas/* string */.YjP().optional(),
    created_timestamp: EpochMillis.optional(),
    last_updated_timestamp: EpochMillis.optional(),
    num_questions: int64.optional(),
    num_done: int64.optional(),
    num_correct: int64.optional(),
    num_needs_review: int64.optional(),
    run_by_user: UserId.optional()
});
const GenieListEvalRunsResponseSchema = obj({
    eval_runs: schemas/* array */.YOg(GenieEvalRunResponseSchema).default([]),
    next_page_token: schemas/* string */.YjP().optional()
});
const GenieEvalResultSchema = obj({
    result_id: schemas/* string */.YjP(),
    space_id: schemas/* string */.YjP().optional(),
    benchmark_question_id: schemas/* string */.YjP(),
    benchmark_answer: schemas/* string */.YjP().optional(),
    question: schemas/* string */.YjP().optional(),
    created_by_user: UserId.optional(),
    status: schemas/* string */.YjP().optional()
});
const GenieListEvalResultsResponseSchema = obj({
    eval_results: schemas/* array */.YOg(GenieEvalResultSchema).default([]),
    next_page_token: schemas/* string */.YjP().optional()
});
const GenieEvalResponseSchema = obj({
    response: schemas/* string */.YjP().optional(),
    response_type: schemas/* string */.YjP().optional(),
    sql_execution_result: StatementResponseSchema.optional()
});
const GenieEvalResultDetailsSchema = obj({
    result_id: schemas/* string */.YjP(),
    space_id: schemas/* string */.YjP().optional(),
    benchmark_question_id: schemas/* string */.YjP(),
    assessment: schemas/* string */.YjP().optional(),
    assessment_reasons: schemas/* array */.YOg(schemas/* string */.YjP()).default([]),
    eval_run_status: schemas/* string */.YjP().optional(),
    manual_assessment: schemas/* boolean */.zMY().optional(),
    expected_response: schemas/* array */.YOg(GenieEvalResponseSchema).default([]),
    actual_response: schemas/* array */.YOg(GenieEvalResponseSchema).default([])
});
// ---------------------------------------------------------------- workspace files
/** `ObjectInfo` of get-status / list (docs: workspace-objects/v1). Types the API may grow stay strings. */
const WorkspaceObjectInfoSchema = obj({
    object_type: schemas/* string */.YjP().optional(),
    path: schemas/* string */.YjP(),
    object_id: int64.optional(),
    created_at: int64.optional(),
    modified_at: int64.optional(),
    size: int64.optional(),
    language: schemas/* string */.YjP().optional(),
    resource_id: schemas/* string */.YjP().optional()
});
/** `GET /api/2.0/workspace/export`: `{content: base64, file_type}`. */
const WorkspaceExportResponseSchema = obj({ content: schemas/* string */.YjP().default(''), file_type: schemas/* string */.YjP().optional() });
// ---------------------------------------------------------------- Unity Catalog and warehouses (preflight)
/**
 * `ColumnInfo` of `GET /api/2.1/unity-catalog/tables/{full_name}` (SDK `catalog.ColumnInfo`). Only
 * `name` matters to SpaceOps; the SDK marks every field optional, so a column without a name is
 * kept with `name` undefined and ignored by the caller.
 */
const UcColumnInfoSchema = obj({
    name: schemas/* string */.YjP().optional(),
    type_text: schemas/* string */.YjP().optional(),
    type_name: schemas/* string */.YjP().optional(),
    position: int64.optional(),
    nullable: schemas/* boolean */.zMY().optional(),
    comment: schemas/* string */.YjP().optional()
});
/**
 * `TableInfo` (SDK `catalog.TableInfo`). `table_type` is an enum the API grows (MANAGED, EXTERNAL,
 * VIEW, MATERIALIZED_VIEW, STREAMING_TABLE, FOREIGN, METRIC_VIEW, …): a plain string here.
 * `columns` is absent for some securables in the SDK samples; absent is read as "not told", not as
 * "no columns" (the caller then does not check column names).
 */
const TableInfoSchema = obj({
    name: schemas/* string */.YjP().optional(),
    catalog_name: schemas/* string */.YjP().optional(),
    schema_name: schemas/* string */.YjP().optional(),
    full_name: schemas/* string */.YjP().optional(),
    table_type: schemas/* string */.YjP().optional(),
    data_source_format: schemas/* string */.YjP().optional(),
    owner: schemas/* string */.YjP().optional(),
    columns: schemas/* array */.YOg(UcColumnInfoSchema).optional()
});
/** `FunctionInfo` (SDK `catalog.FunctionInfo`): what SpaceOps reads of it. */
const FunctionInfoSchema = obj({
    name: schemas/* string */.YjP().optional(),
    catalog_name: schemas/* string */.YjP().optional(),
    schema_name: schemas/* string */.YjP().optional(),
    full_name: schemas/* string */.YjP().optional(),
    data_type: schemas/* string */.YjP().optional(),
    owner: schemas/* string */.YjP().optional()
});
/**
 * `EffectivePermissionsList` (SDK `catalog.EffectivePermissionsList`):
 * `{privilege_assignments: [{principal, privileges: [{privilege, inherited_from_type, inherited_from_name}]}]}`.
 * The docs do not say what a principal without any privilege gets: an empty list, an entry with no
 * privileges or no key at all — all three read as "no privileges".
 */
const EffectivePermissionsSchema = obj({
    privilege_assignments: schemas/* array */.YOg(obj({
        principal: schemas/* string */.YjP().optional(),
        privileges: schemas/* array */.YOg(obj({ privilege: schemas/* string */.YjP(), inherited_from_type: schemas/* string */.YjP().optional(), inherited_from_name: schemas/* string */.YjP().optional() })).default([])
    }))
        .default([]),
    next_page_token: schemas/* string */.YjP().optional()
});
/**
 * `GetWarehouseResponse` (SDK `sql.GetWarehouseResponse`): `state` is STARTING, RUNNING, STOPPING,
 * STOPPED, DELETING or DELETED (kept a string: the enum may grow).
 */
const WarehouseInfoSchema = obj({
    id: schemas/* string */.YjP().optional(),
    name: schemas/* string */.YjP().optional(),
    state: schemas/* string */.YjP().optional(),
    creator_name: schemas/* string */.YjP().optional(),
    cluster_size: schemas/* string */.YjP().optional(),
    warehouse_type: schemas/* string */.YjP().optional()
});

// EXTERNAL MODULE: ./src/client/space-id.ts
var space_id = __webpack_require__(5999);
;// CONCATENATED MODULE: ./src/client/genie.ts





/**
 * A 429 on a call made with `rateLimit: 'surface'` (asking Genie a question). `retryAfterMs` is the
 * server's advice (Retry-After), undefined when it gave none.
 */
class GenieRateLimitError extends GenieApiError {
    retryAfterMs;
    constructor(init) {
        super(init);
        this.name = 'GenieRateLimitError';
        if (init.retryAfterMs !== undefined)
            this.retryAfterMs = init.retryAfterMs;
    }
}
const MAX_PAGE_SIZE = 100;
class GenieClient {
    host;
    auth;
    transport;
    surfacingTransport;
    constructor(options) {
        this.host = (0,hosts/* normalizeHost */.c)(options.host);
        this.auth = options.auth;
        this.transport = options.transport ?? new HttpTransport(options);
    }
    /**
     * One API call: builds the URL, authenticates, retries per the transport's policy, validates the
     * response with `schema`. A response that does not match throws a one-line GenieApiError.
     */
    async call(spec, schema) {
        const idempotent = spec.idempotent ?? spec.method !== 'POST';
        const req = {
            operation: spec.operation,
            method: spec.method,
            url: `${this.host}${spec.path}`,
            auth: this.auth,
            idempotent
        };
        if (spec.spaceId !== undefined)
            req.spaceId = spec.spaceId;
        if (spec.query !== undefined)
            req.query = spec.query;
        if (spec.body !== undefined)
            req.json = spec.body;
        if (spec.timeoutMs !== undefined)
            req.timeoutMs = spec.timeoutMs;
        const raw = spec.rateLimit === 'surface' ? await this.requestSurfacingRateLimit(req) : await this.transport.request(req);
        const parsed = schema.safeParse(raw);
        if (parsed.success)
            return parsed.data;
        throw new GenieApiError({
            operation: spec.operation,
            spaceId: spec.spaceId,
            detail: `unexpected response from the API: ${summarizeIssues(parsed.error)}`,
            // The call succeeded: a non-idempotent one was applied though its answer is unreadable.
            ambiguous: !idempotent,
            secrets: this.transport.secrets
        });
    }
    /** Every space the caller can see, page after page (100 per page). */
    async *listSpaces(options = {}) {
        const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)));
        let pageToken;
        const seen = new Set();
        for (;;) {
            const page = await this.call({
                operation: 'list spaces',
                method: 'GET',
                path: '/api/2.0/genie/spaces',
                query: { page_size: pageSize, page_token: pageToken }
            }, GenieListSpacesResponseSchema);
            for (const space of page.spaces)
                yield space;
            const next = page.next_page_token;
            if (next === undefined || next === '')
                return;
            if (seen.has(next)) {
                throw new GenieApiError({ operation: 'list spaces', detail: 'the API repeated a page token; stopping to avoid an endless listing' });
            }
            seen.add(next);
            pageToken = next;
        }
    }
    async listAllSpaces(options = {}) {
        const all = [];
        for await (const space of this.listSpaces(options))
            all.push(space);
        return all;
    }
    async getSpace(spaceId, options = {}) {
        const include = options.includeSerializedSpace ?? true;
        return this.call({
            operation: 'get space',
            spaceId,
            method: 'GET',
            path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}`,
            query: include ? { include_serialized_space: true } : undefined
        }, GenieSpaceSchema);
    }
    async createSpace(request) {
        if (typeof request.serialized_space !== 'string') {
            throw new TypeError('createSpace: serialized_space must be a JSON string');
        }
        const body = definedOnly({ ...request });
        return this.withParentFolder(request.parent_path, () => this.call({ operation: 'create space', method: 'POST', path: '/api/2.0/genie/spaces', body, idempotent: false }, GenieSpaceSchema));
    }
    async updateSpace(spaceId, request) {
        if (request.serialized_space !== undefined && typeof request.serialized_space !== 'string') {
            throw new TypeError('updateSpace: serialized_space must be a JSON string');
        }
        const body = definedOnly({ ...request });
        return this.withParentFolder(request.parent_path, () => this.call({ operation: 'update space', spaceId, method: 'PATCH', path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}`, body, idempotent: true }, GenieSpaceSchema));
    }
    /** Moves the space to the trash. */
    async trashSpace(spaceId) {
        await this.call({ operation: 'trash space', spaceId, method: 'DELETE', path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}`, idempotent: true }, EmptyResponseSchema);
    }
    /** Creates a workspace folder and its parents (no error if it exists). `retry: false`: one attempt. */
    async mkdirs(path, options = {}) {
        await this.call({ operation: `create folder ${path}`, method: 'POST', path: '/api/2.0/workspace/mkdirs', body: { path }, idempotent: options.retry !== false }, EmptyResponseSchema);
    }
    // ---------------------------------------------------------------- workspace files
    // Deploy records and locks (see deploy/records.ts). Paths are absolute workspace paths, sent as
    // query parameters or JSON (never in the URL path). A missing path answers 404
    // RESOURCE_DOES_NOT_EXIST; the readers below turn exactly that into `undefined`.
    /** A workspace file's text, or undefined when there is none. */
    async readWorkspaceFile(path) {
        try {
            const res = await this.call({ operation: `read workspace file ${path}`, method: 'GET', path: '/api/2.0/workspace/export', query: { path, format: 'AUTO' } }, WorkspaceExportResponseSchema);
            return Buffer.from(res.content, 'base64').toString('utf8');
        }
        catch (err) {
            if (isMissing(err))
                return undefined;
            throw err;
        }
    }
    /**
     * Writes a workspace file (format AUTO, a file rather than a notebook). `overwrite: false` makes the
     * write fail with RESOURCE_ALREADY_EXISTS when the file exists — the atomic create a lock needs — and
     * is therefore not retried blindly (an ambiguous failure says so); `overwrite: true` is idempotent.
     */
    async writeWorkspaceFile(path, text, options) {
        await this.call({
            operation: `write workspace file ${path}`,
            method: 'POST',
            path: '/api/2.0/workspace/import',
            body: { path, format: 'AUTO', content: Buffer.from(text, 'utf8').toString('base64'), overwrite: options.overwrite },
            // `retry: false`: one attempt, and an unclear answer says so (the caller reads the file back)
            idempotent: options.overwrite && options.retry !== false
        }, EmptyResponseSchema);
    }
    /** Deletes a workspace file; false when there was none. */
    async deleteWorkspaceFile(path) {
        try {
            await this.call({ operation: `delete workspace file ${path}`, method: 'POST', path: '/api/2.0/workspace/delete', body: { path, recursive: false }, idempotent: true }, EmptyResponseSchema);
            return true;
        }
        catch (err) {
            if (isMissing(err))
                return false;
            throw err;
        }
    }
    /** What is at a workspace path, or undefined when nothing is. */
    async workspaceStatus(path) {
        try {
            return await this.call({ operation: `get status of ${path}`, method: 'GET', path: '/api/2.0/workspace/get-status', query: { path } }, WorkspaceObjectInfoSchema);
        }
        catch (err) {
            if (isMissing(err))
                return undefined;
            throw err;
        }
    }
    async getPermissions(spaceId) {
        return this.call({ operation: 'get permissions of space', spaceId, method: 'GET', path: `/api/2.0/permissions/genie/${seg(spaceId, 'space')}` }, ObjectPermissionsSchema);
    }
    /** PATCH (add/change the listed entries) or, with `replace`, PUT (the list becomes the whole ACL). */
    async setPermissions(spaceId, acl, options = {}) {
        return this.call({
            operation: 'set permissions of space',
            spaceId,
            method: options.replace ? 'PUT' : 'PATCH',
            path: `/api/2.0/permissions/genie/${seg(spaceId, 'space')}`,
            body: { access_control_list: acl },
            idempotent: true
        }, ObjectPermissionsSchema);
    }
    // ---------------------------------------------------------------- Unity Catalog and warehouses (preflight)
    //
    // Read-only look-ups preflight makes before a write. Names are Unity Catalog full names without
    // backticks (`catalog.schema.table`; the caller unquotes them): the REST API takes the name as
    // one path segment and the docs say nothing of quoting, so a part holding a dot cannot be asked
    // for and is refused here. Errors are thrown as GenieApiError; what a 404 or 403 means is the
    // caller's call (the docs name TABLE_DOES_NOT_EXIST / FUNCTION_DOES_NOT_EXIST for a missing
    // object, and a missing catalog or schema may answer CATALOG_/SCHEMA_DOES_NOT_EXIST instead).
    async getTable(fullName) {
        return this.call({ operation: `get table ${fullName}`, method: 'GET', path: `/api/2.1/unity-catalog/tables/${seg(fullName, 'table name')}` }, TableInfoSchema);
    }
    async getFunction(fullName) {
        return this.call({ operation: `get function ${fullName}`, method: 'GET', path: `/api/2.1/unity-catalog/functions/${seg(fullName, 'function name')}` }, FunctionInfoSchema);
    }
    /** Effective privileges of one principal on a table (direct and inherited from its schema and catalog). */
    async getEffectivePermissions(securableType, fullName, principal) {
        return this.call({
            operation: `get effective permissions of ${principal} on ${fullName}`,
            method: 'GET',
            // securable_type in lower case, as the SDK's SecurableType values are written
            path: `/api/2.1/unity-catalog/effective-permissions/${securableType}/${seg(fullName, 'table name')}`,
            query: { principal }
        }, EffectivePermissionsSchema);
    }
    async getWarehouse(warehouseId) {
        return this.call({ operation: `get warehouse ${warehouseId}`, method: 'GET', path: `/api/2.0/sql/warehouses/${seg(warehouseId, 'warehouse id')}` }, WarehouseInfoSchema);
    }
    /** The warehouse's access control list (`/api/2.0/permissions/warehouses/{id}`: CAN_USE, CAN_MONITOR, CAN_MANAGE, IS_OWNER). */
    async getWarehousePermissions(warehouseId) {
        return this.call({ operation: `get permissions of warehouse ${warehouseId}`, method: 'GET', path: `/api/2.0/permissions/warehouses/${seg(warehouseId, 'warehouse id')}` }, ObjectPermissionsSchema);
    }
    /** The levels that can be granted on the space (`…/permissionLevels`). */
    async permissionLevels(spaceId) {
        return this.call({ operation: 'get permission levels of space', spaceId, method: 'GET', path: `/api/2.0/permissions/genie/${seg(spaceId, 'space')}/permissionLevels` }, PermissionLevelsSchema);
    }
    me;
    /**
     * The principal this client's credential belongs to (`GET /api/2.0/preview/scim/v2/Me`): the
     * deploying principal, whose CAN_MANAGE permissions as code keep. Asked once per client (a
     * client is one host and one credential); a failed answer is not kept.
     */
    async currentUser() {
        this.me ??= this.call({ operation: 'get current user', method: 'GET', path: '/api/2.0/preview/scim/v2/Me' }, CurrentUserSchema);
        try {
            return await this.me;
        }
        catch (err) {
            this.me = undefined;
            throw err;
        }
    }
    // ---------------------------------------------------------------- conversations
    /** Asks a question in a new conversation. A 429 throws GenieRateLimitError (not retried here). */
    async startConversation(spaceId, content) {
        return this.call({
            operation: 'start conversation',
            spaceId,
            method: 'POST',
            path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/start-conversation`,
            body: { content },
            idempotent: false,
            rateLimit: 'surface'
        }, GenieStartConversationResponseSchema);
    }
    /** Asks a follow-up question in a conversation. A 429 throws GenieRateLimitError (not retried here). */
    async createMessage(spaceId, conversationId, content) {
        return this.call({
            operation: 'create message',
            spaceId,
            method: 'POST',
            path: `${conversationPath(spaceId, conversationId)}/messages`,
            body: { content },
            idempotent: false,
            rateLimit: 'surface'
        }, GenieMessageSchema);
    }
    async getMessage(spaceId, conversationId, messageId) {
        return this.call({ operation: 'get message', spaceId, method: 'GET', path: messagePath(spaceId, conversationId, messageId) }, GenieMessageSchema);
    }
    /**
     * One page of the space's conversations (`include_all`: every user's, which needs CAN MANAGE;
     * otherwise the caller's own). The docs do not say how the list is ordered.
     */
    async listConversations(spaceId, options = {}) {
        const query = {};
        if (options.pageSize !== undefined)
            query.page_size = String(Math.min(MAX_PAGE_SIZE, options.pageSize));
        if (options.pageToken !== undefined)
            query.page_token = options.pageToken;
        if (options.includeAll)
            query.include_all = 'true';
        return this.call({ operation: 'list conversations', spaceId, method: 'GET', path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/conversations`, query }, GenieListConversationsResponseSchema);
    }
    /** Deletes a conversation (idempotent in effect: a second delete answers 404, which is not an error here). */
    async deleteConversation(spaceId, conversationId) {
        try {
            await this.call({ operation: 'delete conversation', spaceId, method: 'DELETE', path: conversationPath(spaceId, conversationId), idempotent: true }, EmptyResponseSchema);
        }
        catch (err) {
            // a retried DELETE whose first attempt went through meets a 404: the conversation is gone either way
            if (isMissing(err))
                return;
            throw err;
        }
    }
    async deleteMessage(spaceId, conversationId, messageId) {
        await this.call({ operation: 'delete message', spaceId, method: 'DELETE', path: messagePath(spaceId, conversationId, messageId), idempotent: true }, EmptyResponseSchema);
    }
    async sendMessageFeedback(spaceId, conversationId, messageId, rating) {
        await this.call({
            operation: 'send message feedback',
            spaceId,
            method: 'POST',
            path: `${messagePath(spaceId, conversationId, messageId)}/feedback`,
            body: { rating },
            idempotent: true
        }, EmptyResponseSchema);
    }
    /** One page of a conversation's messages. */
    async listMessages(spaceId, conversationId, options = {}) {
        const query = {};
        if (options.pageSize !== undefined)
            query.page_size = String(Math.min(MAX_PAGE_SIZE, options.pageSize));
        if (options.pageToken !== undefined)
            query.page_token = options.pageToken;
        return this.call({ operation: 'list messages', spaceId, method: 'GET', path: `${conversationPath(spaceId, conversationId)}/messages`, query }, GenieListConversationMessagesResponseSchema);
    }
    async getQueryResult(spaceId, conversationId, messageId, attachmentId) {
        return this.call({
            operation: 'get query result',
            spaceId,
            method: 'GET',
            path: `${messagePath(spaceId, conversationId, messageId)}/attachments/${seg(attachmentId, 'attachment id')}/query-result`
        }, GenieGetMessageQueryResultResponseSchema);
    }
    /** Re-runs the query of an attachment (after QUERY_RESULT_EXPIRED). Idempotent: it only reads. */
    async executeQuery(spaceId, conversationId, messageId, attachmentId) {
        return this.call({
            operation: 'execute query',
            spaceId,
            method: 'POST',
            path: `${messagePath(spaceId, conversationId, messageId)}/attachments/${seg(attachmentId, 'attachment id')}/execute-query`,
            idempotent: true
        }, GenieGetMessageQueryResultResponseSchema);
    }
    // ---------------------------------------------------------------- eval runs (Beta)
    /** Starts an evaluation run of the space's benchmark questions (all of them when none are named). */
    async createEvalRun(spaceId, questionIds) {
        return this.call({
            operation: 'create eval run',
            spaceId,
            method: 'POST',
            path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/eval-runs`,
            body: questionIds?.length ? { benchmark_question_ids: [...questionIds] } : {},
            idempotent: false
        }, GenieEvalRunResponseSchema);
    }
    async getEvalRun(spaceId, evalRunId) {
        return this.call({ operation: 'get eval run', spaceId, method: 'GET', path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/eval-runs/${seg(evalRunId, 'eval run id')}` }, GenieEvalRunResponseSchema);
    }
    /** One page of the space's eval runs. */
    async listEvalRuns(spaceId, options = {}) {
        return this.call({
            operation: 'list eval runs',
            spaceId,
            method: 'GET',
            path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/eval-runs`,
            query: { page_size: options.pageSize, page_token: options.pageToken }
        }, GenieListEvalRunsResponseSchema);
    }
    /** Every result of an eval run, page after page. */
    async listEvalResults(spaceId, evalRunId) {
        const all = [];
        const seen = new Set();
        let pageToken;
        for (;;) {
            const page = await this.call({
                operation: 'list eval results',
                spaceId,
                method: 'GET',
                path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/eval-runs/${seg(evalRunId, 'eval run id')}/results`,
                query: { page_token: pageToken }
            }, GenieListEvalResultsResponseSchema);
            all.push(...page.eval_results);
            const next = page.next_page_token;
            if (next === undefined || next === '')
                return all;
            if (seen.has(next)) {
                throw new GenieApiError({ operation: 'list eval results', spaceId, detail: 'the API repeated a page token; stopping to avoid an endless listing' });
            }
            seen.add(next);
            pageToken = next;
        }
    }
    async getEvalResult(spaceId, evalRunId, resultId) {
        return this.call({
            operation: 'get eval result',
            spaceId,
            method: 'GET',
            path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/eval-runs/${seg(evalRunId, 'eval run id')}/results/${seg(resultId, 'eval result id')}`
        }, GenieEvalResultDetailsSchema);
    }
    // ---------------------------------------------------------------- SQL statements
    /** Runs SQL on a warehouse. A FAILED statement still answers HTTP 200 with `status.state = FAILED`. */
    async executeStatement(request) {
        return this.call({ operation: 'execute statement', method: 'POST', path: '/api/2.0/sql/statements', body: definedOnly({ ...request }), idempotent: false }, StatementResponseSchema);
    }
    async getStatement(statementId) {
        return this.call({ operation: `get statement ${statementId}`, method: 'GET', path: `/api/2.0/sql/statements/${seg(statementId, 'statement id')}` }, StatementResponseSchema);
    }
    /** A further chunk of an INLINE result (`next_chunk_index`). */
    async getStatementResultChunk(statementId, chunkIndex) {
        return this.call({
            operation: `get statement ${statementId} result chunk ${chunkIndex}`,
            method: 'GET',
            path: `/api/2.0/sql/statements/${seg(statementId, 'statement id')}/result/chunks/${seg(chunkIndex, 'chunk index')}`
        }, ResultDataSchema);
    }
    async cancelStatement(statementId) {
        await this.call({
            operation: `cancel statement ${statementId}`,
            method: 'POST',
            path: `/api/2.0/sql/statements/${seg(statementId, 'statement id')}/cancel`,
            idempotent: true
        }, EmptyResponseSchema);
    }
    /** The request through a view of the transport that hands a 429 back instead of retrying it. */
    async requestSurfacingRateLimit(req) {
        this.surfacingTransport ??= rateLimitSurfacingTransport(this.transport);
        try {
            return await this.surfacingTransport.request(req);
        }
        catch (err) {
            if (!(err instanceof DeferredRetry))
                throw err;
            const advised = err.waitMs > 0 ? err.waitMs : undefined;
            throw new GenieRateLimitError({
                operation: req.operation,
                spaceId: req.spaceId,
                status: 429,
                detail: 'too many requests',
                note: advised !== undefined ? `Retry-After ${formatDuration(advised)}` : 'no Retry-After',
                ...(advised !== undefined ? { retryAfterMs: advised } : {}),
                secrets: this.transport.secrets
            });
        }
    }
    /** Runs `op`; if it failed because `parentPath` does not exist, creates it and runs `op` once more. */
    async withParentFolder(parentPath, op) {
        try {
            return await op();
        }
        catch (err) {
            if (parentPath === undefined || !isMissingParentFolderError(err))
                throw err;
            // a step of the work, not a failure: said after it is done, in the words of the result
            await this.mkdirs(parentPath);
            this.transport.logger.info(`made the folder ${parentPath} for the space`);
            return op();
        }
    }
}
/** 404 (any code: RESOURCE_DOES_NOT_EXIST, NOT_FOUND) or 400 "Tree node with path '…' does not exist". */
function isMissingParentFolderError(err) {
    if (!(err instanceof GenieApiError) || err.status === undefined)
        return false;
    if (err.status === 404)
        return true;
    return err.status === 400 && /tree node with path .* does not exist/i.test(err.apiMessage);
}
/** Thrown by the surfacing view's `sleep` in place of waiting: the transport wanted to retry a 429. */
class DeferredRetry extends Error {
    waitMs;
    constructor(waitMs) {
        super('rate limited');
        this.waitMs = waitMs;
    }
}
/**
 * A view of `base` (same fetch, auth, secrets, clock; `Object.create` keeps every field) whose retry
 * policy hands the first 429 back to the caller: with two attempts allowed and no total budget, a
 * 429 — the only outcome the transport retries for a non-idempotent POST — leads to exactly one
 * `sleep(wait)`, where `wait` is the Retry-After (uncapped here; zero base delay makes "no
 * Retry-After" read as 0). That sleep throws DeferredRetry instead of waiting. Other failures keep
 * the transport's behaviour (a POST's 5xx or lost connection is not retried and is `ambiguous`).
 * The transport's "retrying in …" line is demoted to debug: the caller logs its own.
 */
function rateLimitSurfacingTransport(base) {
    const logger = {
        debug: (m) => base.logger.debug(m),
        info: (m) => base.logger.debug(m),
        warn: (m) => base.logger.warn(m),
        error: (m) => base.logger.error(m)
    };
    return Object.create(base, {
        retry: {
            value: { ...base.retry, maxAttempts: 2, maxTotalMs: Number.POSITIVE_INFINITY, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: Number.POSITIVE_INFINITY }
        },
        sleep: { value: (ms) => Promise.reject(new DeferredRetry(ms)) },
        // its caller paces a 429 itself (the sleep above never waits): no shared pause; the run's
        // retry budget stays shared with the base transport
        shared: {
            value: {
                pausedUntil: 0,
                pauses: false,
                get retriesUsed() {
                    return base.shared.retriesUsed;
                },
                set retriesUsed(n) {
                    base.shared.retriesUsed = n;
                }
            }
        },
        logger: { value: logger }
    });
}
function conversationPath(spaceId, conversationId) {
    return `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/conversations/${seg(conversationId, 'conversation id')}`;
}
function messagePath(spaceId, conversationId, messageId) {
    return `${conversationPath(spaceId, conversationId)}/messages/${seg(messageId, 'message id')}`;
}
/** 404 RESOURCE_DOES_NOT_EXIST (or a bare 404): the path is not there. */
function isMissing(err) {
    return (err instanceof GenieApiError &&
        err.status === 404 &&
        (err.errorCode === undefined || err.errorCode === 'RESOURCE_DOES_NOT_EXIST' || err.errorCode === 'NOT_FOUND'));
}


function seg(value, what) {
    if (what === 'space')
        return encodeURIComponent((0,space_id/* checkSpaceId */.Y)(value, 'space id'));
    if (what === 'table name' || what === 'function name') {
        const name = String(value);
        const parts = name.split('.');
        const bad = parts.length !== 3 || parts.some((p) => p.trim() === '')
            ? 'is not catalog.schema.name (three non-empty parts)'
            : name.includes('`')
                ? 'holds a backtick (give the name unquoted)'
                : /[\u0000-\u001f\u007f-\u009f]/.test(name) || name.length > 768
                    ? 'holds a control character or is too long'
                    : undefined;
        if (bad)
            throw new util_errors/* SpaceOpsError */.Dc(`${what} ${JSON.stringify(name.slice(0, 80))} ${bad}`);
        return encodeURIComponent(name);
    }
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value) || value < 0)
            throw new util_errors/* SpaceOpsError */.Dc(`${what}: ${value} is not a whole number`);
        return String(value);
    }
    const bad = value === ''
        ? 'is empty'
        : value.length > 256
            ? 'is longer than 256 characters'
            : value === '.' || value === '..'
                ? 'is a relative path segment'
                : /[\u0000-\u001f\u007f-\u009f]/.test(value)
                    ? 'holds a control character'
                    : undefined;
    if (bad)
        throw new util_errors/* SpaceOpsError */.Dc(`${what} ${JSON.stringify(value.slice(0, 40))} ${bad}`);
    return encodeURIComponent(value);
}
function definedOnly(o) {
    const out = {};
    for (const [k, v] of Object.entries(o)) {
        if (v !== undefined)
            out[k] = v;
    }
    return out;
}
function summarizeIssues(error) {
    const first = error.issues.slice(0, 3).map((i) => {
        const where = i.path.length > 0 ? i.path.map(String).join('.') : '(root)';
        return `${where}: ${i.message}`;
    });
    const more = error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : '';
    return `${first.join('; ')}${more}`;
}

;// CONCATENATED MODULE: ./src/client/index.ts
/**
 * The Genie API client layer: hosts, auth, transport, errors, schemas and GenieClient.
 *
 * Typical use (action or CLI):
 *
 *   const secrets = new SecretRegistry([core.setSecret])
 *   const client = createGenieClient({ env: process.env, inputs, secrets, logger, getIdToken: core.getIDToken })
 *
 * `createGenieClient` resolves the host (input `host` > DATABRICKS_HOST), builds one transport, picks the
 * auth method (see auth.ts) and returns a GenieClient. Everything is injectable for tests.
 */



function createGenieClient(options) {
    const host = resolveHost(options.env, options.inputs, options.names);
    const transport = new HttpTransport({ ...options, env: options.env });
    const resolveOptions = { env: options.env, host, transport };
    if (options.inputs !== undefined)
        resolveOptions.inputs = options.inputs;
    if (options.getIdToken !== undefined)
        resolveOptions.getIdToken = options.getIdToken;
    if (options.logger !== undefined)
        resolveOptions.logger = options.logger;
    if (options.names !== undefined)
        resolveOptions.names = options.names;
    const auth = resolveAuth(resolveOptions);
    return new GenieClient({ host, auth, transport });
}







// EXTERNAL MODULE: external "node:path/posix"
var posix_ = __webpack_require__(3916);
var posix_default = /*#__PURE__*/__webpack_require__.n(posix_);
// EXTERNAL MODULE: ./src/model/convert.ts
var convert = __webpack_require__(7622);
;// CONCATENATED MODULE: ./src/deploy/records.ts







/**
 * Deploy records: what SpaceOps last wrote to a space, kept in the workspace the space lives in, as
 * Databricks Asset Bundles keep their deployment state — so every fresh checkout of every job sees
 * them. One small JSON file per definition, `<folder>/<key>.json`, where the folder is the
 * environment's `state_path`, by default `<parent_path>/.spaceops`, and the key is the definition's
 * folder name (as in `spaces.<key>` of the promotion config).
 *
 * A record binds the definition to its space (so a changed title renames the same space) and holds:
 * - `deployed`: the content SpaceOps last wrote and verified, when, by which run and commit, and the
 *   etag it got back;
 * - `intent`: the content SpaceOps is about to write, recorded BEFORE the write and cleared after it
 *   is verified. A live space equal to a recorded intent is SpaceOps' own work (a run that died between
 *   its write and its record), never an "edit outside SpaceOps".
 * Records never hold a secret: the writer refuses a text in which a registered secret appears.
 */
const RECORDS_DIR = '.spaceops';
const RunSchema = schemas/* object */.Ikc({
    kind: schemas/* enum */.k5n(['github-actions', 'cli']),
    repository: schemas/* string */.YjP().optional(),
    workflow: schemas/* string */.YjP().optional(),
    job: schemas/* string */.YjP().optional(),
    run_id: schemas/* string */.YjP().optional(),
    run_attempt: schemas/* string */.YjP().optional(),
    actor: schemas/* string */.YjP().optional(),
    commit: schemas/* string */.YjP().optional(),
    ref: schemas/* string */.YjP().optional(),
    user: schemas/* string */.YjP().optional()
});
const ContentSchema = schemas/* object */.Ikc({
    title: schemas/* string */.YjP().nullable(),
    description: schemas/* string */.YjP().nullable(),
    warehouse_id: schemas/* string */.YjP().nullable(),
    parent_path: schemas/* string */.YjP().nullable(),
    serialized_space: schemas/* unknown */.L5J()
});
const DeployRecordSchema = schemas/* object */.Ikc({
    format: schemas/* literal */.euz('spaceops-deploy-record'),
    version: schemas/* literal */.euz(2),
    key: schemas/* string */.YjP(),
    environment: schemas/* string */.YjP().nullable(),
    space_id: schemas/* string */.YjP().nullable(),
    deployed: schemas/* object */.Ikc({ at: schemas/* string */.YjP(), run: RunSchema, etag: schemas/* string */.YjP().nullable(), content: ContentSchema }).nullable(),
    intent: schemas/* object */.Ikc({ at: schemas/* string */.YjP(), run: RunSchema, space_id: schemas/* string */.YjP().nullable(), content: ContentSchema }).nullable(),
    /** where the record came from when it was migrated from a spaceops-state.json */
    migrated_from: schemas/* string */.YjP().optional()
});
/** Who is running: from the workflow's variables (GitHub Actions) or the user (CLI). Holds no secret. */
function runInfo(env, face) {
    const gh = env.GITHUB_ACTIONS === 'true' || face === 'action';
    const pick = (v) => (v && v.length <= 200 && !/[\u0000-\u001f]/.test(v) ? v : undefined);
    const out = { kind: gh ? 'github-actions' : 'cli' };
    const fields = gh
        ? [
            ['repository', env.GITHUB_REPOSITORY],
            ['workflow', env.GITHUB_WORKFLOW],
            ['job', env.GITHUB_JOB],
            ['run_id', env.GITHUB_RUN_ID],
            ['run_attempt', env.GITHUB_RUN_ATTEMPT],
            ['actor', env.GITHUB_ACTOR],
            ['commit', env.GITHUB_SHA],
            ['ref', env.GITHUB_REF]
        ]
        : [
            ['user', env.USER ?? env.USERNAME],
            ['commit', env.GITHUB_SHA]
        ];
    for (const [k, v] of fields) {
        const p = pick(v);
        if (p !== undefined)
            out[k] = p;
    }
    return out;
}
/** One line naming a run: `owner/repo run 123 (attempt 2, deploy/promote) at 1a2b3c4`. */
function describeRun(run) {
    if (run.kind === 'cli')
        return `spaceops CLI${run.user ? ` (${run.user})` : ''}${run.commit ? ` at ${run.commit.slice(0, 7)}` : ''}`;
    const what = [run.run_attempt && run.run_attempt !== '1' ? `attempt ${run.run_attempt}` : '', [run.workflow, run.job].filter(Boolean).join('/')]
        .filter(Boolean)
        .join(', ');
    return `${run.repository ?? 'a workflow'}${run.run_id ? ` run ${run.run_id}` : ''}${what ? ` (${what})` : ''}${run.commit ? ` at ${run.commit.slice(0, 7)}` : ''}`;
}
/** The records folder: `state_path`, else `<parent_path>/.spaceops`; undefined when neither is known. */
function recordsFolder(o) {
    const raw = o.statePath ?? (o.parentPath ? posix_default().join(o.parentPath, RECORDS_DIR) : undefined);
    if (!raw)
        return undefined;
    const p = posix_default().normalize(raw).replace(/\/+$/, '');
    if (!p.startsWith('/'))
        throw new util_errors/* SpaceOpsError */.Dc(`state_path ${JSON.stringify(raw)} is not an absolute workspace path (e.g. /Workspace/Shared/genie/.spaceops)`);
    return p;
}
/** A key as a file name: the definition folder name, with anything unusual percent-encoded. */
function recordFile(folder, key) {
    const safe = encodeURIComponent(key).replace(/^\.+/, (m) => '%2E'.repeat(m.length));
    if (!safe)
        throw new util_errors/* SpaceOpsError */.Dc('a deploy record needs a non-empty definition key');
    return `${folder}/${safe}.json`;
}
class RecordsUnreadableError extends util_errors/* SpaceOpsError */.Dc {
    constructor(message) {
        super(message);
        this.name = 'RecordsUnreadableError';
    }
}
/**
 * Reads one record. undefined = there is none. Anything else that goes wrong — no permission, the
 * API failing, a file that is not a record — throws RecordsUnreadableError: the drift guard fails
 * closed on it rather than deploying over edits it could not check.
 */
async function readRecord(client, folder, key) {
    const file = recordFile(folder, key);
    let text;
    try {
        text = await client.readWorkspaceFile(file);
    }
    catch (err) {
        // no access: the records are there but not for us. Anything else (no answer, a 5xx after the
        // retries) is an error of the run itself, as for any other call to that host
        if (err instanceof GenieApiError && (err.status === 401 || err.status === 403)) {
            throw new RecordsUnreadableError(`cannot read the deploy record ${file} on ${client.host}: ${(0,util_errors/* describeError */.Uc)(err)}${permissionHint(err, folder, 'read')}`);
        }
        throw err;
    }
    if (text === undefined)
        return undefined;
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (err) {
        throw new RecordsUnreadableError(`the deploy record ${file} on ${client.host} is not valid JSON (${err.message}); delete it to start afresh`);
    }
    const parsed = DeployRecordSchema.safeParse(json);
    if (!parsed.success)
        throw new RecordsUnreadableError(`${file} on ${client.host} is not a SpaceOps deploy record (version 2); delete it to start afresh`);
    if (parsed.data.key !== key)
        throw new RecordsUnreadableError(`${file} on ${client.host} is the record of "${parsed.data.key}", not "${key}"`);
    return parsed.data;
}
/** Writes one record (creating the folder). Throws a one-line SpaceOpsError naming the folder and the permission. */
async function writeRecord(w, record) {
    const file = recordFile(w.folder, record.key);
    const text = `${JSON.stringify(DeployRecordSchema.parse(record), null, 2)}\n`;
    if (w.containsSecret?.(text))
        throw new util_errors/* SpaceOpsError */.Dc(`the deploy record ${file} would contain a secret; it was not written`);
    try {
        // the folder is made when it is missing, not before every write: records are written under the
        // deploy lock, whose file is in the same folder. The docs do not say what import answers for a
        // missing parent folder; Databricks answers 404 RESOURCE_DOES_NOT_EXIST (isMissingParentFolderError).
        try {
            await writeChecked(w.client, file, text, true);
        }
        catch (err) {
            if (!isMissingParentFolderError(err))
                throw err;
            await ensureFolder(w.client, w.folder);
            await writeChecked(w.client, file, text, true);
        }
    }
    catch (err) {
        throw new util_errors/* SpaceOpsError */.Dc(`could not write the deploy record ${file} on ${w.client.host}: ${(0,util_errors/* describeError */.Uc)(err)}${permissionHint(err, w.folder, 'write')}`);
    }
}
/**
 * Workspace writes of records and locks make ONE attempt; when its answer is unclear (a 5xx, a lost
 * response), the file is read back: the same text there means the write went through. Cheaper and
 * surer than repeating a write whose first try may have been applied.
 */
async function writeChecked(client, file, text, overwrite) {
    try {
        await client.writeWorkspaceFile(file, text, { overwrite, retry: false });
    }
    catch (err) {
        if (!(err instanceof GenieApiError) || !err.ambiguous)
            throw err;
        if ((await client.readWorkspaceFile(file)) !== text)
            throw err;
    }
}
/** mkdirs, one attempt; an unclear answer is checked with get-status. */
async function ensureFolder(client, folder) {
    try {
        await client.mkdirs(folder, { retry: false });
    }
    catch (err) {
        if (!(err instanceof GenieApiError) || !err.ambiguous)
            throw err;
        if ((await client.workspaceStatus(folder))?.object_type !== 'DIRECTORY')
            throw err;
    }
}
function permissionHint(err, folder, what) {
    if (!(err instanceof GenieApiError) || (err.status !== 403 && err.status !== 401))
        return '';
    return what === 'write'
        ? ` — the deploying principal needs Can Edit (or Can Manage) on the folder ${folder}, or set state_path to a folder it can write`
        : ` — the deploying principal needs Can Read on the folder ${folder}`;
}
function contentOf(space) {
    return (0,convert/* renderPayload */.Jg)(space);
}
/** A recorded content as a Space, to compare with the live one. */
function recordedSpace(content, what) {
    const r = readPayload(`${what}.recorded.json`, content);
    if (!('space' in r))
        throw new RecordsUnreadableError(`the deploy record of ${what} cannot be read as a space: ${r.problems[0]?.message ?? 'unknown problem'}`);
    return r.space;
}
/**
 * What changed from a recorded write to the live space. Settings the record leaves unset (a
 * definition that leaves the warehouse or folder to the workspace) are not compared: they were
 * never SpaceOps' to keep.
 */
function sinceRecorded(recorded, live) {
    const meta = { ...live.meta };
    for (const k of Object.keys(meta))
        if (recorded.meta[k] === undefined || recorded.meta[k] === null)
            delete meta[k];
    return diffSpaces(recorded, { ...live, meta }, { onlyDesiredMeta: false });
}
/** Is the live space what SpaceOps left there? Compared by content, as Genie would treat it. */
function ownership(record, liveId, live, key) {
    if (!record)
        return { kind: 'no-record' };
    const sameSpace = (id) => id === null || id === liveId;
    if (record.intent && sameSpace(record.intent.space_id ?? record.space_id)) {
        const d = sinceRecorded(recordedSpace(record.intent.content, key), live);
        if (!d.changes.length)
            return { kind: 'own', fromIntent: true, at: record.intent.at, run: record.intent.run };
    }
    if (record.space_id !== null && record.space_id !== liveId)
        return { kind: 'other-space', recordedId: record.space_id };
    if (!record.deployed) {
        if (record.intent) {
            const d = sinceRecorded(recordedSpace(record.intent.content, key), live);
            return { kind: 'edited', diff: d, at: record.intent.at, run: record.intent.run };
        }
        return { kind: 'no-record' };
    }
    const diff = sinceRecorded(recordedSpace(record.deployed.content, key), live);
    if (!diff.changes.length)
        return { kind: 'own', fromIntent: false, at: record.deployed.at, run: record.deployed.run };
    return { kind: 'edited', diff, at: record.deployed.at, run: record.deployed.run };
}
/** The record after an intent to write `space` (kept `deployed` until the write is verified). */
function withIntent(prev, o) {
    return {
        format: 'spaceops-deploy-record',
        version: 2,
        key: o.key,
        environment: o.environment ?? prev?.environment ?? null,
        space_id: o.spaceId ?? prev?.space_id ?? null,
        deployed: prev?.deployed ?? null,
        intent: { at: o.now.toISOString(), run: o.run, space_id: o.spaceId ?? null, content: contentOf(o.space) }
    };
}
/** The record after a verified write. */
function completed(o) {
    return {
        format: 'spaceops-deploy-record',
        version: 2,
        key: o.key,
        environment: o.environment ?? null,
        space_id: o.spaceId,
        deployed: { at: o.now.toISOString(), run: o.run, etag: o.etag ?? null, content: contentOf(o.space) },
        intent: null
    };
}

;// CONCATENATED MODULE: ./src/deploy/lock.ts







/**
 * The deploy lock: one file, `<records folder>/deploy.lock`, in the workspace beside the deploy
 * records, so that two runs deploying to the same environment (two pushes, two promotes, a push and
 * a promote) take turns — as Terraform locks its state and Databricks Asset Bundles lock a
 * deployment. Taking it is an atomic create (`workspace/import` with `overwrite: false` answers
 * RESOURCE_ALREADY_EXISTS when someone holds it). The file names its holder's run and an expiry
 * (2 minutes by default): while a run holds the lock it renews it every quarter of that (a
 * heartbeat) and before each write, so a long benchmark gate cannot outlive it, and a run that died
 * (a cancelled job, a killed runner) leaves a lock that others take over within minutes.
 *
 * A create whose answer was lost is resolved by reading the file back: the holder id is ours, or not.
 */
const LockSchema = schemas/* object */.Ikc({
    format: schemas/* literal */.euz('spaceops-deploy-lock'),
    version: schemas/* literal */.euz(1),
    id: schemas/* string */.YjP(),
    run: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* string */.YjP()),
    acquired_at: schemas/* string */.YjP(),
    expires_at: schemas/* string */.YjP()
});
const DEFAULT_LOCK_WAIT_MS = 5 * 60_000;
const DEFAULT_LOCK_TTL_MS = 2 * 60_000;
const lockFile = (folder) => `${folder}/deploy.lock`;
function parse(text) {
    if (text === undefined)
        return undefined;
    try {
        const r = LockSchema.safeParse(JSON.parse(text));
        return r.success ? r.data : 'unreadable';
    }
    catch {
        return 'unreadable';
    }
}
const holderOf = (l) => describeRun(l.run);
async function acquireLock(o) {
    const file = lockFile(o.folder);
    const id = (0,external_node_crypto_.randomUUID)();
    const ttl = o.ttlMs ?? DEFAULT_LOCK_TTL_MS;
    const waitMs = o.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    const poll = o.pollMs ?? 2000;
    const content = () => {
        const now = o.now();
        return {
            format: 'spaceops-deploy-lock',
            version: 1,
            id,
            run: o.run,
            acquired_at: now.toISOString(),
            expires_at: new Date(now.getTime() + ttl).toISOString()
        };
    };
    const text = (l) => `${JSON.stringify(l, null, 2)}\n`;
    const deadline = o.now().getTime() + waitMs;
    let waitingSaid = false;
    let folderMade = false;
    let heartbeat;
    let beatWarned = false;
    const lock = {
        file,
        held: true,
        refresh: async () => {
            const current = parse(await o.client.readWorkspaceFile(file));
            if (typeof current !== 'object' || current.id !== id) {
                throw new util_errors/* SpaceOpsError */.Dc(`the deploy lock ${file} is no longer this run's (${typeof current === 'object' ? `now held by ${holderOf(current)}` : 'it was removed'}): nothing more is written`);
            }
            await writeChecked(o.client, file, text({ ...content(), acquired_at: current.acquired_at }), true);
        },
        release: async () => {
            if (heartbeat)
                clearInterval(heartbeat);
            try {
                const current = parse(await o.client.readWorkspaceFile(file));
                if (typeof current === 'object' && current.id === id)
                    await o.client.deleteWorkspaceFile(file);
                else
                    o.logger.warn(`the deploy lock ${file} was taken over before this run released it`);
            }
            catch (err) {
                o.logger.warn(`could not release the deploy lock ${file}: ${(0,util_errors/* describeError */.Uc)(err)} — it expires by itself`);
            }
        }
    };
    const held = () => {
        heartbeat = setInterval(() => {
            lock.refresh().catch((err) => {
                if (!beatWarned)
                    o.logger.warn(`could not renew the deploy lock ${file}: ${(0,util_errors/* describeError */.Uc)(err)}`);
                beatWarned = true;
            });
        }, Math.max(50, Math.floor(ttl / 4)));
        heartbeat.unref();
        return lock;
    };
    for (;;) {
        try {
            if (!folderMade) {
                await ensureFolder(o.client, o.folder);
                folderMade = true;
            }
            await o.client.writeWorkspaceFile(file, text(content()), { overwrite: false, retry: false });
            return held();
        }
        catch (err) {
            if (!(err instanceof GenieApiError))
                throw err;
            if (err.status === 403 || err.status === 401) {
                o.logger.warn(`could not take the deploy lock ${file}: ${err.message}${permissionHint(err, o.folder, 'write')}; going on without it (concurrent deploys to this environment are not serialised)`);
                return { ...lock, held: false, refresh: async () => { }, release: async () => { } };
            }
            if (!err.ambiguous && err.errorCode !== 'RESOURCE_ALREADY_EXISTS')
                throw new util_errors/* SpaceOpsError */.Dc(`could not take the deploy lock ${file}: ${err.message}`);
        }
        // Someone holds it — or our own create was applied and its answer lost: read it.
        const current = parse(await o.client.readWorkspaceFile(file));
        if (current === undefined) {
            // released meanwhile (or our ambiguous create was not applied): try again, within the wait
            if (o.now().getTime() >= deadline)
                throw new util_errors/* SpaceOpsError */.Dc(`could not take the deploy lock ${file}: the workspace gave no clear answer within the lock timeout`);
            await o.sleep(200);
            continue;
        }
        if (current !== 'unreadable' && current.id === id)
            return held();
        const now = o.now().getTime();
        if (current !== 'unreadable' && Date.parse(current.expires_at) <= now) {
            o.logger.warn(`taking over the deploy lock ${file}: held by ${holderOf(current)} since ${current.acquired_at}, expired ${current.expires_at}`);
            await writeChecked(o.client, file, text(content()), true);
            // a second run taking over at the same moment: the last writer wins, the other sees it here
            await o.sleep(Math.min(poll, 1000));
            const check = parse(await o.client.readWorkspaceFile(file));
            if (typeof check === 'object' && check.id === id)
                return held();
            continue;
        }
        const who = current === 'unreadable' ? 'an unreadable lock file' : `${holderOf(current)} since ${current.acquired_at} (expires ${current.expires_at})`;
        if (now >= deadline) {
            throw new util_errors/* SpaceOpsError */.Dc(`the deploy lock ${file} is held by ${who}: another run is deploying to this environment. Try again when it is done${current === 'unreadable' ? '' : `, or after ${current.expires_at} if that run died`}${waitMs ? ` (waited ${Math.round(waitMs / 1000)} s${(0,core_names/* viaOption */.Cn)(o.names ?? core_names/* NEUTRAL_NAMES */.lJ, 'lock-timeout', '; ', ' sets how long')})` : ''}`);
        }
        if (!waitingSaid)
            o.logger.info(`waiting for the deploy lock ${file}, held by ${who}`);
        waitingSaid = true;
        await o.sleep(Math.min(poll, Math.max(0, deadline - now)));
    }
}
/** Runs `fn` holding the lock; releases it whatever happens. */
async function withLock(o, fn) {
    const lock = await acquireLock(o);
    try {
        return await fn(lock);
    }
    finally {
        await lock.release();
    }
}
/**
 * Lock timing from a face's settings: the wait (`--lock-timeout` / input `lock-timeout`) and, from
 * the environment, `SPACEOPS_LOCK_TTL` (how soon a dead run's lock may be taken over; default 2m).
 */
function lockSettings(env, waitMs, names) {
    const ttl = env.SPACEOPS_LOCK_TTL?.trim();
    return {
        ...(names ? { names } : {}),
        ...(waitMs !== undefined ? { waitMs } : {}),
        ...(ttl ? { ttlMs: Math.max(1000, (0,duration/* parseDuration */.E)(ttl, 'SPACEOPS_LOCK_TTL', { minMs: 0 })) } : {})
    };
}
/**
 * The deploy locks of one run whose definitions are handled side by side: the run takes a records
 * folder's lock once and its workers share it (a count of holders; the last one out releases it),
 * so workers of the same run never wait on each other's lock while other runs still wait on this
 * run's. Each definition still does everything it does under the lock (reads its record again,
 * records intent and result); definitions that may resolve to the same space are kept apart by the
 * modes (see util/pool.ts KeyedMutex), not by this lock.
 */
class RunLocks {
    onAcquired;
    held = new Map();
    /**
     * Does the run hold this folder's lock right now (taken, not yet released)? A worker that joins
     * it from here on reads and writes under the lock from its first read: no other SpaceOps run can
     * write the folder's records or spaces in between, so what it reads need not be read again.
     */
    isHeld(folder) {
        const entry = this.held.get(folder);
        return entry?.taken === true && entry.users > 0;
    }
    /** `onAcquired`: called each time a lock is really taken (the run's listings are stale from then on) */
    constructor(onAcquired) {
        this.onAcquired = onAcquired;
    }
    async hold(folder, acquire) {
        let entry = this.held.get(folder);
        if (!entry) {
            const lock = acquire().then((l) => {
                this.onAcquired?.();
                if (created)
                    created.taken = true;
                return l;
            });
            const created = { lock, users: 0 };
            entry = created;
            this.held.set(folder, entry);
            lock.catch(() => {
                if (this.held.get(folder)?.lock === lock)
                    this.held.delete(folder);
            });
        }
        entry.users++;
        let real;
        try {
            real = await entry.lock;
        }
        catch (err) {
            entry.users--;
            throw err;
        }
        const mine = entry;
        let released = false;
        return {
            file: real.file,
            held: real.held,
            refresh: () => real.refresh(),
            release: async () => {
                if (released)
                    return;
                released = true;
                if (--mine.users > 0)
                    return;
                if (this.held.get(folder) === mine)
                    this.held.delete(folder);
                await real.release();
            }
        };
    }
}

;// CONCATENATED MODULE: ./src/deploy/space-index.ts

/**
 * One listing of a workspace's spaces per run, shared by every definition of the run: the first
 * definition that must find its space by title lists all pages once; every other one looks in the
 * index (by id, by title + folder). A definition with a space id or a deploy record's binding never
 * needs the listing, so a run where every definition has one lists nothing.
 *
 * The index is kept current with this run's own writes (`noteWritten`); spaces created or renamed
 * by someone else during the run are not seen — as with any listing, which is a snapshot too. The
 * lookup after an ambiguous create does not use the index: it lists afresh (see deploy/push.ts).
 */
class SpaceIndex {
    client;
    listing;
    constructor(client) {
        this.client = client;
    }
    all() {
        if (!this.listing) {
            const p = (async () => {
                const byId = new Map();
                for await (const s of this.client.listSpaces())
                    byId.set(s.space_id, s);
                return byId;
            })();
            // a failed listing is not kept: the next definition tries again (and reports its own error)
            p.catch(() => {
                if (this.listing === p)
                    this.listing = undefined;
            });
            this.listing = p;
        }
        return this.listing;
    }
    /** Spaces with this title in this folder (any folder when the definition names none). */
    async find(meta) {
        return matching((await this.all()).values(), meta);
    }
    /** Forget the listing: the next look-up lists again (the run has just taken a deploy lock). */
    invalidate() {
        this.listing = undefined;
    }
    /** The run wrote this space (created, updated, renamed or moved it): the index says so from now on. */
    noteWritten(space) {
        if (!this.listing)
            return; // not listed yet: the listing, when made, will see it
        void this.listing.then((byId) => {
            const before = byId.get(space.space_id);
            const { serialized_space: _drop, ...meta } = { ...before, ...space };
            byId.set(space.space_id, meta);
        }, () => undefined);
    }
}
function matching(spaces, meta) {
    const wantParent = normalizeParentPath(meta.parent_path);
    const found = [];
    for (const s of spaces) {
        if (s.title !== meta.title)
            continue;
        if (wantParent !== undefined && normalizeParentPath(s.parent_path) !== wantParent)
            continue;
        found.push(s);
    }
    return found;
}
/**
 * The indexes of one run: one per client (one client per workspace / environment). Whatever was
 * listed before the run took a deploy lock may miss what another run wrote before releasing it, so
 * the modes call `invalidate` when a lock is taken (RunLocks' onAcquired): the look-up made again
 * under the lock lists afresh, once per lock taken, as it did before indexes.
 */
class RunIndexes {
    made = new Map();
    invalidate() {
        for (const index of this.made.values())
            index.invalidate();
    }
    for(client) {
        let index = this.made.get(client);
        if (!index)
            this.made.set(client, (index = new SpaceIndex(client)));
        return index;
    }
}

;// CONCATENATED MODULE: ./src/deploy/push.ts







const NO_DIFF = { changes: [], counts: { add: 0, change: 0, remove: 0 } };
function desiredSpace(space, overrides = {}) {
    const meta = { ...space.meta };
    for (const [k, v] of Object.entries(overrides)) {
        if (v !== undefined && v !== null && v !== '')
            meta[k] = v;
    }
    return { meta, document: space.document, ...(space.permissions ? { permissions: space.permissions } : {}) };
}
/**
 * Spaces with this title in this folder (any folder when the definition names none): from the run's
 * index when there is one, else from a listing of their own.
 */
async function findSpaces(client, meta, index) {
    if (index)
        return index.find(meta);
    const all = [];
    for await (const s of client.listSpaces())
        all.push(s);
    return matching(all, meta);
}
function requireTitle(meta, names = core_names/* NEUTRAL_NAMES */.lJ) {
    if (!meta.title?.trim())
        throw new util_errors/* SpaceOpsError */.Dc(`the space has no title: set title in the definition${(0,core_names/* viaOption */.Cn)(names, 'title', ' or pass ')} (the title is how a re-run finds the space it created)`);
    return meta.title;
}
/**
 * The live space a definition deploys to: the given id; else the space its deploy record binds it
 * to (`boundId`, so a changed title renames the same space), when that space still exists; else the
 * one with its title in its folder.
 */
async function locateSpace(client, desired, spaceId, boundId, index, names = core_names/* NEUTRAL_NAMES */.lJ) {
    if (spaceId)
        return client.getSpace(spaceId);
    if (boundId) {
        try {
            return await client.getSpace(boundId);
        }
        catch (err) {
            // trashed or deleted since it was recorded (the API answers 404, or 403 for a trashed space)
            if (!(err instanceof GenieApiError) || (err.status !== 404 && err.status !== 403))
                throw err;
        }
    }
    const matches = await findSpaces(client, desired.meta, index);
    if (matches.length > 1) {
        const where = desired.meta.parent_path ? ` in ${desired.meta.parent_path}` : '';
        throw new util_errors/* SpaceOpsError */.Dc(`${matches.length} spaces are titled "${desired.meta.title}"${where} (${matches.map((m) => m.space_id).join(', ')}): ${(0,core_names/* viaOption */.Cn)(names, 'space-id', 'pass ', ' to say which one to update', 'give the space id of the one to update')}`);
    }
    const match = matches[0];
    return match ? client.getSpace(match.space_id) : undefined;
}
async function pushSpace(client, space, options) {
    const desired = desiredSpace(space, options.overrides);
    const names = options.names ?? core_names/* NEUTRAL_NAMES */.lJ;
    const title = requireTitle(desired.meta, names);
    // `live`: the caller has just located the space (null: it has none)
    const live = options.live === undefined ? await locateSpace(client, desired, options.spaceId, options.boundId, options.index, names) : (options.live ?? undefined);
    if (!live) {
        const warehouse = desired.meta.warehouse_id;
        // the lock-out guard (the deploying principal keeps CAN_MANAGE) before any write, dry run too
        if (desired.permissions)
            await planGrants(client, undefined, desired.permissions, `space "${title}"`);
        if (options.dryRun)
            return { action: 'would-create', title, diff: NO_DIFF };
        if (!warehouse)
            throw new util_errors/* SpaceOpsError */.Dc(`cannot create "${title}": no warehouse_id — set it in the definition${(0,core_names/* viaOption */.Cn)(names, 'warehouse-id', ', the environment config, or pass ', '', ' or the environment config')}`);
        const body = {
            warehouse_id: warehouse,
            serialized_space: JSON.stringify(desired.document),
            title,
            ...(desired.meta.description !== undefined ? { description: desired.meta.description } : {}),
            ...(desired.meta.parent_path !== undefined ? { parent_path: desired.meta.parent_path } : {})
        };
        const attempts = options.createAttempts ?? 4;
        const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
        for (let attempt = 1;; attempt++) {
            try {
                const created = await client.createSpace(body);
                // the face reports the result (once); this trace names no title: untrusted text stays out of debug commands
                options.logger.debug(`created space ${created.space_id}`);
                options.index?.noteWritten({
                    space_id: created.space_id,
                    title,
                    ...(desired.meta.parent_path !== undefined ? { parent_path: desired.meta.parent_path } : {})
                });
                // the grants after the content: the new space's own (its creator's) against the definition's
                const grantsWritten = desired.permissions
                    ? await applyGrants(client, created.space_id, await planGrants(client, created.space_id, desired.permissions, `space "${title}"`), options.logger)
                    : undefined;
                return {
                    action: 'created',
                    spaceId: created.space_id,
                    title,
                    diff: NO_DIFF,
                    ...(created.etag ? { etag: created.etag } : {}),
                    ...(grantsWritten !== undefined ? { grantsWritten } : {})
                };
            }
            catch (err) {
                if (!(err instanceof GenieApiError) || !err.ambiguous)
                    throw err;
                // The create may have been applied and only its answer lost: look before anything else.
                options.logger.warn(`no clear answer to "create space" (${err.message}); looking for the space it may have created`);
                await sleep(1000 * attempt);
                // a fresh listing, never the run's index: only the server knows whether the create happened
                const matches = await findSpaces(client, desired.meta);
                if (matches.length > 1)
                    throw err;
                const adopted = matches[0];
                if (adopted) {
                    options.logger.info(`found space ${adopted.space_id} "${title}" made by that request; checking its content`);
                    options.index?.noteWritten(adopted);
                    return { ...(await updateIfDifferent(client, desired, await client.getSpace(adopted.space_id), options)), action: 'created', diff: NO_DIFF };
                }
                // Verified that nothing was created: only now is trying again safe.
                if (attempt >= attempts)
                    throw err;
                options.logger.info(`no space was created; trying again (attempt ${attempt + 1} of ${attempts})`);
            }
        }
    }
    return updateIfDifferent(client, desired, live, options);
}
/** The result of a push that found the live space as desired (`diff` has no changes). */
function unchangedResult(desired, liveApi, diff) {
    return { action: 'unchanged', spaceId: liveApi.space_id, title: desired.meta.title ?? liveApi.title, diff, ...(liveApi.etag ? { etag: liveApi.etag } : {}) };
}
async function updateIfDifferent(client, wanted, liveApi, options) {
    const title = wanted.meta.title ?? liveApi.title;
    const spaceId = liveApi.space_id;
    // with permissions: the live direct grants and the grants to write (the lock-out guard) join the diff
    const withLive = await withGrants(client, spaceId, live_spaceFromApi(liveApi), wanted, `space ${spaceId} "${title}"`);
    const live = withLive.live;
    const desired = withLive.desired;
    const diff = diffSpaces(live, desired);
    if (!diff.changes.length)
        return unchangedResult(desired, liveApi, diff);
    if (options.dryRun)
        return { action: 'would-update', spaceId, title, diff };
    const contentChanged = diff.changes.some((c) => c.what !== 'grant');
    if (!contentChanged && withLive.grants) {
        const grantsWritten = await applyGrants(client, spaceId, withLive.grants, options.logger);
        return { action: 'updated', spaceId, title, diff, ...(liveApi.etag ? { etag: liveApi.etag } : {}), grantsWritten };
    }
    const docChanged = JSON.stringify(desired.document) !== JSON.stringify(live.document);
    const m = desired.meta;
    const patch = {
        ...(docChanged ? { serialized_space: JSON.stringify(desired.document) } : {}),
        ...(m.title !== undefined && m.title !== live.meta.title ? { title: m.title } : {}),
        ...(m.description !== undefined && m.description !== (live.meta.description ?? '') ? { description: m.description } : {}),
        ...(m.warehouse_id && m.warehouse_id !== live.meta.warehouse_id ? { warehouse_id: m.warehouse_id } : {}),
        ...(m.parent_path !== undefined && normalizeParentPath(m.parent_path) !== normalizeParentPath(live.meta.parent_path) ? { parent_path: m.parent_path } : {}),
        // the etag just read: a concurrent edit between our read and our write fails with 409
        ...(liveApi.etag ? { etag: liveApi.etag } : {})
    };
    let updated;
    try {
        updated = await client.updateSpace(spaceId, patch);
    }
    catch (err) {
        if (err instanceof GenieApiError && err.status === 409) {
            throw new util_errors/* SpaceOpsError */.Dc(`space ${spaceId} "${title}" was changed by someone else while pushing (etag mismatch); nothing was written — run again to see the new state`);
        }
        throw err;
    }
    options.logger.debug(`updated space ${spaceId}: ${diff.changes.length} change(s)`);
    const parentNow = updated.parent_path ?? m.parent_path ?? live.meta.parent_path;
    options.index?.noteWritten({ space_id: spaceId, title: updated.title || title, ...(parentNow ? { parent_path: parentNow } : {}) });
    // the grants after the content (one PUT, only when they differ)
    const grantsWritten = withLive.grants ? await applyGrants(client, spaceId, withLive.grants, options.logger) : undefined;
    return { action: 'updated', spaceId, title, diff, ...(updated.etag ? { etag: updated.etag } : {}), ...(grantsWritten !== undefined ? { grantsWritten } : {}) };
}

;// CONCATENATED MODULE: ./src/deploy/recorded.ts







async function readBinding(ctx) {
    if (!ctx.folder)
        return {};
    try {
        const record = await readRecord(ctx.client, ctx.folder, ctx.key);
        if (record)
            return { record };
    }
    catch (err) {
        if (err instanceof RecordsUnreadableError)
            return { unreadable: err };
        throw err;
    }
    const legacy = await ctx.legacy?.();
    return legacy ? { record: legacy, migrated: true } : {};
}
const UNKNOWN_TO_GUARD = "the deploy itself is not affected, but the next run's drift guard will not know this write";
/** Writes a record; a failure is a warning (`what` it was, and what follows), never a failed deploy. */
async function tryWrite(ctx, record, what, consequence = UNKNOWN_TO_GUARD) {
    if (!ctx.folder)
        return false;
    try {
        await writeRecord({ client: ctx.client, folder: ctx.folder, ...(ctx.containsSecret ? { containsSecret: ctx.containsSecret } : {}) }, record);
        return true;
    }
    catch (err) {
        ctx.logger.warn(`${(0,util_errors/* describeError */.Uc)(err)} (${what})${consequence ? `; ${consequence}` : ''}`);
        return false;
    }
}
/** After a rollback the live space is what it was before: the record keeps its earlier write (a new space trashed: no binding). */
async function recordRolledBack(ctx, prev, created) {
    if (!prev && created)
        return;
    const record = prev
        ? { ...prev, intent: null, ...(created ? { space_id: null, deployed: null } : {}) }
        : { format: 'spaceops-deploy-record', version: 2, key: ctx.key, environment: ctx.environment ?? null, space_id: null, deployed: null, intent: null };
    await tryWrite(ctx, record, 'after the rollback', undefined);
}
function recordIntent(ctx, prev, space, spaceId) {
    return tryWrite(ctx, withIntent(prev, { key: ctx.key, environment: ctx.environment, spaceId, space, run: ctx.run, now: ctx.now() }), 'the intent before the write');
}
async function recordCompleted(ctx, spaceId, etag, space, migrated = false) {
    const ok = await tryWrite(ctx, completed({ key: ctx.key, environment: ctx.environment, spaceId, etag, space, run: ctx.run, now: ctx.now() }), 'the record of the write');
    if (ok && migrated)
        ctx.logger.info(`migrated the deploy record of ${ctx.key} into the workspace (${ctx.folder}); the local state file is no longer read for it`);
    return ok;
}
/**
 * Does the record already say that `space` (as live now) is what was deployed? When it does not —
 * an intent never completed, a legacy record, an older write — an unchanged run completes it.
 * An unchanged run with no record at all writes none: nothing was written, and the next write
 * records itself (its intent comes first).
 */
function recordIsCurrent(record, spaceId, live) {
    if (!record?.deployed || record.intent || record.space_id !== spaceId || record.migrated_from)
        return false;
    return sinceRecorded(recordedSpace(record.deployed.content, record.key), live).changes.length === 0;
}
const lockKey = (ctx, folder) => `${ctx.client.host}\u0000${folder}`;
/** Runs `fn` under the records folder's deploy lock (or without one when there is no folder). */
async function underLock(ctx, fn) {
    if (!ctx.folder) {
        ctx.logger.info(`no folder for deploy records of ${ctx.key} (set parent_path or state_path): not recorded, not locked`);
        return fn(undefined);
    }
    const folder = ctx.folder;
    const take = () => acquireLock({ client: ctx.client, folder, run: ctx.run, logger: ctx.logger, now: ctx.now, sleep: ctx.sleep, ...(ctx.lock ?? {}) });
    const lock = ctx.locks ? await ctx.locks.hold(lockKey(ctx, folder), take) : await take();
    try {
        return await fn(lock);
    }
    finally {
        await lock.release();
    }
}
/**
 * push with records: the record's binding finds the space (so a renamed definition updates the same
 * space); the intent is recorded before the write and completed after it.
 */
async function pushWithRecords(client, space, options, ctx) {
    if (options.dryRun) {
        const { record } = await readBinding(ctx);
        return pushSpace(client, space, { ...options, ...(record?.space_id ? { boundId: record.space_id } : {}) });
    }
    // the run holds this folder's lock already (another definition is writing under it): join it and
    // read once, under it — nobody else can write the record or the space's binding meanwhile
    if (ctx.folder && ctx.locks?.isHeld(lockKey(ctx, ctx.folder)))
        return underLock(ctx, async () => writeUnderLock(client, space, options, ctx, await readBinding(ctx)));
    // nothing to write (the space and its record are current): no lock either
    const desiredNow = desiredSpace(space, options.overrides);
    // a space id given names the space whatever the record says: both are read at once
    const given = options.spaceId ? locateSpace(client, desiredNow, options.spaceId, undefined, options.index, options.names) : undefined;
    given?.catch(() => undefined); // not looked at when the records cannot be read (the write below looks again)
    const pre = await readBinding(ctx);
    const liveNow = pre.unreadable
        ? undefined
        : await (given ?? locateSpace(client, desiredNow, options.spaceId, pre.record?.space_id ?? undefined, options.index, options.names));
    // permissions as code: the lock-out guard before the lock or any write (a new space too)
    if (!liveNow && desiredNow.permissions)
        await withGrants(client, undefined, undefined, desiredNow, `space "${desiredNow.meta.title ?? ctx.key}"`);
    if (liveNow) {
        // read once, compared once: the live space as the model has it
        const liveSpace = live_spaceFromApi(liveNow);
        // with permissions, the grants are compared too (and the lock-out guard runs before any lock or write)
        const w = await withGrants(client, liveNow.space_id, liveSpace, desiredNow, `space ${liveNow.space_id} "${desiredNow.meta.title ?? liveNow.title}"`);
        const diff = diffSpaces(w.live ?? liveSpace, w.desired);
        if (!diff.changes.length && (!pre.record || recordIsCurrent(pre.record, liveNow.space_id, liveSpace)))
            return unchangedResult(w.desired, liveNow, diff);
    }
    return underLock(ctx, async () => writeUnderLock(client, space, options, ctx, await readBinding(ctx)));
}
/** The write of `pushWithRecords`, under the lock, with the binding read under it. */
async function writeUnderLock(client, space, options, ctx, binding) {
    if (binding.unreadable)
        ctx.logger.warn(`${binding.unreadable.message}; finding the space by its title instead`);
    const record = binding.record;
    const desired = desiredSpace(space, options.overrides);
    const live = await locateSpace(client, desired, options.spaceId, record?.space_id ?? undefined, options.index, options.names);
    if (live && live.title !== desired.meta.title && desired.meta.title)
        ctx.logger.info(`renaming space ${live.space_id} "${live.title}" to "${desired.meta.title}"`);
    if (live && !diffSpaces(live_spaceFromApi(live), desired).changes.length) {
        const result = await pushSpace(client, space, { ...options, live });
        // a record left incomplete (a run that died after its write) is completed; none is made for a write SpaceOps did not do
        if (record && !recordIsCurrent(record, live.space_id, live_spaceFromApi(live)))
            await recordCompleted(ctx, live.space_id, live.etag, desired, binding.migrated);
        return result;
    }
    await recordIntent(ctx, record, desired, live?.space_id);
    const result = await pushSpace(client, space, { ...options, live: live ?? null });
    if (result.spaceId)
        await recordCompleted(ctx, result.spaceId, result.etag, desired, binding.migrated);
    return result;
}
/** The records context of a plain push (no promotion config): the definition's folder, or `statePath`. */
function pushRecordsContext(o) {
    const desired = desiredSpace(o.space, o.overrides);
    return {
        client: o.client,
        folder: recordsFolder({ statePath: o.statePath, parentPath: desired.meta.parent_path }),
        key: o.key,
        run: o.run,
        logger: o.logger,
        now: () => new Date(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        ...(o.lock ? { lock: o.lock } : {}),
        ...(o.containsSecret ? { containsSecret: o.containsSecret } : {}),
        ...(o.locks ? { locks: o.locks } : {})
    };
}

// EXTERNAL MODULE: ./src/promote/config.ts
var promote_config = __webpack_require__(6176);
// EXTERNAL MODULE: ./node_modules/diff/libesm/diff/array.js + 1 modules
var array = __webpack_require__(8965);
;// CONCATENATED MODULE: ./src/plan/render.ts



/** The preflight lines of a plan in the terminal: the headline, then each finding. */
function preflightLines(p, indent) {
    if (!p.preflight)
        return [];
    return [`${indent}${(0,printable/* printable */.g$)(p.preflight.summary)}`, ...p.preflight.findings.map((f) => `${indent}  ${f.severity}: ${(0,printable/* printable */.g$)(f.text)}`)];
}
/** The preflight of a plan in Markdown, above its diff; at `counts` only the headline. */
function preflightMarkdown(p, detail) {
    if (!p.preflight)
        return [];
    const errors = p.preflight.findings.some((f) => f.severity === 'error');
    const head = `${errors ? '❌' : p.preflight.findings.length ? '⚠️' : '✅'} <b>${esc((0,printable/* printable */.g$)(p.preflight.summary))}</b>`;
    if (detail === 'counts' || !p.preflight.findings.length)
        return [head];
    const shown = detail === 'summary' ? p.preflight.findings.filter((f) => f.severity === 'error') : p.preflight.findings;
    const more = p.preflight.findings.length - shown.length;
    return [
        head,
        '',
        ...shown.map((f) => `- ${f.severity === 'error' ? '❌' : '⚠️'} ${cell(f.text)}`),
        ...(more ? [`- …and ${more} warning${more === 1 ? '' : 's'}`] : [])
    ];
}
const SIGN = { add: '+', remove: '-', change: '~' };
const MINUS = '−';
/**
 * Line diff of two texts, with `context` unchanged lines around each change. jsdiff's `diffArrays`
 * (Myers' O(ND) algorithm, memory linear in the texts and the differences): any text within the
 * API's limits plans in bounded time and memory. Past `maxEditLength` differences (two texts with
 * next to nothing in common) it stops looking and shows the old text removed and the new one added.
 */
function lineDiff(before, after, context = 2) {
    const a = before.split('\n');
    const b = after.split('\n');
    const parts = (0,array/* diffArrays */.E)(a, b, { maxEditLength: MAX_EDIT_LENGTH }) ?? [
        { value: a, removed: true, added: false, count: a.length },
        { value: b, removed: false, added: true, count: b.length }
    ];
    const ops = [];
    // deletions first, then insertions, as unified diffs show them
    let adds = [];
    for (const part of parts) {
        if (part.added) {
            for (const line of part.value)
                adds.push({ op: '+', line });
            continue;
        }
        if (!part.removed) {
            ops.push(...adds);
            adds = [];
        }
        for (const line of part.value)
            ops.push({ op: part.removed ? '-' : ' ', line });
    }
    ops.push(...adds);
    // an unchanged line is shown when a change is within `context` lines of it
    const near = new Array(ops.length).fill(false);
    ops.forEach((o, k) => {
        if (o.op === ' ')
            return;
        for (let x = Math.max(0, k - context); x <= Math.min(ops.length - 1, k + context); x++)
            near[x] = true;
    });
    const out = [];
    let skipped = false;
    ops.forEach((o, k) => {
        if (near[k]) {
            if (skipped && out.length)
                out.push('…');
            skipped = false;
            out.push(`${o.op} ${o.line}`);
        }
        else
            skipped = true;
    });
    return out;
}
/**
 * Beyond this many differing lines a line-by-line alignment tells a reader of a plan nothing more
 * (and the report degrades to a summary anyway); it also bounds the time: the search costs about
 * lines × differences, so ~60 ms for 12,500-line texts (bench/scale measures it).
 */
const MAX_EDIT_LENGTH = 1_000;
const show = (v) => {
    if (v === undefined)
        return '(unset)';
    if (typeof v === 'string')
        return JSON.stringify(v.length > 120 ? `${v.slice(0, 119)}…` : v);
    return JSON.stringify(v);
};
const isMultiline = (f) => typeof f.before === 'string' && typeof f.after === 'string' && (f.before.includes('\n') || f.after.includes('\n') || f.before.length + f.after.length > 100);
/** "+2 tables, ~1 instruction, −1 example query" */
function summaryLine(diff) {
    if (!diff?.changes.length)
        return 'no changes';
    const parts = [];
    const groups = new Map();
    for (const c of diff.changes) {
        const g = groups.get(c.what) ?? { add: 0, change: 0, remove: 0 };
        g[c.kind]++;
        groups.set(c.what, g);
    }
    const plural = (what, n) => {
        if (n === 1)
            return what;
        if (what === 'space')
            return 'space settings';
        return SECTIONS.find((s) => s.what === what)?.plural ?? `${what}s`;
    };
    // space settings by name ("~title"), then items by kind and section
    for (const c of diff.changes)
        if (c.what === 'space')
            parts.push(`~${c.name}`);
    groups.delete('space');
    // grants last, on their own: "grants +1 ~1 −1"
    const grants = groups.get('grant');
    groups.delete('grant');
    for (const kind of ['add', 'change', 'remove']) {
        for (const [what, g] of groups)
            if (g[kind])
                parts.push(`${kind === 'remove' ? MINUS : SIGN[kind]}${g[kind]} ${plural(what, g[kind])}`);
    }
    if (grants)
        parts.push(`grants ${['add', 'change', 'remove']
            .filter((k) => grants[k])
            .map((k) => `${k === 'remove' ? MINUS : SIGN[k]}${grants[k]}`)
            .join(' ')}`);
    return parts.join(', ');
}
/** What an added or removed item holds, so a reviewer sees the SQL or text, not only its name. */
function valueLines(c, indent) {
    if (!c.value || typeof c.value !== 'object' || c.kind === 'change')
        return [];
    const sign = SIGN[c.kind];
    const out = [];
    for (const [key, v] of Object.entries(c.value)) {
        if (key === 'id' || v === undefined || v === null)
            continue;
        if (typeof v === 'string') {
            if (v === c.name || (key === 'identifier' && c.what.includes('table')))
                continue;
            if (v.includes('\n') || key === 'sql' || key === 'content' || key === 'condition') {
                out.push(`${indent}    ${sign} ${key}:`);
                for (const line of v.replace(/\n$/, '').split('\n'))
                    out.push(`${indent}    ${sign}   ${line}`);
            }
            else
                out.push(`${indent}    ${sign} ${key}: ${show(v)}`);
        }
        else if (Array.isArray(v)) {
            if (!v.length)
                continue;
            if (v.every((x) => x && typeof x === 'object' && ('column_name' in x || 'name' in x))) {
                for (const x of v)
                    out.push(`${indent}    ${sign} ${key === 'column_configs' ? 'column' : 'parameter'} ${String(x.column_name ?? x.name)}`);
            }
            else
                out.push(`${indent}    ${sign} ${key}: ${show(v)}`);
        }
        else
            out.push(`${indent}    ${sign} ${key}: ${show(v)}`);
    }
    return out;
}
/** A grant in one line: `+ group analysts CAN_RUN`, `~ user x CAN_VIEW → CAN_EDIT` (the principal is untrusted text). */
function grantLine(c, indent) {
    const level = (v) => (0,printable/* printable */.g$)(String(v?.level ?? ''));
    const f = c.fields[0];
    const levels = c.kind === 'change' && f ? `${(0,printable/* printable */.g$)(String(f.before))} → ${(0,printable/* printable */.g$)(String(f.after))}` : level(c.value);
    return `${indent}${SIGN[c.kind]} ${(0,printable/* printable */.g$)(c.name)} ${levels}`;
}
function itemLines(c, indent) {
    if (c.what === 'grant')
        return [grantLine(c, indent)];
    const out = [`${indent}${SIGN[c.kind]} ${c.what}${c.what === 'space' ? '' : ':'} ${c.what === 'space' ? c.name : c.name}`, ...valueLines(c, indent)];
    for (const f of c.fields) {
        if (c.what === 'space') {
            out[0] = `${indent}~ ${f.field.replace('_', ' ')}: ${show(f.before)} → ${show(f.after)}`;
            continue;
        }
        if (f.kind === 'change' && isMultiline(f)) {
            out.push(`${indent}    ~ ${f.field}:`);
            for (const l of lineDiff(f.before, f.after))
                out.push(`${indent}      ${l}`);
        }
        else if (f.kind === 'change')
            out.push(`${indent}    ~ ${f.field}: ${show(f.before)} → ${show(f.after)}`);
        else if (f.kind === 'add')
            out.push(`${indent}    + ${f.field}${isPlain(f.after) ? `: ${show(f.after)}` : ''}`);
        else
            out.push(`${indent}    - ${f.field}${isPlain(f.before) ? `: ${show(f.before)}` : ''}`);
    }
    return out;
}
const isPlain = (v) => v === null || typeof v !== 'object';
const renamed = (p) => (p.renamedFrom !== undefined ? `renamed from "${(0,printable/* printable */.g$)(p.renamedFrom)}" · ` : '');
// The title is the space's (untrusted, one line): a line break in it must not start a line.
const headline = (p) => {
    const target = p.target ? ` in ${p.target}` : '';
    const id = p.spaceId ? ` (${p.spaceId})` : '';
    const title = `"${(0,printable/* printable */.g$)(p.title)}"`;
    switch (p.status) {
        case 'new':
        case 'created':
        case 'blocked':
            return `${title}${target}${p.status === 'new' ? '' : id}: ${outcome(p)}`;
        case 'unchanged':
            return `${title}${target}${id}: no changes`;
        case 'error':
            return `${title}${target}${id}: error — ${(0,printable/* printable */.g$)(p.error ?? 'unknown error')}`;
        default:
            return `${title}${target}${id}: ${renamed(p)}${summaryLine(p.diff)}`;
    }
};
function renderText(plans) {
    const out = [];
    for (const p of plans) {
        out.push(`${p.definition}: ${headline(p)}`);
        out.push(...preflightLines(p, '  '));
        if (isCreation(p) && p.diff)
            out.push(...contentLines(p.diff, '  '));
        else
            for (const c of p.diff?.changes ?? [])
                out.push(...itemLines(c, '  '));
    }
    return `${out.join('\n')}\n`;
}
function planCounts(plans) {
    const counts = { changed: 0, unchanged: 0, new: 0, error: 0, created: 0, blocked: 0 };
    for (const p of plans)
        counts[p.status]++;
    return counts;
}
const esc = (s) => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]);
const fence = (body, lang = 'diff') => {
    const ticks = body.includes('```') ? '````' : '```';
    return `${ticks}${lang}\n${body}\n${ticks}`;
};
/** Markdown for one space at a level of detail. */
function spaceMarkdown(p, detail) {
    const icon = ICON[p.status];
    const summary = `${icon} <b>${esc(p.title)}</b>${p.target ? ` → <code>${esc(p.target)}</code>` : ''} — ${esc(p.status === 'error' ? `error: ${p.error ?? ''}` : (outcome(p) ?? renamed(p) + summaryLine(p.diff)))}`;
    const checks = preflightMarkdown(p, detail);
    if (isCreation(p) && detail !== 'counts' && p.diff?.changes.length)
        return [...(checks.length ? [...checks, ''] : []), contentMarkdown(p, summary, detail)].join('\n');
    if (detail === 'counts' || p.status === 'unchanged' || (p.status !== 'changed' && !p.diff?.changes.length)) {
        const line = `- ${summary} <sub>${esc(p.definition)}${p.spaceId ? ` · ${p.spaceId}` : ''}</sub>`;
        return checks.length ? [line, '', ...checks.map((l) => (l ? `  ${l}` : l))].join('\n') : line;
    }
    const lines = [];
    if (detail === 'summary') {
        for (const c of p.diff?.changes ?? [])
            lines.push(`${SIGN[c.kind]} ${c.what === 'space' ? c.name : `${c.what}: ${c.name}`}`);
    }
    else {
        // in a ```diff block only a sign in column 0 is coloured: move each line's sign there
        for (const c of p.diff?.changes ?? [])
            for (const l of itemLines(c, ''))
                lines.push(l.replace(/^(\s+)([+\-~])/, '$2$1'));
    }
    return [
        ...(checks.length ? [...checks, ''] : []),
        `<details><summary>${summary}</summary>`,
        '',
        `<sub>${esc(p.definition)}${p.spaceId ? ` · space ${p.spaceId}` : ''}</sub>`,
        '',
        fence(lines.join('\n')),
        '',
        '</details>'
    ].join('\n');
}
const ICON = { changed: '📝', new: '🆕', unchanged: '✅', error: '❌', created: '🆕', blocked: '⛔' };
const STATUS_CELL = {
    changed: '📝 changed',
    new: '🆕 new',
    unchanged: '✅ unchanged',
    error: '❌ error',
    created: '🆕 created',
    blocked: '⛔ blocked'
};
/** A table cell of untrusted text: one line, no cell break, no HTML, no Markdown. */
const cell = (s) => esc((0,printable/* printable */.g$)(s)).replace(/[|\\`*_[\]]/g, (c) => `\\${c}`);
/** One row per space (status, one-line summary), the way a reader of 200 spaces scans them. */
function spacesTable(plans) {
    const rows = plans.map((p) => {
        const what = p.status === 'error' ? `error: ${p.error ?? ''}` : (outcome(p) ?? renamed(p) + summaryLine(p.diff));
        return `| ${cell(p.title)} <sub>${cell(p.definition)}</sub> | ${STATUS_CELL[p.status]} | ${cell(what.length > 200 ? `${what.slice(0, 199)}…` : what)} |`;
    });
    return ['| Space | Status | Summary |', '|---|---|---|', ...rows].join('\n');
}
/**
 * Markdown at a level of detail. With more than one space: a table with a row per space first,
 * then the details of the spaces that change (at `counts`, the table of those alone and how many
 * are unchanged — the level that still fits when hundreds of spaces change).
 */
function renderMarkdown(plans, options = {}) {
    const detail = options.detail ?? 'full';
    const c = planCounts(plans);
    const head = `### ${options.title ?? 'SpaceOps plan'}\n\n**${c.changed}** changed · **${c.unchanged}** unchanged · **${c.new}** new${c.created ? ` · **${c.created}** created` : ''}${c.blocked ? ` · **${c.blocked}** blocked` : ''} · **${c.error}** error${c.error === 1 ? '' : 's'}`;
    let body;
    if (plans.length > 1) {
        const moving = plans.filter((p) => p.status !== 'unchanged');
        if (detail === 'counts') {
            body = [
                moving.length ? spacesTable(moving) : '',
                c.unchanged ? `${moving.length ? '…and ' : ''}${c.unchanged} unchanged space${c.unchanged === 1 ? '' : 's'}` : ''
            ]
                .filter(Boolean)
                .join('\n\n');
        }
        else {
            const details = moving.filter((p) => p.diff?.changes.length).map((p) => spaceMarkdown(p, detail));
            body = [spacesTable(plans), ...details].join('\n\n');
        }
    }
    else
        body = plans.map((p) => spaceMarkdown(p, detail)).join('\n\n');
    return `${[head, '', body, ...(options.footer ? ['', options.footer] : [])].join('\n')}\n`;
}
function renderJson(plans) {
    return `${JSON.stringify({
        schema_version: 1,
        counts: planCounts(plans),
        spaces: plans.map((p) => ({
            definition: p.definition,
            title: p.title,
            target: p.target ?? null,
            space_id: p.spaceId ?? null,
            status: p.status,
            summary: outcome(p) ?? summaryLine(p.diff),
            error: p.error ?? null,
            changes: p.diff?.changes ?? [],
            ...(p.preflight ? { preflight: p.preflight } : {})
        }))
    }, null, 2)}\n`;
}
/**
 * A new space's plan (and a created space's report) shows what the space holds, not only that it
 * will exist: a one-line count of its parts, and at full detail every part as an addition, in a
 * collapsed section so a large space does not push the rest of the report out of view.
 */
const isCreation = (p) => p.status === 'new' || p.status === 'created';
/** What a space holds, as the diff from nothing to it: every part an addition. */
function render_contentOf(space) {
    return diffSpaces({ meta: {}, document: { version: 2 } }, space);
}
/** "3 tables, 2 example queries, 1 instruction" — the parts (not the settings) a space holds. */
function holdsLine(content) {
    const counts = new Map();
    for (const c of content?.changes ?? [])
        if (c.kind === 'add' && c.what !== 'space')
            counts.set(c.what, (counts.get(c.what) ?? 0) + 1);
    const parts = SECTIONS.filter((s) => counts.has(s.what)).map((s) => {
        const n = counts.get(s.what) ?? 0;
        return `${n} ${n === 1 ? s.what : s.plural}`;
    });
    return parts.length ? parts.join(', ') : 'nothing yet (no tables, instructions or examples)';
}
/** The one line of a plan whose status says more than its diff (new, created, blocked); else undefined. */
function outcome(p) {
    if (p.status === 'new')
        return p.diff ? `will be created, holding ${holdsLine(p.diff)}` : 'will be created';
    if (p.status === 'created')
        return p.diff ? `created, holding ${holdsLine(p.diff)}` : 'created';
    if (p.status === 'blocked')
        return `blocked: ${p.error ?? 'unknown reason'}`;
    return undefined;
}
/** Settings as they will be set (`+ warehouse id: "…"`), then the parts, each with what it holds. */
function contentLines(content, indent) {
    const lines = [];
    for (const c of content.changes) {
        if (c.what === 'space')
            lines.push(`${indent}+ ${c.name}: ${show(c.fields[0]?.after)}`);
        // in a ```diff block (no indent) only a sign in column 0 is coloured: move each line's sign there
        else
            for (const l of itemLines(c, indent))
                lines.push(indent ? l : l.replace(/^(\s+)([+\-~])/, '$2$1'));
    }
    return lines;
}
function contentMarkdown(p, summary, detail) {
    const changes = p.diff?.changes ?? [];
    const lines = detail === 'summary'
        ? changes.map((c) => `+ ${c.what === 'space' ? c.name : `${c.what}: ${c.name}`}`)
        : contentLines({ changes, counts: { add: changes.length, change: 0, remove: 0 } }, '');
    return [
        `<details><summary>${summary}</summary>`,
        '',
        `<sub>${esc(p.definition)}${p.spaceId ? ` · space ${p.spaceId}` : ''} · what the space ${p.status === 'created' ? 'now holds' : 'will hold'}</sub>`,
        '',
        fence(lines.join('\n')),
        '',
        '</details>'
    ].join('\n');
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/preview/preview.ts





/**
 * Preview spaces: a pull request's version of a space, deployed as a temporary space of the
 * preview environment (`previewEnvironment` in promote/config.ts) so it can be measured before the
 * merge. A preview lives in `<parent_path>/previews/pr-<number>`, titled `<title> [PR #<number>]`,
 * with the environment's warehouse and mappings (the caller renders it, as promote does).
 *
 * Records: a preview never touches a real environment's deploy record. It has records of its own in
 * the preview folder (`<parent_path>/previews/pr-<number>/.spaceops/<key>.json`), written by the same
 * `pushWithRecords` as every deploy: the binding finds the same preview on the next push (a PR that
 * renames its space still updates one preview), the intent is recorded before each write, and the
 * folder's deploy lock keeps two runs of the same PR from creating two previews. The records folder
 * of the environment (`<parent_path>/.spaceops`) is never read or written here.
 */
const PREVIEWS_DIR = 'previews';
/** The folder of a pull request's previews under an environment's folder. */
function previewFolder(parentPath, pr) {
    checkPr(pr);
    const base = parentPath.replace(/\/+$/, '');
    return `${base}/${PREVIEWS_DIR}/pr-${pr}`;
}
const previewTitle = (title, pr, of = 'pr') => `${title} [PR #${pr}${of === 'base' ? ' base' : ''}]`;
/** The records key of a preview (the base's preview has its own record beside the PR's). */
const previewKey = (key, of = 'pr') => (of === 'base' ? `${key}@base` : key);
function checkPr(pr) {
    if (!Number.isInteger(pr) || pr <= 0)
        throw new util_errors/* SpaceOpsError */.Dc(`a pull request number must be a positive whole number, not ${pr}`);
}
/** A definition rendered for the preview environment, moved to the PR's preview folder and titled for it. */
function previewSpace(rendered, pr, definitionFile, of = 'pr') {
    const parent = rendered.meta.parent_path;
    if (!parent)
        throw new util_errors/* SpaceOpsError */.Dc(`${definitionFile}: a preview needs a folder: set parent_path in the preview environment of the promotion config (or in the definition)`);
    const title = requireTitle(rendered.meta);
    return { meta: { ...rendered.meta, parent_path: previewFolder(parent, pr), title: previewTitle(title, pr, of) }, document: rendered.document };
}
/** Creates the PR's preview of a definition, or updates the one it already has (never a second one). */
async function deployPreview(o) {
    const space = previewSpace(o.rendered, o.pr, o.definitionFile, o.of);
    const folder = space.meta.parent_path;
    const ctx = {
        client: o.client,
        folder: recordsFolder({ parentPath: folder }),
        key: previewKey(o.key, o.of),
        // not the name of an environment: a record of a preview can never be taken for one of `environment`
        environment: `${o.environment} preview pr-${o.pr}`,
        run: o.run,
        logger: o.logger,
        now: o.now,
        sleep: o.sleep,
        ...(o.containsSecret ? { containsSecret: o.containsSecret } : {}),
        ...(o.lock ? { lock: o.lock } : {}),
        ...(o.locks ? { locks: o.locks } : {})
    };
    const result = await pushWithRecords(o.client, space, { logger: o.logger, sleep: o.sleep }, ctx);
    if (!result.spaceId)
        throw new util_errors/* SpaceOpsError */.Dc(`${o.definitionFile}: the preview was not written (${result.action})`);
    return { spaceId: result.spaceId, action: result.action, title: space.meta.title, folder };
}
const PREVIEW_FOLDER = new RegExp(`/${PREVIEWS_DIR}/pr-([1-9]\\d{0,9})/?$`);
/**
 * A space SpaceOps made as a pull-request preview, by its name alone: a folder `…/previews/pr-<n>`
 * and a title ending ` [PR #<n>]` or ` [PR #<n> base]` with the same n. Adoption leaves such spaces
 * out (they are trashed when their pull request closes).
 */
function isPreviewSpace(parentPath, title) {
    const folder = PREVIEW_FOLDER.exec(normalizeParentPath(parentPath) ?? '');
    const named = / \[PR #([1-9]\d{0,9})(?: base)?\]$/.exec(title);
    return !!folder && !!named && folder[1] === named[1];
}
/** `<root>/previews/pr-<n>` → n, for a folder directly under one of `roots`; else undefined. */
function previewNumber(parentPath, roots) {
    const p = normalizeParentPath(parentPath);
    if (!p)
        return undefined;
    for (const root of roots) {
        const r = normalizeParentPath(root);
        if (!r)
            continue;
        const prefix = `${r === '/' ? '' : r}/${PREVIEWS_DIR}/pr-`;
        if (!p.startsWith(prefix))
            continue;
        const n = p.slice(prefix.length);
        if (/^[1-9]\d{0,9}$/.test(n))
            return Number(n);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/core/formats.ts




/** Writing the model in each file format. */
function formats_toYamlText(space) {
    return (0,source/* dumpYaml */.M7)((0,convert/* spaceToAuthoring */.lW)(space));
}
/** A `.geniespace.json` holds the document only (as bundles use it); title etc. are not part of it. */
function formats_toGeniespaceText(space) {
    return `${JSON.stringify(space.document, null, 2)}\n`;
}
function toPayloadText(space) {
    return `${JSON.stringify(renderPayload(space), null, 2)}\n`;
}
function textFor(file, space) {
    const kind = formatOf(file);
    if (kind === 'yaml')
        return formats_toYamlText(space);
    if (kind === 'json')
        return formats_toGeniespaceText(space);
    throw new SpaceOpsError(`${file}: unknown output format; use a .yaml/.yml or .geniespace.json file name`);
}

// EXTERNAL MODULE: ./src/core/files.ts
var core_files = __webpack_require__(9928);
// EXTERNAL MODULE: ./src/sql/index.ts + 6 modules
var src_sql = __webpack_require__(5699);
;// CONCATENATED MODULE: ./src/promote/remap.ts





function mappingOf(envc) {
    return { catalogs: envc.mappings.catalogs, schemas: envc.mappings.schemas, tables: envc.mappings.tables };
}
function renderForEnvironment(space, envc, settings) {
    const r = remapSpace(space, mappingOf(envc));
    const meta = r.space.meta;
    if (settings.warehouse_id)
        meta.warehouse_id = settings.warehouse_id;
    if (settings.parent_path)
        meta.parent_path = settings.parent_path;
    if (settings.title)
        meta.title = settings.title;
    // the environment's grants replace the definition's (model/permissions.ts effectiveGrants)
    const grants = (0,permissions/* effectiveGrants */.FA)(space, envc);
    if (grants)
        r.space.permissions = grants;
    return r;
}
/** A space with every catalog / schema / table name mapped (the document, and names in the description). */
function remapSpace(space, mapping) {
    let replacements = 0;
    const ident = (name) => {
        const out = (0,src_sql/* remapIdentifier */.nl)(name, mapping);
        if (out !== name)
            replacements++;
        return out;
    };
    const sql = (lines) => {
        const r = (0,src_sql/* remapIdentifiers */.cw)((0,model_text/* fromLines */.O)(lines), mapping);
        replacements += r.replacements;
        return (0,model_text/* toLines */.P)(r.sql);
    };
    const prose = (lines) => {
        if (!lines)
            return lines;
        const r = (0,src_sql/* remapText */.jr)((0,model_text/* fromLines */.O)(lines), mapping);
        replacements += r.replacements;
        return (0,model_text/* toLines */.P)(r.text);
    };
    const doc = structuredClone(space.document);
    for (const key of ['tables', 'metric_views']) {
        for (const t of doc.data_sources?.[key] ?? []) {
            t.identifier = ident(t.identifier);
            if (t.description)
                t.description = prose(t.description);
            for (const c of t.column_configs ?? [])
                if (c.description)
                    c.description = prose(c.description);
        }
    }
    const ins = doc.instructions;
    for (const t of ins?.text_instructions ?? [])
        t.content = prose(t.content);
    for (const e of ins?.example_question_sqls ?? []) {
        e.sql = sql(e.sql);
        if (e.usage_guidance)
            e.usage_guidance = prose(e.usage_guidance);
    }
    for (const f of ins?.sql_functions ?? [])
        f.identifier = ident(f.identifier);
    for (const j of ins?.join_specs ?? []) {
        j.left.identifier = ident(j.left.identifier);
        j.right.identifier = ident(j.right.identifier);
        // the condition lines, then the relationship marker (left as is)
        const marker = j.sql.length && /^--rt=/.test(j.sql[j.sql.length - 1]?.trim() ?? '') ? j.sql[j.sql.length - 1] : undefined;
        const condition = marker ? j.sql.slice(0, -1) : j.sql;
        j.sql = [...sql(condition), ...(marker ? [marker] : [])];
        if (j.instruction)
            j.instruction = prose(j.instruction);
        if (j.comment)
            j.comment = prose(j.comment);
    }
    for (const list of [ins?.sql_snippets?.filters, ins?.sql_snippets?.expressions, ins?.sql_snippets?.measures]) {
        for (const s of list ?? []) {
            s.sql = sql(s.sql);
            if (s.instruction)
                s.instruction = prose(s.instruction);
            if (s.comment)
                s.comment = prose(s.comment);
        }
    }
    for (const b of doc.benchmarks?.questions ?? [])
        for (const a of b.answer)
            a.content = sql(a.content);
    const meta = { ...space.meta };
    if (meta.description) {
        const r = (0,src_sql/* remapText */.jr)(meta.description, mapping);
        replacements += r.replacements;
        meta.description = r.text;
    }
    // identifiers changed, so sort orders may have: canonicalise again
    return { space: { meta, document: (0,canonical/* canonicalizeDocument */._W)(doc) }, replacements };
}
/**
 * The inverse of renderForEnvironment: a live space of an environment in the source environment's
 * names (the inverse of its catalog, schema and table mappings, by identifier), with the settings
 * the environment gives (warehouse, folder, title) taken out of it: they are not the definition's.
 * A mapping that cannot be inverted (two names mapped to one) is an error naming both.
 */
function renderFromEnvironment(live, envc, settings, configFile) {
    const inv = (0,src_sql/* invertMapping */.Jq)(mappingOf(envc));
    if ('conflict' in inv) {
        const c = inv.conflict;
        const key = c.section === 'catalogs' ? 'catalog_mappings' : c.section === 'schemas' ? 'schema_mappings' : 'table_mappings';
        throw new util_errors/* SpaceOpsError */.Dc(`environments.${envc.name}.${key} maps both ${c.first} and ${c.second} to ${c.to}: a space of ${envc.name} cannot be mapped back to one of them`, { location: { file: configFile } });
    }
    const r = remapSpace(live, inv.mapping);
    const owned = { title: !!settings.title, warehouse_id: !!settings.warehouse_id, parent_path: !!settings.parent_path };
    for (const k of Object.keys(owned))
        if (owned[k])
            delete r.space.meta[k];
    return { ...r, owned };
}

;// CONCATENATED MODULE: ./src/promote/write-ids.ts





/**
 * `--write-ids`: record a space id in the promotion config (environments.<env>.spaces.<key>.space_id)
 * so the next run updates rather than looks up or creates. The file is edited as text — comments,
 * order and formatting stay — and re-read to prove the result holds the id before it is written.
 * The edit starts from the file as it is on disk now (not as this run read it at its start), under
 * a lock file beside it, so two runs writing ids at once keep both.
 */
async function writeSpaceId(loaded, env, key, spaceId, cwd) {
    const file = external_node_path_default().resolve(cwd, loaded.file);
    return withFileLock(`${file}.lock`, async () => {
        const config = (0,promote_config.parsePromotionConfig)(loaded.file, await (0,promises_.readFile)(file, 'utf8'));
        return editSpaceId(config, env, key, spaceId, file);
    });
}
async function editSpaceId(config, env, key, spaceId, file) {
    const lines = config.text.split('\n');
    const pos = (p) => (config.source.has(p) ? config.source.locate(p, 'key') : undefined);
    const indentOf = (line) => lines[line - 1]?.match(/^\s*/)?.[0].length ?? 0;
    const base = ['environments', env, 'spaces', key];
    const existing = config.environments[env]?.spaces?.[key]?.space_id;
    if (existing === spaceId)
        return false;
    const idPos = pos([...base, 'space_id']);
    const keyPos = pos(base);
    const spacesPos = pos(['environments', env, 'spaces']);
    const envPos = pos(['environments', env]);
    if (idPos) {
        const l = lines[idPos.line - 1] ?? '';
        lines[idPos.line - 1] = l.slice(0, idPos.col - 1) + l.slice(idPos.col - 1).replace(/^space_id\s*:\s*("[^"]*"|'[^']*'|[^,}\s#]*)/, `space_id: ${spaceId}`);
    }
    else if (keyPos) {
        const l = lines[keyPos.line - 1] ?? '';
        if (/:\s*\{/.test(l.slice(keyPos.col - 1)))
            lines[keyPos.line - 1] = l
                .replace(/\{\s*/, (_m) => `{ space_id: ${spaceId}${/\{\s*\}/.test(l) ? ' ' : ', '}`)
                .replace(/\{ space_id: ([0-9a-f]+) \s*\}/, '{ space_id: $1 }');
        else
            lines.splice(keyPos.line, 0, `${' '.repeat(indentOf(keyPos.line) + 2)}space_id: ${spaceId}`);
    }
    else if (spacesPos) {
        lines.splice(spacesPos.line, 0, `${' '.repeat(indentOf(spacesPos.line) + 2)}${key}: { space_id: ${spaceId} }`);
    }
    else if (envPos) {
        const indent = indentOf(envPos.line) + 2;
        lines.splice(envPos.line, 0, `${' '.repeat(indent)}spaces:`, `${' '.repeat(indent + 2)}${key}: { space_id: ${spaceId} }`);
    }
    else
        throw new util_errors/* SpaceOpsError */.Dc(`cannot write the space id: no environment "${env}"`, { location: { file: config.file } });
    const text = lines.join('\n');
    const check = (0,promote_config.parsePromotionConfig)(config.file, text);
    if (check.environments[env]?.spaces?.[key]?.space_id !== spaceId) {
        throw new util_errors/* SpaceOpsError */.Dc(`could not write the space id for ${env}/${key} safely; add it by hand: environments.${env}.spaces.${key}.space_id: ${spaceId}`, {
            location: { file: config.file }
        });
    }
    await (0,core_files/* writeFileAtomic */.Zf)(file, text);
    return true;
}
/** A lock file made with O_EXCL; one older than 30 s is left over from a run that died and is taken. */
async function withFileLock(lockPath, fn) {
    const deadline = Date.now() + 30_000;
    for (;;) {
        try {
            const handle = await (0,promises_.open)(lockPath, 'wx');
            await handle.close();
            break;
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                throw err;
            const age = await (0,promises_.stat)(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
            if (age > 30_000)
                await (0,promises_.unlink)(lockPath).catch(() => undefined);
            else if (Date.now() > deadline)
                throw new util_errors/* SpaceOpsError */.Dc(`${lockPath} is held by another run writing space ids`);
            else
                await new Promise((r) => setTimeout(r, 50 + Math.random() * 50));
        }
    }
    try {
        return await fn();
    }
    finally {
        await (0,promises_.unlink)(lockPath).catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/promote/adopt.ts













/** A folder name from a title: lowercase words joined by "-" (`Sales — EMEA` → `sales-emea`). */
function slugOf(title) {
    return title
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60)
        .replace(/-+$/, '');
}
/** A workspace path as compared: the API may answer without the /Workspace prefix (genie-api.md). */
const wsPath = (p) => p.replace(/\/+$/, '').replace(/^\/Workspace(?=\/|$)/, '') || '/';
const inFolder = (parent, folder) => {
    if (parent === undefined)
        return false;
    const f = wsPath(folder);
    const p = wsPath(parent);
    return p === f || p.startsWith(f === '/' ? '/' : `${f}/`);
};
const exists = (p) => (0,promises_.access)(p).then(() => true, () => false);
async function adoptSpaces(client, o) {
    const listed = await client.listAllSpaces();
    const chosen = listed
        .filter((s) => o.folder === undefined || inFolder(s.parent_path, o.folder))
        .sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.space_id < b.space_id ? -1 : 1));
    const written = [];
    const skipped = [];
    const slugs = new Map();
    for (const s of chosen) {
        const title = s.title;
        if (isPreviewSpace(s.parent_path, title)) {
            skipped.push({ spaceId: s.space_id, title, reason: 'a pull-request preview (trashed when its pull request closes), not a space to keep in Git' });
            continue;
        }
        const slug = slugOf(title) || `space-${s.space_id.slice(0, 8)}`;
        const taken = slugs.get(slug);
        if (taken !== undefined) {
            skipped.push({ spaceId: s.space_id, title, reason: `duplicate title: space ${taken} is written as ${slug}/` });
            continue;
        }
        slugs.set(slug, s.space_id);
        let live;
        try {
            live = await client.getSpace(s.space_id);
        }
        catch (err) {
            if (err instanceof GenieApiError && (err.status === 403 || err.status === 401)) {
                skipped.push({ spaceId: s.space_id, title, reason: 'no CAN EDIT permission (the document cannot be read)' });
                continue;
            }
            throw err;
        }
        if (live.serialized_space === undefined) {
            skipped.push({ spaceId: s.space_id, title, reason: 'no CAN EDIT permission (the document cannot be read)' });
            continue;
        }
        let liveSpace;
        try {
            liveSpace = live_spaceFromApi(live);
        }
        catch (err) {
            skipped.push({ spaceId: s.space_id, title, reason: (0,util_errors/* describeError */.Uc)(err) });
            continue;
        }
        const folderAbs = external_node_path_default().resolve(o.cwd, o.dir, slug);
        const file = external_node_path_default().join(o.dir, slug, 'space.yaml');
        if (!o.force && (await exists(folderAbs))) {
            skipped.push({
                spaceId: s.space_id,
                title,
                reason: `${external_node_path_default().join(o.dir, slug)}/ exists${(0,core_names/* viaOption */.Cn)(o.names ?? core_names/* NEUTRAL_NAMES */.lJ, 'force', ' (use ', ' to write over it)')}`
            });
            continue;
        }
        const settings = o.env ? (0,promote_config.spaceSettings)(o.env.envc, slug, false) : {};
        const definition = o.env ? renderFromEnvironment(liveSpace, o.env.envc, settings, o.env.config.file).space : liveSpace;
        await (0,core_files/* writeFileAtomic */.Zf)(external_node_path_default().join(folderAbs, 'space.yaml'), formats_toYamlText(definition), file);
        // the record goes where push and promote will read it: the folder the definition gets there
        const recorded = await recordAdoption(client, o, slug, live, liveSpace, settings.parent_path ?? live.parent_path);
        let idWritten = false;
        if (o.env?.writeIds)
            idWritten = await writeSpaceId(o.env.config, o.env.envc.name, slug, live.space_id, o.cwd);
        written.push({ spaceId: live.space_id, title, file, recorded, idWritten });
    }
    return { written, skipped };
}
/** The deploy record that binds the new definition to its space: what is live is what SpaceOps deployed. */
async function recordAdoption(client, o, key, live, space, parentPath) {
    const folder = recordsFolder({ statePath: o.env?.envc.state_path, parentPath });
    if (!folder) {
        o.logger.warn(`${key}: space ${live.space_id} has no folder and no state_path is set: no deploy record written`);
        return false;
    }
    const record = completed({
        key,
        ...(o.env ? { environment: o.env.envc.name } : {}),
        spaceId: live.space_id,
        etag: live.etag,
        space,
        run: o.run,
        now: o.now()
    });
    try {
        await writeRecord({ client, folder, ...(o.containsSecret ? { containsSecret: o.containsSecret } : {}) }, record);
        return true;
    }
    catch (err) {
        o.logger.warn(`${(0,util_errors/* describeError */.Uc)(err)}; ${key} is not bound to space ${live.space_id} by a record`);
        return false;
    }
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/util/line-diff.ts
/** Beyond this many cells (changed lines before × after) the middle is one replaced block. */
const MAX_CELLS = 4_000_000;
/**
 * With `withCommon`, unchanged lines are listed too (op ' '). The common head and tail are taken
 * off first (an edit is usually local), so a long file costs only its changed middle.
 */
function line_diff_lineDiff(before, after, withCommon = false) {
    const a = before.split('\n');
    const b = after.split('\n');
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head])
        head++;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail])
        tail++;
    const out = [];
    if (withCommon)
        for (let i = 0; i < head; i++)
            out.push({ op: ' ', line: a[i] });
    out.push(...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail), withCommon));
    if (withCommon)
        for (let i = a.length - tail; i < a.length; i++)
            out.push({ op: ' ', line: a[i] });
    return out;
}
function middle(a, b, withCommon) {
    const n = a.length;
    const m = b.length;
    if ((n + 1) * (m + 1) > MAX_CELLS)
        return [...a.map((line) => ({ op: '-', line })), ...b.map((line) => ({ op: '+', line }))];
    const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
    for (let i = n - 1; i >= 0; i--)
        for (let j = m - 1; j >= 0; j--)
            lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    const out = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] === b[j]) {
            if (withCommon)
                out.push({ op: ' ', line: a[i] });
            i++;
            j++;
        }
        else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j]))
            out.push({ op: '+', line: b[j++] });
        else
            out.push({ op: '-', line: a[i++] });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/model/edit.ts







/** Every list of the document, where it is in the wire document and in the authoring YAML. */
const KINDS = [
    { wire: ['data_sources', 'tables'], yaml: ['data_sources', 'tables'], key: (i) => String(i.identifier) },
    { wire: ['data_sources', 'metric_views'], yaml: ['data_sources', 'metric_views'], key: (i) => String(i.identifier) },
    { wire: ['instructions', 'join_specs'], yaml: ['joins'], key: (i) => String(i.id) },
    { wire: ['instructions', 'example_question_sqls'], yaml: ['example_queries'], key: (i) => String(i.id) },
    { wire: ['instructions', 'sql_functions'], yaml: ['sql_functions'], key: (i) => `${String(i.id)}|${String(i.identifier)}` },
    { wire: ['instructions', 'sql_snippets', 'filters'], yaml: ['filters'], key: (i) => String(i.id) },
    { wire: ['instructions', 'sql_snippets', 'expressions'], yaml: ['expressions'], key: (i) => String(i.id) },
    { wire: ['instructions', 'sql_snippets', 'measures'], yaml: ['measures'], key: (i) => String(i.id) },
    { wire: ['config', 'sample_questions'], yaml: ['sample_questions'], key: (i) => String(i.id) },
    { wire: ['benchmarks', 'questions'], yaml: ['benchmarks'], key: (i) => String(i.id) }
];
const TEXT_INSTRUCTIONS = ['instructions', 'text_instructions'];
function listAt(doc, path) {
    let cur = doc;
    for (const k of path)
        cur = cur && typeof cur === 'object' ? cur[k] : undefined;
    return Array.isArray(cur) ? cur : [];
}
/** A document holding one item at `path` (to convert or canonicalise that item alone). */
function wrap(path, item) {
    const root = { version: 2 };
    let cur = root;
    path.forEach((k, i) => {
        if (i === path.length - 1)
            cur[k] = [item];
        else
            cur = (cur[k] ??= {});
    });
    return root;
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
/** The authoring form of one live item. */
function authorOne(kind, item) {
    const a = (0,convert/* spaceToAuthoring */.lW)({ meta: {}, document: (0,canonical/* canonicalizeDocument */._W)(wrap(kind.wire, item)) });
    const list = listAt(a, kind.yaml);
    return list[0];
}
/** The target: the live document, with the metadata the definition keeps as it is. */
function targetSpace(existing, live, keep) {
    const meta = {};
    const pick = (k, leftToEnv) => {
        const v = leftToEnv ? existing.meta[k] : live.meta[k];
        if (v !== undefined)
            meta[k] = v;
    };
    pick('title', keep.title === true || live.meta.title === undefined);
    pick('description', keep.description === true);
    pick('warehouse_id', keep.warehouse_id === true || existing.meta.warehouse_id === undefined || existing.meta.warehouse_id === null);
    pick('parent_path', keep.parent_path === true || existing.meta.parent_path === undefined);
    // permissions only where the definition has them (the live grants when the caller read them)
    const permissions = existing.permissions ? (live.permissions ?? existing.permissions) : undefined;
    return { meta, document: live.document, ...(permissions ? { permissions } : {}) };
}
function sameSpace(a, b) {
    const norm = (m) => ({ title: m.title, description: m.description, warehouse_id: m.warehouse_id ?? null, parent_path: m.parent_path });
    const grants = (s) => (s.permissions ? (0,permissions/* canonicalGrants */.y5)(s.permissions) : null);
    return same(a.document, b.document) && same(norm(a.meta), norm(b.meta)) && same(grants(a), grants(b));
}
/**
 * Edit `text` (the definition `file` as on disk) so that it gives `target`. `fresh` writes the
 * target as a new file, for when the in-place edit cannot.
 */
function editDefinition(file, text, target, fresh) {
    const loaded = (0,load/* loadDefinitionText */.hN)(file, text).definition;
    if (!loaded)
        return { text: fresh(target), inPlace: false, changed: true, reason: 'the existing file is not a readable definition' };
    // a .geniespace.json holds the document only
    if (loaded.format === 'geniespace')
        target = { meta: {}, document: target.document };
    if (sameSpace(loaded.space, target))
        return { text, inPlace: true, changed: false };
    let out;
    try {
        out = loaded.format === 'yaml' ? editYaml(text, loaded, target) : loaded.format === 'geniespace' ? editJson(text, target) : fresh(target);
    }
    catch (err) {
        return { text: fresh(target), inPlace: false, changed: true, reason: `the in-place edit failed (${err instanceof Error ? err.message : String(err)})` };
    }
    const check = (0,load/* loadDefinitionText */.hN)(file, out).definition;
    if (!check || !sameSpace(check.space, target)) {
        return { text: fresh(target), inPlace: false, changed: true, reason: 'the in-place edit did not give the live space exactly' };
    }
    return { text: out, inPlace: loaded.format !== 'payload', changed: out !== text };
}
// ------------------------------------------------------------------ JSON (.geniespace.json)
function editJson(text, target) {
    const raw = JSON.parse(text);
    const live = target.document;
    const all = [...KINDS.map((k) => k.wire), TEXT_INSTRUCTIONS];
    for (const wire of all) {
        const kind = KINDS.find((k) => k.wire === wire);
        const key = kind?.key ?? ((i) => String(i.id));
        const liveItems = listAt(live, wire);
        const canon = (i) => listAt((0,canonical/* canonicalizeDocument */._W)(wrap(wire, i)), wire)[0];
        const liveByKey = new Map(liveItems.map((i) => [key(i), i]));
        const oldItems = listAt(raw, wire);
        const kept = [];
        const seen = new Set();
        for (const o of oldItems) {
            const k = key(canon(o) ?? o);
            const l = liveByKey.get(k);
            if (!l || seen.has(k))
                continue;
            seen.add(k);
            kept.push(same(canon(o), l) ? o : l);
        }
        for (const l of liveItems)
            if (!seen.has(key(l)))
                kept.push(l);
        setList(raw, wire, kept);
    }
    const before = `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
    raw.version = 2;
    return keepLayout(text, before, `${JSON.stringify(raw, null, 2)}\n`);
}
function setList(root, path, items) {
    let cur = root;
    for (const k of path.slice(0, -1)) {
        if (!cur[k] || typeof cur[k] !== 'object') {
            if (!items.length)
                return;
            cur[k] = {};
        }
        cur = cur[k];
    }
    const last = path[path.length - 1];
    if (items.length)
        cur[last] = items;
    else
        delete cur[last];
}
// ------------------------------------------------------------------ YAML
const STRINGIFY = { lineWidth: 0, flowCollectionPadding: false };
function editYaml(text, loaded, target) {
    const doc = (0,dist/* parseDocument */.Tp)(text, { keepSourceTokens: false });
    if (doc.errors.length)
        throw new Error(doc.errors[0]?.message ?? 'YAML error');
    const existing = loaded.space;
    const y = new YamlEditor(doc);
    // metadata
    const meta = target.meta;
    for (const k of ['title', 'description', 'warehouse_id', 'parent_path']) {
        const want = meta[k];
        const has = existing.meta[k];
        if (same(want ?? null, has ?? null))
            continue;
        if (want === undefined)
            y.remove([k]);
        else
            y.set([k], want, ['title', 'description', 'warehouse_id'].slice(0, ['title', 'description', 'warehouse_id', 'parent_path'].indexOf(k)));
    }
    for (const kind of KINDS)
        editList(y, loaded, kind, existing.document, target.document);
    editInstructions(y, loaded, target.document);
    // grants: the whole list, in canonical order, when it differs (targetSpace keeps them only where the file has them)
    if (target.permissions && !(0,permissions/* sameGrants */.e6)(target.permissions, existing.permissions ?? []))
        y.set(['permissions'], (0,permissions/* canonicalGrants */.y5)(target.permissions));
    y.dropEmpty(['data_sources']);
    return keepLayout(text, (0,dist/* parseDocument */.Tp)(text).toString(STRINGIFY), doc.toString(STRINGIFY));
}
/**
 * The Document model writes its own layout (comment spacing, padding inside flow collections)
 * wherever it prints. So the edit is taken as the line diff between the unedited document printed
 * by it and the edited one, and applied to the original text: lines the edit did not touch stay
 * byte for byte as the author wrote them. When the printer moved lines (not one line per line of
 * the original), its output is used as it is.
 */
function keepLayout(original, printedBefore, printedAfter) {
    const orig = original.split('\n');
    if (printedBefore.split('\n').length !== orig.length)
        return printedAfter;
    const out = [];
    let i = 0;
    for (const d of line_diff_lineDiff(printedBefore, printedAfter, true)) {
        if (d.op === ' ')
            out.push(orig[i++]);
        else if (d.op === '-')
            i++;
        else
            out.push(d.line);
    }
    return out.join('\n');
}
class YamlEditor {
    doc;
    constructor(doc) {
        this.doc = doc;
    }
    node(path) {
        return this.doc.getIn(path, true);
    }
    js(path) {
        const n = this.node(path);
        return n && typeof n.toJSON === 'function' ? n.toJSON() : n;
    }
    /** Set a value, keeping a scalar's style and a collection's flow/block style. `after`: keys it should follow when new. */
    set(path, value, after = []) {
        const prev = this.node(path);
        if (prev && (0,dist/* isScalar */.jn)(prev) && (value === null || typeof value !== 'object')) {
            prev.value = value;
            return;
        }
        const node = this.doc.createNode(value);
        if (prev && ((0,dist/* isSeq */.oP)(prev) || (0,dist/* isMap */.jh)(prev)) && ((0,dist/* isSeq */.oP)(node) || (0,dist/* isMap */.jh)(node))) {
            node.flow = prev.flow;
            node.commentBefore = prev.commentBefore;
            node.comment = prev.comment;
        }
        if (prev) {
            this.doc.setIn(path, node);
            return;
        }
        const parentPath = path.slice(0, -1);
        const parent = parentPath.length ? this.node(parentPath) : this.doc.contents;
        const key = path[path.length - 1];
        if (parent && (0,dist/* isMap */.jh)(parent)) {
            const pair = this.doc.createPair(key, node);
            const at = Math.max(-1, ...after.map((k) => parent.items.findIndex((p) => (0,dist/* isScalar */.jn)(p.key) && p.key.value === k)));
            if (after.length && at >= -1)
                parent.items.splice(at + 1, 0, pair);
            else
                parent.items.push(pair);
            return;
        }
        this.doc.setIn(path, node);
    }
    remove(path) {
        if (this.node(path) !== undefined || this.doc.hasIn(path))
            this.doc.deleteIn(path);
    }
    seq(path) {
        const n = this.node(path);
        return n && (0,dist/* isSeq */.oP)(n) ? n : undefined;
    }
    map(path) {
        const n = this.node(path);
        return n && (0,dist/* isMap */.jh)(n) ? n : undefined;
    }
    /** Remove a map left empty by the edits (e.g. data_sources with no tables left). */
    dropEmpty(path) {
        const m = this.map(path);
        if (m && m.items.length === 0)
            this.remove(path);
    }
}
/** For each model item of a list, the index of its YAML item. */
function yamlIndexOf(loaded, items, yamlPath) {
    const out = new Map();
    for (const it of items) {
        const p = loaded.origins.get(it);
        if (p && p.length === yamlPath.length + 1 && yamlPath.every((k, i) => p[i] === k) && typeof p[yamlPath.length] === 'number')
            out.set(it, p[yamlPath.length]);
    }
    return out;
}
function editList(y, loaded, kind, oldDoc, newDoc) {
    const oldItems = listAt(oldDoc, kind.wire);
    const newItems = listAt(newDoc, kind.wire);
    if (same(oldItems, newItems))
        return;
    const where = yamlIndexOf(loaded, oldItems, kind.yaml);
    const newByKey = new Map(newItems.map((i) => [kind.key(i), i]));
    const oldKeys = new Set(oldItems.map(kind.key));
    const removals = [];
    for (const o of oldItems) {
        const idx = where.get(o);
        if (idx === undefined)
            throw new Error(`no source position for an item of ${kind.yaml.join('.')}`);
        const n = newByKey.get(kind.key(o));
        if (!n)
            removals.push(idx);
        else if (!same(o, n))
            patchItem(y, [...kind.yaml, idx], kind, n);
    }
    const added = newItems.filter((n) => !oldKeys.has(kind.key(n)));
    // remove from the end so the indices of the others stay
    for (const idx of removals.sort((a, b) => b - a))
        removeItem(y, kind.yaml, idx);
    if (added.length) {
        const seq = y.seq(kind.yaml);
        const values = added.map((n) => authorOne(kind, n));
        if (seq)
            for (const v of values)
                seq.add(y.doc.createNode(v));
        else
            y.set(kind.yaml, values);
    }
    const seq = y.seq(kind.yaml);
    if (seq && seq.items.length === 0)
        y.remove(kind.yaml);
}
/** Remove an item with the comment lines above it. */
function removeItem(y, listPath, idx) {
    const seq = y.seq([...listPath]);
    if (!seq)
        return;
    // the item's comments (the lines above it are its commentBefore) go with it; the parser gives the
    // comment above the first item to the list
    if (idx === 0)
        seq.commentBefore = undefined;
    seq.items.splice(idx, 1);
}
function patchItem(y, path, kind, liveItem) {
    const old = y.js(path);
    let neu = authorOne(kind, liveItem);
    if (kind.yaml[0] === 'joins' && old && typeof old === 'object' && 'left_table' in old) {
        neu = shortJoin(liveItem) ?? neu;
    }
    if (typeof old === 'string' || typeof neu === 'string' || !old || typeof old !== 'object') {
        y.set(path, neu);
        return;
    }
    patchMap(y, path, old, neu);
}
/** Nested lists patched by their key, not replaced. */
const NESTED = { column_configs: 'column_name', parameters: 'name' };
/** v1 flag names the author may have used for these. */
const ALIASES = { enable_format_assistance: 'get_example_values', enable_entity_matching: 'build_value_dictionary' };
function patchMap(y, path, old, neu) {
    const next = { ...neu };
    for (const [k, alias] of Object.entries(ALIASES)) {
        if (alias in old && !(k in old)) {
            if (k in next)
                next[alias] = next[k];
            delete next[k];
        }
    }
    // an id the author left out stays out while it is the derived one; a new content keeps the live id
    for (const k of Object.keys(old))
        if (!(k in next))
            y.remove([...path, k]);
    const order = Object.keys(next);
    for (const [k, v] of Object.entries(next)) {
        const ov = old[k];
        if (same(ov, v))
            continue;
        const keyField = NESTED[k];
        if (keyField && Array.isArray(ov) && Array.isArray(v)) {
            patchNested(y, [...path, k], ov, v, keyField);
            continue;
        }
        y.set([...path, k], v, k === 'id' ? [] : order.slice(0, order.indexOf(k)));
        if (k === 'id' && !(k in old)) {
            // a new id goes first, as ids are written
            const m = y.map(path);
            const pair = m?.items.pop();
            if (m && pair)
                m.items.unshift(pair);
        }
    }
}
function patchNested(y, path, old, neu, keyField) {
    const neuBy = new Map(neu.map((n) => [String(n[keyField]), n]));
    const oldKeys = new Set(old.map((o) => String(o[keyField])));
    const removals = [];
    old.forEach((o, i) => {
        const n = neuBy.get(String(o[keyField]));
        if (!n)
            removals.push(i);
        else if (!same(o, n))
            patchMap(y, [...path, i], o, n);
    });
    for (const i of removals.sort((a, b) => b - a))
        y.seq(path)?.items.splice(i, 1);
    const seq = y.seq(path);
    for (const n of neu)
        if (!oldKeys.has(String(n[keyField])))
            seq?.add(y.doc.createNode(n));
}
const SHORT_CONDITION = /^`((?:[^`]|``)+)`\.`((?:[^`]|``)+)` = `((?:[^`]|``)+)`\.`((?:[^`]|``)+)`$/;
const JOIN_NOTE = /(?:^|\n)Use a (INNER|LEFT|RIGHT|FULL|CROSS) JOIN\.$/;
/** A live join in the short form, when the short form says exactly that join. */
function shortJoin(j) {
    const live = j;
    const { condition, marker } = (0,canonical/* splitJoinSql */.pu)(live.sql);
    const m = SHORT_CONDITION.exec(condition);
    if (!m)
        return undefined;
    const unq = (s) => s.replace(/``/g, '`');
    let instruction = live.instruction ? (0,model_text/* fromLines */.O)(live.instruction) : undefined;
    let joinType;
    const note = instruction !== undefined ? JOIN_NOTE.exec(instruction) : null;
    if (instruction !== undefined && note) {
        joinType = note[1].toLowerCase();
        instruction = instruction.slice(0, note.index) || undefined;
    }
    const rt = marker?.match(/FROM_RELATIONSHIP_TYPE_([A-Z_]+)/)?.[1]?.toLowerCase();
    const candidate = {
        left_table: live.left.identifier,
        right_table: live.right.identifier,
        left_column: unq(m[2]),
        right_column: unq(m[4]),
        ...(joinType ? { join_type: joinType } : {}),
        ...(rt ? { relationship_type: rt } : {}),
        ...(live.comment ? { comment: (0,model_text/* fromLines */.O)(live.comment) } : {}),
        ...(instruction !== undefined ? { instruction } : {})
    };
    const derived = (0,convert/* authoringToSpace */.lX)({ joins: [candidate] }).document.instructions?.join_specs?.[0];
    if (!derived)
        return undefined;
    if (derived.id !== live.id)
        candidate.id = live.id;
    const check = (0,convert/* authoringToSpace */.lX)({ joins: [{ ...candidate }] }).document.instructions?.join_specs?.[0];
    if (!same(check, j))
        return undefined;
    return candidate.id ? { id: candidate.id, ...candidate } : candidate;
}
/** The text instructions' groups, as mergeInstructions in convert.ts forms them. */
function groupsOf(items) {
    const groups = [];
    let current;
    items.forEach((item, index) => {
        if (item.id !== undefined) {
            current = groups.find((g) => g.id === item.id);
            if (!current)
                groups.push((current = { id: item.id, items: [] }));
        }
        else if (!current) {
            current = groups[0];
            if (!current)
                groups.push((current = { id: convert/* idFor */.zU.textInstruction(), items: [] }));
        }
        current.items.push({ index, ...(item.category !== undefined ? { category: item.category } : {}), content: item.content, explicitId: item.id !== undefined });
    });
    return groups;
}
function editInstructions(y, loaded, target) {
    const want = listAt(target, TEXT_INSTRUCTIONS);
    const have = listAt(loaded.space.document, TEXT_INSTRUCTIONS);
    if (same(want, have))
        return;
    const items = (loaded.authoring?.instructions ?? []).map((i) => ({
        ...(i.id !== undefined ? { id: i.id } : {}),
        ...(i.category !== undefined ? { category: i.category } : {}),
        content: i.content
    }));
    const groups = groupsOf(items);
    const wantBy = new Map(want.map((w) => [w.id, (0,model_text/* fromLines */.O)(w.content)]));
    const removals = [];
    for (const g of groups) {
        const text = wantBy.get(g.id);
        const before = have.find((h) => h.id === g.id);
        if (text === undefined) {
            removals.push(...g.items.map((i) => i.index));
            continue;
        }
        if (before && (0,model_text/* fromLines */.O)(before.content) === text)
            continue;
        const contents = splitGroup(g, text);
        if (!contents)
            throw new Error('the instruction text no longer splits into its categories');
        g.items.forEach((it, i) => {
            const c = contents[i];
            if (c === undefined)
                removals.push(it.index);
            else if (c !== it.content)
                y.set(['instructions', it.index, 'content'], c);
        });
    }
    for (const idx of removals.sort((a, b) => b - a))
        removeItem(y, ['instructions'], idx);
    const known = new Set(groups.map((g) => g.id));
    const added = want.filter((w) => !known.has(w.id));
    if (added.length) {
        const single = want.length === 1;
        const values = added.map((w) => ({ ...(single && w.id === convert/* idFor */.zU.textInstruction() ? {} : { id: w.id }), content: (0,model_text/* fromLines */.O)(w.content) }));
        const seq = y.seq(['instructions']);
        if (seq)
            for (const v of values)
                seq.add(y.doc.createNode(v));
        else
            y.set(['instructions'], values);
    }
    const seq = y.seq(['instructions']);
    if (seq && seq.items.length === 0)
        y.remove(['instructions']);
}
/**
 * The contents of a group's items that merge into `text`: the category headings and separators
 * are taken off where mergeInstructions puts them; items whose text is unchanged keep it, the one
 * that changed gets the rest. undefined when the text no longer has the group's headings.
 */
function splitGroup(g, text) {
    // sections: runs of items under one heading
    const sections = [];
    let cat;
    for (const it of g.items) {
        const last = sections[sections.length - 1];
        if (!last || it.category !== cat || (it.category === undefined && last.category !== undefined))
            sections.push({ ...(it.category !== undefined ? { category: it.category } : {}), items: [it] });
        else
            last.items.push(it);
        cat = it.category;
    }
    // cut the text at each heading of a later section (in order)
    const bodies = [];
    let rest = text;
    for (let s = 0; s < sections.length; s++) {
        const sec = sections[s];
        if (sec.category !== undefined) {
            const head = `## ${sec.category}\n`;
            if (!rest.startsWith(head))
                return undefined;
            rest = rest.slice(head.length);
        }
        const next = sections[s + 1];
        if (next) {
            const cut = next.category !== undefined ? rest.indexOf(`\n\n## ${next.category}\n`) : -1;
            if (cut === -1)
                return undefined;
            bodies.push(rest.slice(0, cut));
            rest = rest.slice(cut + 2);
        }
        else
            bodies.push(rest);
    }
    const out = [];
    sections.forEach((sec, s) => {
        const body = bodies[s];
        const lastSection = s === sections.length - 1;
        out.push(...splitSection(sec.items, body, lastSection));
    });
    return out;
}
/** Items of one section from its body: unchanged ones from each end keep their text; the middle one takes the rest. */
function splitSection(items, body, lastSection) {
    const trim = (s) => s.replace(/\n+$/, '');
    // what each item contributes: all but the very last lose their trailing newlines
    const shown = items.map((it, i) => (lastSection && i === items.length - 1 ? it.content : trim(it.content)));
    if (shown.join('\n\n') === body)
        return items.map((it) => it.content);
    // count the unchanged prefix
    let lo = 0;
    let rest = body;
    while (lo < items.length - 1 && rest.startsWith(`${shown[lo]}\n\n`)) {
        rest = rest.slice(shown[lo].length + 2);
        lo++;
    }
    let hi = items.length - 1;
    while (hi > lo && rest.endsWith(`\n\n${shown[hi]}`)) {
        rest = rest.slice(0, rest.length - shown[hi].length - 2);
        hi--;
    }
    const out = items.map((it) => it.content);
    // items lo..hi become the rest: the first of them holds it, the others are removed
    const first = items[lo];
    const keepNewline = !(lastSection && hi === items.length - 1) && /\n$/.test(first.content);
    out[lo] = keepNewline ? `${rest}\n` : rest;
    for (let i = lo + 1; i <= hi; i++)
        out[i] = undefined;
    return out;
}

;// CONCATENATED MODULE: ./src/deploy/snapshot.ts











async function snapshotSpace(client, spaceId, format) {
    const live = await client.getSpace(spaceId);
    const title = live.title;
    if (format === 'json') {
        try {
            return { spaceId, title, text: toGeniespaceText(spaceFromApi(live)), verbatim: false };
        }
        catch (err) {
            if (live.serialized_space === undefined)
                throw err;
            return { spaceId, title, text: `${JSON.stringify(JSON.parse(live.serialized_space), null, 2)}\n`, verbatim: true };
        }
    }
    return { spaceId, title, text: toYamlText(spaceFromApi(live)), verbatim: false };
}
function snapshotInto(file, existing, live, keep, o = {}) {
    const format = (0,load/* formatOf */.be)(file);
    if (!format)
        throw new util_errors/* SpaceOpsError */.Dc('use a .yaml, .yml or .geniespace.json file name', { location: { file } });
    const fresh = (s) => (format === 'json' ? formats_toGeniespaceText(s) : formats_toYamlText(s));
    if (existing === undefined)
        return { text: fresh(live), changed: true };
    const loaded = (0,load/* loadDefinitionText */.hN)(file, existing);
    if (!loaded.definition) {
        if (!o.force)
            throw new util_errors/* SpaceOpsError */.Dc(`exists and is not a definition SpaceOps can read (${loaded.problems[0]?.message ?? 'unknown problem'})${(0,core_names/* viaOption */.Cn)(o.names ?? core_names/* NEUTRAL_NAMES */.lJ, 'force', '; use ', ' to write over it')}`, { location: { file } });
        return { text: fresh(live), changed: true };
    }
    const r = editDefinition(file, existing, targetSpace(loaded.definition.space, live, keep), fresh);
    return {
        text: r.text,
        changed: r.changed,
        ...(r.inPlace ? {} : { note: `${file}: written afresh: ${r.reason ?? 'the edit could not be made in place'} (comments and layout were not kept)` })
    };
}
/** Read a file that may not exist: undefined when it does not. */
async function readIfExists(file, cwd) {
    try {
        await (0,promises_.stat)(external_node_path_default().resolve(cwd, file));
    }
    catch {
        return undefined;
    }
    return (0,core_files/* readTextFile */.Gu)(file, { cwd });
}
/**
 * The live space of a definition for a snapshot: the id given, else its deploy record's binding,
 * else the space with its title in its folder (as push finds it).
 */
async function locateForSnapshot(client, definition, key, o = {}) {
    const folder = o.spaceId ? undefined : recordsFolder({ statePath: o.statePath, parentPath: definition.meta.parent_path });
    const record = folder ? await readRecord(client, folder, key) : undefined;
    const found = await locateSpace(client, definition, o.spaceId, record?.space_id ?? undefined);
    return found && found.serialized_space === undefined ? client.getSpace(found.space_id) : found;
}

;// CONCATENATED MODULE: ./src/promote/backup.ts







/**
 * Backups: the target's full snapshot, saved before any write, in the payload format
 * (`{title, description, warehouse_id, parent_path, serialized_space}` — `spaceops render` and
 * `push` read it too) plus where it came from. `spaceops restore <backup>` puts it back.
 */
const BackupMeta = schemas/* looseObject */._H3({
    spaceops_backup: schemas/* object */.Ikc({
        version: schemas/* literal */.euz(1),
        space_id: schemas/* string */.YjP(),
        host: schemas/* string */.YjP(),
        environment: schemas/* string */.YjP().optional(),
        taken_at: schemas/* string */.YjP(),
        etag: schemas/* string */.YjP().optional()
    })
});
async function saveBackup(dir, live, info) {
    if (live.serialized_space === undefined)
        throw new util_errors/* SpaceOpsError */.Dc(`space ${live.space_id}: cannot back up without its serialized_space (CAN EDIT is needed)`);
    const stamp = info.now.toISOString().replace(/[:.]/g, '-');
    const file = external_node_path_default().join(dir, `${info.environment ? `${info.environment}-` : ''}${live.space_id}-${stamp}.json`);
    const body = {
        spaceops_backup: {
            version: 1,
            space_id: live.space_id,
            host: info.host,
            ...(info.environment ? { environment: info.environment } : {}),
            taken_at: info.now.toISOString(),
            ...(live.etag ? { etag: live.etag } : {})
        },
        title: live.title ?? null,
        description: live.description ?? null,
        warehouse_id: live.warehouse_id ?? null,
        parent_path: live.parent_path ?? null,
        // kept exactly as the API returned it
        serialized_space: live.serialized_space
    };
    await (0,core_files/* writeFileAtomic */.Zf)(file, `${JSON.stringify(body, null, 2)}\n`);
    return file;
}
async function loadBackup(file, cwd) {
    let text;
    try {
        text = await (0,promises_.readFile)(external_node_path_default().resolve(cwd, file), 'utf8');
    }
    catch {
        throw new util_errors/* SpaceOpsError */.Dc('cannot read the backup file', { location: { file } });
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        throw new util_errors/* SpaceOpsError */.Dc('not a SpaceOps backup: not JSON', { location: { file } });
    }
    const meta = BackupMeta.safeParse(json);
    if (!meta.success)
        throw new util_errors/* SpaceOpsError */.Dc('not a SpaceOps backup (no spaceops_backup header)', { location: { file } });
    const loaded = (0,load/* loadDefinitionText */.hN)(file.endsWith('.json') ? file : `${file}.json`, text);
    if (!loaded.definition)
        throw new util_errors/* SpaceOpsError */.Dc(loaded.problems[0]?.message ?? 'unreadable backup', { location: { file } });
    const raw = json;
    const b = meta.data.spaceops_backup;
    return {
        file,
        spaceId: b.space_id,
        host: b.host,
        ...(b.environment ? { environment: b.environment } : {}),
        space: loaded.definition.space,
        serializedSpace: typeof raw.serialized_space === 'string' ? raw.serialized_space : JSON.stringify(raw.serialized_space),
        title: raw.title ?? null,
        description: raw.description ?? null,
        warehouseId: raw.warehouse_id ?? null
    };
}
/**
 * The checks before a backup is put back, the same for `spaceops restore` and mode restore: the
 * connection must be to the workspace the backup was taken from, and an environment named for the
 * restore must be the one the backup records.
 */
function checkRestoreTarget(backup, connection) {
    if ((0,hosts/* normalizeHost */.c)(connection.host) !== (0,hosts/* normalizeHost */.c)(backup.host)) {
        throw new util_errors/* SpaceOpsError */.Dc(`the backup is of ${backup.host}, but the connection is to ${connection.host}; connect to the backup's workspace (its host and token, or the environment it came from)`, { location: { file: backup.file } });
    }
    if (connection.environment !== undefined && backup.environment !== undefined && connection.environment !== backup.environment) {
        throw new util_errors/* SpaceOpsError */.Dc(`the backup is of environment ${backup.environment}, not ${connection.environment}`, { location: { file: backup.file } });
    }
}
/** Put a backup back: the exact document and settings it holds. */
async function restoreBackup(client, backup) {
    await client.updateSpace(backup.spaceId, {
        serialized_space: backup.serializedSpace,
        ...(backup.title ? { title: backup.title } : {}),
        ...(backup.description ? { description: backup.description } : {}),
        ...(backup.warehouseId ? { warehouse_id: backup.warehouseId } : {})
    });
}

;// CONCATENATED MODULE: ./src/promote/state.ts




/**
 * The legacy deploy-state file (`<config dir>/spaceops-state.json`) of earlier SpaceOps versions,
 * read only to migrate: deploy records now live in the workspace (deploy/records.ts). When the
 * workspace has no record of a definition and this file has one, it is used once and written into
 * the workspace by the next record write; from then on the workspace record wins.
 */
const LegacyRecord = schemas/* object */.Ikc({
    space_id: schemas/* string */.YjP(),
    etag: schemas/* string */.YjP().optional(),
    deployed_at: schemas/* string */.YjP(),
    content: schemas/* object */.Ikc({
        title: schemas/* string */.YjP().nullable(),
        description: schemas/* string */.YjP().nullable(),
        warehouse_id: schemas/* string */.YjP().nullable(),
        parent_path: schemas/* string */.YjP().nullable(),
        serialized_space: schemas/* unknown */.L5J()
    })
});
const LegacyFile = schemas/* object */.Ikc({ version: schemas/* literal */.euz(1), environments: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* record */.g1P(schemas/* string */.YjP(), LegacyRecord)) });
function legacyStatePath(configFile) {
    return external_node_path_default().join(external_node_path_default().dirname(configFile), 'spaceops-state.json');
}
/** The legacy record of `key` in `env`, as a deploy record; undefined when there is no file or no record. */
async function legacyRecord(file, cwd, env, key) {
    let text;
    try {
        text = await (0,promises_.readFile)(external_node_path_default().resolve(cwd, file), 'utf8');
    }
    catch {
        return undefined;
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (err) {
        throw new util_errors/* SpaceOpsError */.Dc(`not valid JSON: ${err.message} (a legacy deploy state file; delete it once its records are in the workspace)`, {
            location: { file }
        });
    }
    const parsed = LegacyFile.safeParse(json);
    if (!parsed.success)
        throw new util_errors/* SpaceOpsError */.Dc('not a SpaceOps deploy state file (version 1)', { location: { file } });
    const envs = new Map(Object.entries(parsed.data.environments));
    const r = envs.get(env) ? new Map(Object.entries(envs.get(env) ?? {})).get(key) : undefined;
    if (!r)
        return undefined;
    return {
        format: 'spaceops-deploy-record',
        version: 2,
        key,
        environment: env,
        space_id: r.space_id,
        deployed: { at: r.deployed_at, run: { kind: 'cli' }, etag: r.etag ?? null, content: r.content },
        intent: null,
        migrated_from: file
    };
}

;// CONCATENATED MODULE: ./src/promote/plan-file.ts





/**
 * A saved promotion plan, as Terraform saves one: what a release manager approves is exactly what
 * is applied. A promote (usually `--dry-run`) writes, per definition, fingerprints of what it saw:
 * the definition (its canonical model, so a comment-only edit is no change), the content rendered
 * for the target (so a changed mapping, warehouse or folder in the config counts), and the live
 * target space (its id, etag and content). Applying the plan (`plan` input / `--plan`) compares
 * each fingerprint before anything is written, and refuses — naming what moved — when any differs.
 */
const Fingerprint = schemas/* object */.Ikc({
    definition_sha256: schemas/* string */.YjP(),
    rendered_sha256: schemas/* string */.YjP(),
    space_id: schemas/* string */.YjP().nullable(),
    live_etag: schemas/* string */.YjP().nullable(),
    live_sha256: schemas/* string */.YjP().nullable()
});
const PlannedSpace = Fingerprint.extend({
    definition: schemas/* string */.YjP(),
    status: schemas/* string */.YjP(),
    /** the benchmark gate on the previous environment: passed, failed, or not run (null) */
    gate_passed: schemas/* boolean */.zMY().nullable().optional(),
    reason: schemas/* string */.YjP().nullable(),
    backup: schemas/* string */.YjP().nullable().optional(),
    skipped: schemas/* array */.YOg(schemas/* string */.YjP()).optional()
});
const PlanFileSchema = schemas/* object */.Ikc({
    format: schemas/* literal */.euz('spaceops-promotion-plan'),
    version: schemas/* literal */.euz(1),
    target: schemas/* string */.YjP(),
    dry_run: schemas/* boolean */.zMY(),
    created_at: schemas/* string */.YjP(),
    spaces: schemas/* array */.YOg(PlannedSpace)
});
/** sha-256 of a JSON value with its object keys sorted (the same value always hashes the same). */
function contentHash(value) {
    const stable = (v) => {
        if (Array.isArray(v))
            return v.map(stable);
        if (v && typeof v === 'object')
            return Object.fromEntries(Object.keys(v)
                .sort()
                .map((k) => [k, stable(v[k])]));
        return v;
    };
    return (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify(stable(value)))
        .digest('hex');
}
function fingerprint(o) {
    return {
        definition_sha256: contentHash((0,convert/* renderPayload */.Jg)(o.definition)),
        rendered_sha256: contentHash((0,convert/* renderPayload */.Jg)(o.rendered)),
        space_id: o.live?.spaceId ?? null,
        live_etag: o.live?.etag ?? null,
        live_sha256: o.live ? contentHash((0,convert/* renderPayload */.Jg)(o.live.space)) : null
    };
}
/** What moved between the plan and now, one phrase each; empty when the plan still holds. */
function planMoves(planned, now, o) {
    const moved = [];
    if (planned.definition_sha256 !== now.definition_sha256)
        moved.push(`the definition ${o.definition} changed`);
    else if (planned.rendered_sha256 !== now.rendered_sha256)
        moved.push(`what ${o.target} gets from ${o.definition} changed (the promotion config: mappings, warehouse, folder or title)`);
    if (planned.space_id !== now.space_id) {
        moved.push(planned.space_id === null
            ? `${o.target} now has a space for it (${now.space_id})`
            : now.space_id === null
                ? `${o.target} space ${planned.space_id} is gone`
                : `${o.target} now deploys to space ${now.space_id}, not ${planned.space_id}`);
    }
    else if (planned.live_sha256 !== now.live_sha256) {
        moved.push(`${o.target} space ${now.space_id} was changed${planned.live_etag && now.live_etag && planned.live_etag !== now.live_etag ? ` (etag ${planned.live_etag} → ${now.live_etag})` : ''}`);
    }
    return moved;
}
async function readPlanFile(file, cwd, target) {
    const text = await (0,core_files/* readTextFile */.Gu)(file, { cwd });
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (err) {
        throw new util_errors/* SpaceOpsError */.Dc(`not valid JSON: ${err.message}`, { location: { file } });
    }
    const parsed = PlanFileSchema.safeParse(json);
    if (!parsed.success)
        throw new util_errors/* SpaceOpsError */.Dc('not a SpaceOps promotion plan (write one with mode promote, e.g. with dry-run: true)', { location: { file } });
    if (parsed.data.target !== target)
        throw new util_errors/* SpaceOpsError */.Dc(`the plan is for ${parsed.data.target}, not ${target}`, { location: { file } });
    return parsed.data;
}
/** The planned entry of a definition, or a refusal: a definition the plan does not hold is not applied. */
function plannedFor(plan, definition, file) {
    const entry = plan.spaces.find((s) => s.definition === definition);
    if (!entry)
        throw new util_errors/* SpaceOpsError */.Dc(`${definition} is not in the plan ${file} (it plans ${plan.spaces.map((s) => s.definition).join(', ') || 'nothing'}): plan again`);
    if (entry.status === 'blocked' || entry.status === 'error')
        throw new util_errors/* SpaceOpsError */.Dc(`${definition} was ${entry.status} in the plan ${file}${entry.reason ? ` (${entry.reason})` : ''}: plan again once that is fixed`);
    return entry;
}
/** The plan file of a run: each definition's result and what it saw. */
function planFileOf(target, dryRun, results, now) {
    const none = { definition_sha256: '', rendered_sha256: '', space_id: null, live_etag: null, live_sha256: null };
    return {
        format: 'spaceops-promotion-plan',
        version: 1,
        target,
        dry_run: dryRun,
        created_at: now.toISOString(),
        spaces: results.map(({ file, result, error }) => ({
            definition: file,
            ...(result?.fingerprint ?? none),
            status: result?.status ?? 'error',
            gate_passed: result?.gate ? result.gate.passed : null,
            reason: result?.reason ?? error ?? null,
            backup: result?.backup ?? null,
            skipped: result?.skipped ?? []
        }))
    };
}

// EXTERNAL MODULE: ./src/model/problems.ts
var model_problems = __webpack_require__(9437);
// EXTERNAL MODULE: ./src/util/pool.ts
var pool = __webpack_require__(704);
;// CONCATENATED MODULE: ./src/promote/preflight.ts








const LEVEL_RANK = { CAN_VIEW: 0, CAN_RUN: 1, CAN_EDIT: 2, CAN_MANAGE: 3 };
const WAREHOUSE_USE = new Set(['CAN_USE', 'CAN_MANAGE', 'IS_OWNER']);
const SELECTS = new Set(['SELECT', 'ALL_PRIVILEGES', 'ALL PRIVILEGES']);
const MAPPING_KEYS = { catalogs: 'catalog_mappings', schemas: 'schema_mappings', tables: 'table_mappings' };
/** What would let SpaceOps make a check it could not (docs: the Unity Catalog API reference per call). */
const NEEDED = {
    table: 'USE CATALOG on its catalog, USE SCHEMA on its schema and SELECT (or BROWSE) on the table',
    'metric-view': 'USE CATALOG on its catalog, USE SCHEMA on its schema and SELECT (or BROWSE) on the metric view',
    function: 'USE CATALOG on its catalog, USE SCHEMA on its schema and EXECUTE (or BROWSE) on the function',
    // the docs do not say what reading effective permissions needs; MANAGE (or ownership, or being a
    // metastore admin) is what reading a securable's grants needs elsewhere in Unity Catalog
    permissions: 'MANAGE on the table (or its ownership, or metastore admin)',
    'warehouse-acl': 'CAN_MANAGE on the warehouse'
};
function preflightLabel(kind) {
    return kind === 'metric-view' ? 'metric view' : kind;
}
/** The checks, in this order: mappings, catalog objects and columns, warehouse, principals. */
async function checkTarget(input) {
    const { client, definition } = input;
    const envName = input.environment?.name;
    const inEnv = envName ? `${envName}'s` : "the workspace's";
    const mapping = input.environment ? input.environment.mappings : {};
    const findings = [];
    const notes = [];
    const limit = input.concurrency ?? pool/* DEFAULT_CONCURRENCY */.WH;
    const add = (f) => findings.push({ rule: `preflight-${f.check}`, ...f });
    // ---- mappings that match nothing
    if (input.environment) {
        for (const m of unusedMappings(definition.space, input.environment)) {
            add({
                severity: 'error',
                check: 'mapping',
                object: `${m.key}.${m.from}`,
                ...configWhere(input, ['environments', input.environment.name, m.key, m.from], 'key'),
                message: `${m.key} of ${input.environment.name} maps ${m.from}, which no name in ${definition.file} matches: a typo or a stale mapping`
            });
        }
    }
    // ---- tables, metric views, functions, columns
    const objects = catalogObjects(definition, mapping);
    const found = new Map();
    let denied = false;
    await (0,pool/* mapConcurrent */._k)(objects, limit, async (o) => {
        const label = preflightLabel(o.kind);
        if (!o.target) {
            add({
                severity: 'error',
                check: o.kind,
                object: o.written,
                ...o.where,
                message: `${label} ${o.written} is not a catalog.schema.name: it cannot be looked up in ${inEnv} Unity Catalog`
            });
            return;
        }
        try {
            const info = o.kind === 'function' ? await client.getFunction(o.target) : await client.getTable(o.target);
            found.set(o, true);
            if (o.kind === 'metric-view' && 'table_type' in info && info.table_type !== undefined && info.table_type !== 'METRIC_VIEW') {
                add({
                    severity: 'warning',
                    check: o.kind,
                    object: o.target,
                    ...o.where,
                    message: `metric view ${o.target} in ${inEnv} Unity Catalog is a ${info.table_type}, not a METRIC_VIEW`
                });
            }
            const columns = 'columns' in info ? info.columns : undefined;
            if (o.columns.length && columns) {
                const have = new Set(columns.map((c) => c.name?.toLowerCase()).filter((n) => n !== undefined));
                for (const c of o.columns) {
                    if (have.has(c.name.toLowerCase()))
                        continue;
                    if (c.exclude)
                        add({
                            severity: 'warning',
                            check: 'column',
                            object: `${o.target}.${c.name}`,
                            ...c.where,
                            message: `column ${c.name} is excluded but ${o.target} has no such column in ${inEnv} Unity Catalog: the exclusion hides nothing`
                        });
                    else
                        add({
                            severity: 'error',
                            check: 'column',
                            object: `${o.target}.${c.name}`,
                            ...c.where,
                            message: `column ${c.name} of column_configs does not exist in ${o.target} in ${inEnv} Unity Catalog`
                        });
                }
            }
            else if (o.columns.length) {
                notes.push(`${o.target}: the catalog did not list its columns; column_configs not checked`);
            }
        }
        catch (err) {
            if (isStatus(err, 404)) {
                add({
                    severity: 'error',
                    check: o.kind,
                    object: o.target,
                    ...o.where,
                    message: `${label} ${o.target}${o.target !== (0,src_sql/* normalizeName */.Pc)(o.written) ? ` (${o.written} in the definition)` : ''} does not exist in ${inEnv} Unity Catalog${codeOf(err)}`
                });
                return;
            }
            if (isStatus(err, 403))
                denied = true;
            add({
                severity: 'warning',
                check: o.kind,
                object: o.target,
                unavailable: true,
                ...o.where,
                message: `could not check ${label} ${o.target} in ${inEnv} Unity Catalog (${reason(err)}): the deploying principal needs ${NEEDED[o.kind]} to check it${o.columns.length ? '; its column_configs were not checked either' : ''}`
            });
        }
    });
    // ---- warehouse
    const warehouseId = input.warehouseId ?? undefined;
    const warehouseWhere = warehouseLocation(input);
    let warehouseOk = false;
    if (!warehouseId) {
        add({
            severity: 'warning',
            check: 'warehouse',
            object: 'warehouse',
            unavailable: true,
            ...warehouseWhere,
            message: `no warehouse_id${envName ? ` for ${envName}` : ''}: the warehouse was not checked (set warehouse_id in the definition or environments.<env>.warehouse_id)`
        });
    }
    else {
        try {
            const wh = await client.getWarehouse(warehouseId);
            if (wh.state === 'DELETED' || wh.state === 'DELETING')
                add({
                    severity: 'error',
                    check: 'warehouse',
                    object: `warehouse ${warehouseId}`,
                    ...warehouseWhere,
                    message: `warehouse ${warehouseId} is ${wh.state} in ${envName ?? 'the workspace'}`
                });
            else
                warehouseOk = true;
        }
        catch (err) {
            if (isStatus(err, 404))
                add({
                    severity: 'error',
                    check: 'warehouse',
                    object: `warehouse ${warehouseId}`,
                    ...warehouseWhere,
                    message: `warehouse ${warehouseId} does not exist in ${envName ?? 'the workspace'}${codeOf(err)}`
                });
            else if (isStatus(err, 403))
                add({
                    severity: 'error',
                    check: 'warehouse',
                    object: `warehouse ${warehouseId}`,
                    ...warehouseWhere,
                    message: `the deploying principal may not use warehouse ${warehouseId} in ${envName ?? 'the workspace'} (${reason(err)}): it needs CAN_USE on it`
                });
            else
                add({
                    severity: 'warning',
                    check: 'warehouse',
                    object: `warehouse ${warehouseId}`,
                    unavailable: true,
                    ...warehouseWhere,
                    message: `could not check warehouse ${warehouseId} (${reason(err)}): the deploying principal needs CAN_USE on it to check it`
                });
        }
    }
    // ---- principals granted CAN_RUN or more
    const grants = input.grants ?? (0,permissions/* effectiveGrants */.FA)(input.definition.space, input.environment) ?? [];
    const principals = grants
        .filter((g) => LEVEL_RANK[g.level] >= LEVEL_RANK.CAN_RUN)
        .map(principalOf)
        .filter((p) => p !== undefined);
    if (!principals.length)
        notes.push('no principals granted CAN_RUN or more: their access was not checked (nothing to check)');
    else {
        const grantWhere = definitionWhere(definition, ['permissions']);
        const tables = objects.filter((o) => o.kind !== 'function' && o.target && found.get(o));
        if (denied) {
            add({
                severity: 'warning',
                check: 'principal-select',
                object: 'principals',
                unavailable: true,
                ...grantWhere,
                message: `could not check the principals' SELECT on the tables: the catalog API answered 403; the deploying principal needs ${NEEDED.permissions} to check it`
            });
        }
        else {
            // The docs say effective permissions include what is inherited from the catalog and schema;
            // they do not say whether privileges a user holds through a group are included. A user who
            // reads only through a group may then be warned about: a warning, never an error.
            const pairs = principals.flatMap((p) => tables.map((t) => ({ p, t })));
            let unavailable;
            await (0,pool/* mapConcurrent */._k)(pairs, limit, async ({ p, t }) => {
                if (unavailable)
                    return;
                const table = t.target;
                try {
                    const eff = await client.getEffectivePermissions('table', table, p.name);
                    const mine = eff.privilege_assignments.filter((a) => a.principal === undefined || a.principal.toLowerCase() === p.name.toLowerCase());
                    if (!mine.some((a) => a.privileges.some((x) => SELECTS.has(x.privilege.toUpperCase())))) {
                        add({
                            severity: 'warning',
                            check: 'principal-select',
                            object: `${p.name} on ${table}`,
                            ...t.where,
                            message: `${p.kind} ${p.name} (${p.level} on the space) has no SELECT on ${table} in ${inEnv} Unity Catalog: Genie will not answer them from it`
                        });
                    }
                }
                catch (err) {
                    if (isStatus(err, 403) || !(err instanceof GenieApiError) || err.status === undefined || err.status >= 500) {
                        unavailable ??= `could not check the principals' SELECT on the tables (${reason(err)}): the deploying principal needs ${NEEDED.permissions} to check it`;
                    }
                    else
                        add({
                            severity: 'warning',
                            check: 'principal-select',
                            object: `${p.name} on ${table}`,
                            unavailable: true,
                            ...t.where,
                            message: `could not check SELECT of ${p.name} on ${table} (${reason(err)})`
                        });
                }
            });
            if (unavailable)
                add({ severity: 'warning', check: 'principal-select', object: 'principals', unavailable: true, ...grantWhere, message: unavailable });
        }
        if (warehouseId && warehouseOk) {
            try {
                const acl = (await client.getWarehousePermissions(warehouseId)).access_control_list;
                const holds = (kind, name) => acl.some((e) => e[kind]?.toLowerCase() === name.toLowerCase() && e.all_permissions.some((x) => WAREHOUSE_USE.has(x.permission_level)));
                for (const p of principals) {
                    if (holds(p.kind, p.name) || holds('group_name', 'users'))
                        continue;
                    add({
                        severity: 'warning',
                        check: 'principal-warehouse',
                        object: `${p.name} on warehouse ${warehouseId}`,
                        ...warehouseWhere,
                        message: `${p.kind} ${p.name} (${p.level} on the space) has no CAN_USE on warehouse ${warehouseId}${p.kind === 'group_name' ? '' : ' (neither directly nor through the users group; another group is not seen)'}`
                    });
                }
            }
            catch (err) {
                add({
                    severity: 'warning',
                    check: 'principal-warehouse',
                    object: `warehouse ${warehouseId}`,
                    unavailable: true,
                    ...warehouseWhere,
                    message: `could not check the principals' CAN_USE on warehouse ${warehouseId} (${reason(err)}): the deploying principal needs ${NEEDED['warehouse-acl']} to read its permissions`
                });
            }
        }
    }
    findings.sort(byPlace);
    const errors = findings.filter((f) => f.severity === 'error').length;
    return { ...(envName ? { environment: envName } : {}), findings, errors, warnings: findings.length - errors, notes };
}
/**
 * Preflight of a definition for an environment of the promotion config (what diff/plan and
 * `spaceops preflight --env` call; promote calls checkTarget with what it rendered): the
 * environment's mappings, and the warehouse it gives the space (else the definition's).
 */
async function preflightInEnvironment(o) {
    const envc = (0,promote_config.resolveEnvironment)(o.config, o.environment, o.expansion);
    const key = (0,promote_config.spaceKey)(o.definition.file);
    const settings = (0,promote_config.spaceSettings)(envc, key, o.onlySpace ?? true);
    return checkTarget({
        client: o.client,
        definition: o.definition,
        environment: envc,
        config: o.config,
        warehouseId: o.warehouseId ?? settings.warehouse_id ?? o.definition.space.meta.warehouse_id ?? null,
        spaceKey: key
    });
}
/** The report as a plan shows it (above the diff). */
function planPreflight(r) {
    return { summary: preflightSummary(r), findings: r.findings.map((f) => ({ severity: f.severity, text: (0,model_problems/* formatProblem */.Vw)({ ...f, severity: 'error' }) })) };
}
/** One line for the report's headline: "preflight: 1 error, 2 warnings" / "preflight: passed". */
function preflightSummary(r) {
    if (!r.findings.length)
        return `preflight${r.environment ? ` on ${r.environment}` : ''}: passed`;
    const n = (k, w) => `${k} ${w}${k === 1 ? '' : 's'}`;
    return `preflight${r.environment ? ` on ${r.environment}` : ''}: ${n(r.errors, 'error')}, ${n(r.warnings, 'warning')}`;
}
function principalOf(g) {
    for (const kind of ['user_name', 'group_name', 'service_principal_name']) {
        const name = g[kind];
        if (name)
            return { kind, name, level: g.level };
    }
    return undefined;
}
function isStatus(err, status) {
    return err instanceof GenieApiError && err.status === status;
}
function codeOf(err) {
    return err instanceof GenieApiError && err.errorCode ? ` (${err.errorCode})` : '';
}
function reason(err) {
    if (err instanceof GenieApiError && err.status !== undefined)
        return `${err.status}${err.errorCode ? ` ${err.errorCode}` : ''}`;
    return (0,util_errors/* describeError */.Uc)(err);
}
/** Errors first, then by file, line and column. */
function byPlace(a, b) {
    return ((a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
        a.file.localeCompare(b.file) ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.col ?? 0) - (b.col ?? 0) ||
        a.message.localeCompare(b.message));
}
function definitionWhere(d, path, prefer = 'value') {
    const pos = d.source?.locate(path, prefer);
    return { file: d.file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: path.join('.') };
}
function configWhere(input, path, prefer = 'value') {
    if (!input.config)
        return { file: input.definition.file };
    const pos = input.config.source.locate(path, prefer) ?? input.config.source.locate(path.slice(0, -1), 'key');
    return { file: input.config.file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: path.join('.') };
}
/** Where the warehouse the target gets is set: the config's per-space or environment entry, else the definition. */
function warehouseLocation(input) {
    const env = input.environment?.name;
    if (env && input.config) {
        for (const path of [...(input.spaceKey ? [['environments', env, 'spaces', input.spaceKey, 'warehouse_id']] : []), ['environments', env, 'warehouse_id']]) {
            if (input.config.source.has(path))
                return configWhere(input, path);
        }
    }
    return definitionWhere(input.definition, ['warehouse_id']);
}
/** The place of an object of the definition (its identifier's line when the source map has it). */
function objectWhere(d, obj, sub) {
    const base = d.origins?.get(obj);
    if (!base)
        return { file: d.file };
    const path = d.source?.has([...base, sub]) ? [...base, sub] : base;
    return definitionWhere(d, path);
}
/** `a.b.c` unquoted, or undefined when the name is not three parts. */
function unquoted(name) {
    const parts = (0,src_sql/* splitName */.W0)(name).map((p) => p.value);
    return parts.length === 3 && parts.every((p) => p !== '' && !p.includes('.')) ? parts.join('.') : undefined;
}
function catalogObjects(d, mapping) {
    const doc = d.space.document;
    const out = [];
    const seen = new Set();
    const push = (kind, obj) => {
        const target = unquoted((0,src_sql/* remapIdentifier */.nl)(obj.identifier, mapping));
        const key = `${kind}:${target ?? obj.identifier}`.toLowerCase();
        if (seen.has(key))
            return;
        seen.add(key);
        out.push({
            kind,
            written: obj.identifier,
            target,
            where: objectWhere(d, obj, 'identifier'),
            columns: (obj.column_configs ?? []).map((c) => ({ name: c.column_name, exclude: c.exclude === true, where: objectWhere(d, c, 'column_name') }))
        });
    };
    for (const t of doc.data_sources?.tables ?? [])
        push('table', t);
    for (const t of doc.data_sources?.metric_views ?? [])
        push('metric-view', t);
    for (const f of doc.instructions?.sql_functions ?? [])
        push('function', f);
    return out;
}
/**
 * Mapping keys of the environment that change no name of the definition: each key is tried alone,
 * mapped to a name it cannot already be, so an identity mapping (`shop: shop`) still counts as used.
 */
function unusedMappings(space, envc) {
    const out = [];
    for (const section of ['catalogs', 'schemas', 'tables']) {
        for (const from of Object.keys(envc.mappings[section])) {
            const probe = from
                .split('.')
                .map((p) => `${p.replace(/`/g, '')}_spaceops_probe`)
                .join('.');
            const alone = { name: envc.name, mappings: { catalogs: {}, schemas: {}, tables: {}, [section]: { [from]: probe } }, spaces: {} };
            if (renderForEnvironment(space, alone, {}).replacements === 0)
                out.push({ key: MAPPING_KEYS[section], from });
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/promote/promote.ts



















/**
 * A promotion as a plan to render (job summary, PR comment): a created space is reported as
 * created, with what it now holds; a new one of a dry run with what it will hold; a blocked
 * promotion as blocked, its reason stated here and nowhere else in the report.
 */
function promotionPlan(definition, r) {
    const common = {
        definition,
        title: r.title,
        target: r.target,
        ...(r.spaceId ? { spaceId: r.spaceId } : {}),
        ...(r.renamedFrom !== undefined ? { renamedFrom: r.renamedFrom } : {})
    };
    switch (r.status) {
        case 'created':
            return { ...common, status: 'created', diff: render_contentOf(r.rendered) };
        case 'blocked':
            return { ...common, status: 'blocked', diff: r.diff, error: r.reason ?? 'blocked' };
        case 'rolled-back':
            return { ...common, status: 'error', diff: r.diff, error: r.reason ?? 'rolled back' };
        case 'planned':
            if (!r.spaceId)
                return { ...common, status: 'new', diff: render_contentOf(r.rendered) };
    }
    return { ...common, status: r.diff.changes.length ? 'changed' : 'unchanged', diff: r.diff };
}
/** Whether a promotion went through (written, or nothing to write, or planned). */
const wentThrough = (r) => r.status !== 'blocked' && r.status !== 'rolled-back';
const EMPTY = { changes: [], counts: { add: 0, change: 0, remove: 0 } };
/** A definition as an environment gets it, with the id and settings the config gives it there. */
function renderFor(config, space, definitionFile, environment, env, onlySpace) {
    const envc = (0,promote_config.resolveEnvironment)(config, environment, env);
    const settings = (0,promote_config.spaceSettings)(envc, (0,promote_config.spaceKey)(definitionFile), onlySpace);
    return { envc, settings, ...renderForEnvironment(space, envc, settings) };
}
async function promote(o) {
    const key = (0,promote_config.spaceKey)(o.definitionFile);
    const onlySpace = (o.definitionsInRepo ?? 1) === 1;
    const skipped = [];
    const names = o.names ?? core_names/* NEUTRAL_NAMES */.lJ;
    const sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const { envc, settings, space: rendered, replacements } = renderFor(o.config, o.space, o.definitionFile, o.target, o.env, onlySpace);
    // promote takes the title, warehouse and space id from the definition and the config, never from a
    // flag or an input: the messages of these name no setting of the face (NEUTRAL_NAMES)
    const title = requireTitle(rendered.meta);
    const base = { target: o.target, title, rendered, replacements, skipped };
    // every connection is decided before the first request
    const target = o.connect(o.target);
    const previous = (0,promote_config.previousEnvironment)(o.config, o.target);
    const source = previous ? o.connect(previous) : undefined;
    const legacyFile = o.legacyStateFile ?? legacyStatePath(o.config.file);
    const ctx = {
        client: target.client,
        folder: recordsFolder({ statePath: o.statePath ?? envc.state_path, parentPath: rendered.meta.parent_path }),
        key,
        environment: o.target,
        run: o.run,
        logger: o.logger,
        now: o.now,
        sleep,
        ...(o.lock ? { lock: o.lock } : {}),
        ...(o.containsSecret ? { containsSecret: o.containsSecret } : {}),
        ...(o.locks ? { locks: o.locks } : {}),
        legacy: () => legacyRecord(legacyFile, o.cwd, o.target, key)
    };
    // plan against the live target: the space the record binds this definition to, else by title
    const binding = await readBinding(ctx);
    let liveApi = await locateSpace(target.client, rendered, settings.space_id, binding.record?.space_id ?? undefined, o.indexes?.for(target.client));
    let live = liveApi ? live_spaceFromApi(liveApi) : undefined;
    // with permissions (the environment's, else the definition's), the direct grants join the diff;
    // the lock-out guard (the deploying principal keeps CAN_MANAGE) runs here, before any write
    // the live direct grants last read: what a rollback puts back
    let liveGrants;
    const planned = async (api, sp) => {
        const w = await withGrants(target.client, api?.space_id, sp, rendered, `${o.definitionFile} → ${o.target}`);
        liveGrants = api ? w.grants?.live : undefined;
        return w.live ? diffSpaces(w.live, w.desired) : EMPTY;
    };
    let diff = await planned(liveApi, live);
    const spaceId = liveApi?.space_id;
    const renamedFrom = liveApi && liveApi.title !== title ? liveApi.title : undefined;
    const seen = fingerprint({
        definition: o.space,
        rendered,
        live: liveApi && live ? { spaceId: liveApi.space_id, etag: liveApi.etag, space: live } : undefined
    });
    base.fingerprint = seen;
    const renamed = renamedFrom !== undefined ? { renamedFrom } : {};
    /** Stopped before any write: the plan so far and the one reason. */
    const blocked = (reason, extra = {}) => ({
        ...base,
        status: 'blocked',
        ...(spaceId ? { spaceId } : {}),
        diff,
        ...extra,
        reason
    });
    if (o.plan) {
        const moved = planMoves(o.plan.planned, seen, { definition: o.definitionFile, target: o.target });
        if (moved.length)
            return blocked(`the plan ${o.plan.file} no longer holds: ${moved.join('; ')} since it was made — nothing was written; plan again and approve the new plan`, renamed);
    }
    o.logger.info(`${o.definitionFile} → ${o.target}: ${live ? `space ${spaceId}, ${renamedFrom !== undefined ? `renamed from "${renamedFrom}", ` : ''}${summaryLine(diff)}` : 'a new space will be created'}${replacements ? ` (${replacements} name(s) remapped for ${o.target})` : ''}`);
    // preflight: what the space needs in the target (catalog objects, columns, warehouse, mappings,
    // the principals' access), read-only, before any check that could lead to a write. Its errors
    // block; --force does not skip them, --skip-preflight does (and says so).
    if (o.skipPreflight) {
        base.preflightSkipped = true;
        o.logger.warn(`--skip-preflight: the catalog objects, warehouse and mappings of ${o.target} were not checked`);
    }
    else {
        const report = await checkTarget({
            client: target.client,
            definition: o.definition ?? { file: o.definitionFile, space: o.space },
            environment: envc,
            config: o.config,
            warehouseId: rendered.meta.warehouse_id ?? null,
            spaceKey: key
        });
        base.preflight = report;
        o.logger.info(`${o.definitionFile} → ${o.target}: ${preflightSummary(report)}`);
        if (report.errors) {
            const first = report.findings.find((f) => f.severity === 'error');
            return blocked(`${preflightSummary(report)} — nothing was written${first ? `; first: ${(0,model_problems/* formatProblem */.Vw)(first)}` : ''} (fix the target or the definition${(0,core_names/* viaOption */.Cn)(names, 'skip-preflight', '; ', ' to deploy without the check')})`, renamed);
        }
    }
    // order: the previous environment must hold the same rendered content
    let sourceSpaceId;
    let sourceMapping = {};
    let sourceWarehouse;
    if (previous && source) {
        const prev = renderFor(o.config, o.space, o.definitionFile, previous, o.env, onlySpace);
        sourceMapping = mappingOf(prev.envc);
        sourceWarehouse = prev.settings.warehouse_id;
        const sourceFolder = recordsFolder({ statePath: prev.envc.state_path, parentPath: prev.space.meta.parent_path });
        const sourceBinding = await readBinding({
            ...ctx,
            client: source.client,
            folder: sourceFolder,
            environment: previous,
            legacy: () => legacyRecord(legacyFile, o.cwd, previous, key)
        });
        const prevApi = await locateSpace(source.client, prev.space, prev.settings.space_id, sourceBinding.record?.space_id ?? undefined, o.indexes?.for(source.client));
        sourceSpaceId = prevApi?.space_id;
        if (prevApi && liveApi && prevApi.space_id === liveApi.space_id && source.connection.host === target.connection.host) {
            return blocked(`${previous} and ${o.target} resolve to the same space ${liveApi.space_id} on ${target.connection.host}: give them different parent_path or space ids in ${o.config.file}`);
        }
        if (sourceFolder && ctx.folder === sourceFolder && source.connection.host === target.connection.host) {
            return blocked(`${previous} and ${o.target} keep their deploy records in the same folder ${ctx.folder} on ${target.connection.host}: give them different parent_path or state_path in ${o.config.file}`);
        }
        const prevDiff = prevApi ? diffSpaces(live_spaceFromApi(prevApi), prev.space) : undefined;
        if (!prevApi || prevDiff?.changes.length) {
            const why = !prevApi ? `${previous} has no space "${prev.space.meta.title}"` : `${previous} does not hold this definition (${summaryLine(prevDiff)})`;
            if (!o.force)
                return blocked(`${why}: promote to ${previous} first${(0,core_names/* viaOption */.Cn)(names, 'force', ' (or ', ')')}`);
            // the face reports what was forced, once (skipped)
            skipped.push(`promotion order: ${why}`);
        }
    }
    // drift guard: the target as SpaceOps last left it? (fails closed when the records cannot be read)
    const guard = driftGuard(o, ctx, binding, liveApi, live);
    if (guard) {
        if (!o.force)
            return blocked(guard.reason, { diff: guard.diff ?? diff });
        skipped.push(`drift guard: ${guard.why}`);
    }
    // gate before any write: the suites against the source environment
    let gate;
    // applying a plan whose gate passed: the gate was part of what was approved (the order check
    // above proves the previous environment still holds this definition), so it is not asked again
    const gatedInPlan = o.plan?.planned.gate_passed === true && previous !== undefined;
    if (o.gate && gatedInPlan)
        o.logger.info(`benchmark gate on ${previous}: passed when the plan ${o.plan?.file} was made${o.plan?.createdAt ? ` (${o.plan.createdAt})` : ''}; not asked again`);
    if (o.gate && !gatedInPlan) {
        const env = previous && source && sourceSpaceId ? { client: source.client, spaceId: sourceSpaceId, environment: previous } : undefined;
        if (env) {
            gate = await o.gate({ ...env, ...(sourceWarehouse ? { warehouseId: sourceWarehouse } : {}), phase: 'before', mapping: sourceMapping });
            o.logger.info(`benchmark gate on ${env.environment}: ${gate.summary}`);
            if (!gate.passed)
                return blocked(`benchmark gate failed on ${env.environment}: ${gate.summary}`, { gate });
        }
        else
            o.logger.info(`no source environment before ${o.target}: the benchmark gate runs after the deploy`);
    }
    const gated = gate ? { gate } : {};
    // a dry run ends here: planned, with what the drift guard and the (read-only) gate said
    if (o.dryRun)
        return { ...base, status: 'planned', ...(spaceId ? { spaceId } : {}), diff, ...gated, ...renamed };
    // nothing to write at all (the space and its record are current): no lock, no request that writes
    if (liveApi && live && !diff.changes.length && (!binding.record || recordIsCurrent(binding.record, liveApi.space_id, live))) {
        if (o.writeIds)
            await writeIds(o, key, liveApi.space_id);
        return { ...base, status: 'unchanged', spaceId: liveApi.space_id, diff, ...gated, ...renamed };
    }
    // the write, under the environment's deploy lock: look again first — another run may have
    // written since the plan (it may even have created the space this run was about to create)
    return underLock(ctx, async (lock) => {
        const fresh = await readBinding(ctx);
        const again = await locateSpace(target.client, rendered, settings.space_id, fresh.record?.space_id ?? undefined, o.indexes?.for(target.client));
        if (again?.space_id !== liveApi?.space_id || again?.etag !== liveApi?.etag) {
            if (o.plan)
                return {
                    ...base,
                    status: 'blocked',
                    ...(again ? { spaceId: again.space_id } : {}),
                    diff,
                    ...gated,
                    ...renamed,
                    reason: `the plan ${o.plan.file} no longer holds: ${o.target} changed while this run was checking it — nothing was written; plan again`
                };
            o.logger.info(`${o.target} changed while this run was planning (${again ? `space ${again.space_id}` : 'the space is gone'}); checking it again`);
            liveApi = again;
            live = again ? live_spaceFromApi(again) : undefined;
            diff = await planned(again, live);
            if (live && diff.changes.length) {
                const g = driftGuard(o, ctx, fresh, liveApi, live);
                if (g && !o.force)
                    return { ...base, status: 'blocked', ...(liveApi ? { spaceId: liveApi.space_id } : {}), diff: g.diff ?? diff, reason: g.reason, ...gated };
            }
        }
        if (liveApi && live && !diff.changes.length) {
            if (fresh.record && !recordIsCurrent(fresh.record, liveApi.space_id, live))
                await recordCompleted(ctx, liveApi.space_id, liveApi.etag, rendered, fresh.migrated);
            if (o.writeIds)
                await writeIds(o, key, liveApi.space_id);
            return { ...base, status: 'unchanged', spaceId: liveApi.space_id, diff, ...gated, ...renamed };
        }
        // backup, intent, write, verify
        let backup;
        if (liveApi) {
            backup = await saveBackup(external_node_path_default().resolve(o.cwd, o.backupDir), liveApi, { host: target.connection.host, environment: o.target, now: o.now() });
            o.logger.info(`backup of ${o.target} space ${liveApi.space_id}: ${external_node_path_default().relative(o.cwd, backup)}`);
        }
        await recordIntent(ctx, fresh.record, rendered, liveApi?.space_id);
        const pushed = await pushSpace(target.client, rendered, {
            live: liveApi ?? null,
            logger: o.logger,
            ...(o.indexes ? { index: o.indexes.for(target.client) } : {})
        });
        const newId = pushed.spaceId;
        const after = await target.client.getSpace(newId);
        const verify = diffSpaces(live_spaceFromApi(after), rendered);
        if (verify.changes.length)
            throw new util_errors/* SpaceOpsError */.Dc(`verification failed: ${o.target} space ${newId} does not hold what was written (${summaryLine(verify)})`);
        if (rendered.permissions && pushed.grantsWritten) {
            const g = await planGrants(target.client, newId, rendered.permissions, `${o.definitionFile} → ${o.target}`);
            if (!(0,permissions/* sameGrants */.e6)(g.live, g.desired))
                throw new util_errors/* SpaceOpsError */.Dc(`verification failed: ${o.target} space ${newId} does not hold the grants that were written`);
        }
        // gate after the write, with rollback
        const wantPost = o.gate && (o.postDeployGate || !previous);
        let postGate;
        if (wantPost && o.gate) {
            postGate = await o.gate({
                client: target.client,
                spaceId: newId,
                ...(settings.warehouse_id ? { warehouseId: settings.warehouse_id } : {}),
                environment: o.target,
                phase: 'after',
                mapping: mappingOf(envc)
            });
            o.logger.info(`benchmark gate on ${o.target} after the deploy: ${postGate.summary}`);
            if (!postGate.passed) {
                await lock?.refresh();
                await rollback(o, target.client, newId, backup, !liveApi);
                // the backup holds the content; the grants written by this run are put back as they were
                if (pushed.grantsWritten && liveGrants)
                    await rollbackGrants(o, target.client, newId, liveGrants);
                await recordRolledBack(ctx, fresh.record, !liveApi);
                return {
                    ...base,
                    status: 'rolled-back',
                    spaceId: newId,
                    diff,
                    ...(backup ? { backup } : {}),
                    ...gated,
                    postGate,
                    reason: `benchmark gate failed on ${o.target} after the deploy: ${postGate.summary}; ${backup ? 'the backup was restored' : 'the new space was moved to the trash'}`
                };
            }
        }
        await recordCompleted(ctx, newId, after.etag, rendered, fresh.migrated);
        if (o.writeIds)
            await writeIds(o, key, newId);
        return {
            ...base,
            status: liveApi ? 'promoted' : 'created',
            spaceId: newId,
            diff,
            ...(backup ? { backup } : {}),
            ...gated,
            ...(postGate ? { postGate } : {}),
            ...renamed
        };
    });
}
/** The drift guard: undefined = go on; a verdict = blocked (or skipped with --force). */
function driftGuard(o, ctx, binding, liveApi, live) {
    if (binding.unreadable) {
        const why = `${binding.unreadable.message}: the drift guard cannot tell whether ${o.target} was edited outside SpaceOps`;
        return {
            why,
            reason: `${why}, so it blocks (fix access to the records${(0,core_names/* viaOption */.Cn)(o.names ?? core_names/* NEUTRAL_NAMES */.lJ, 'force', ', or ', ' to deploy without the check')})`
        };
    }
    if (!liveApi || !live)
        return undefined;
    const own = ownership(binding.record, liveApi.space_id, live, ctx.key);
    switch (own.kind) {
        case 'no-record':
            o.logger.info(`no record of an earlier deployment of ${ctx.key} to ${o.target}${ctx.folder ? ` in ${ctx.folder}` : ''}: the drift guard has nothing to compare with`);
            return undefined;
        case 'other-space':
            o.logger.info(`the deploy record of ${ctx.key} in ${o.target} is of space ${own.recordedId}, not ${liveApi.space_id}: the drift guard has nothing to compare with`);
            return undefined;
        case 'own':
            if (own.fromIntent)
                o.logger.info(`${o.target} space ${liveApi.space_id} holds what ${describeRun(own.run)} was writing at ${own.at} when it stopped before recording it: taken as SpaceOps' own`);
            return undefined;
        case 'edited': {
            const why = `${o.target} was edited outside SpaceOps since ${own.at} (${summaryLine(own.diff)})`;
            return {
                why,
                diff: own.diff,
                reason: `${why}: bring the edit into Git (spaceops snapshot ${o.definitionFile} --env ${o.target} --config ${o.config.file})${(0,core_names/* viaOption */.Cn)(o.names ?? core_names/* NEUTRAL_NAMES */.lJ, 'force', ' or ', ' to overwrite it')}`
            };
        }
    }
}
async function writeIds(o, key, spaceId) {
    try {
        if (await writeSpaceId(o.config, o.target, key, spaceId, o.cwd))
            o.logger.info(`wrote space id ${spaceId} to ${o.config.file} (environments.${o.target}.spaces.${key})`);
    }
    catch {
        // the deployment itself succeeded: say what to add rather than fail it
        o.logger.warn(`could not write the space id into ${o.config.file} without changing its layout; add it by hand: environments.${o.target}.spaces.${key}.space_id: ${spaceId}`);
    }
}
async function rollbackGrants(o, client, spaceId, grants) {
    try {
        await putGrants(client, spaceId, grants);
        o.logger.warn(`rolled back the grants of ${o.target} space ${spaceId}`);
    }
    catch (err) {
        throw new util_errors/* SpaceOpsError */.Dc(`the post-deploy gate failed AND putting back the grants of space ${spaceId} failed: ${(0,util_errors/* describeError */.Uc)(err)}`);
    }
}
async function rollback(o, client, spaceId, backup, created) {
    try {
        if (backup) {
            await restoreBackup(client, await loadBackup(backup, o.cwd));
            o.logger.warn(`rolled back ${o.target} space ${spaceId} to ${external_node_path_default().relative(o.cwd, backup)}`);
        }
        else if (created) {
            await client.trashSpace(spaceId);
            o.logger.warn(`moved the new ${o.target} space ${spaceId} to the trash`);
        }
    }
    catch (err) {
        throw new util_errors/* SpaceOpsError */.Dc(`the post-deploy gate failed AND the rollback failed: ${(0,util_errors/* describeError */.Uc)(err)}${backup ? ` — restore by hand with: spaceops restore ${backup}` : ''}`);
    }
}

;// CONCATENATED MODULE: ./src/promote/snapshot.ts










async function snapshotDefinition(src, file, cwd, o = {}) {
    const existing = await readIfExists(file, cwd);
    const current = existing === undefined ? undefined : (0,load/* loadDefinitionText */.hN)(file, existing).definition?.space;
    const key = (0,promote_config.spaceKey)(file);
    const only = o.onlySpace ?? true;
    let located;
    let spaceId = o.spaceId;
    let statePath = src.statePath;
    if (src.env && current) {
        const r = renderFor(src.env.config, current, file, src.env.name, src.env.policy, only);
        located = r.space;
        spaceId ??= r.settings.space_id;
        statePath ??= r.envc.state_path;
    }
    else
        located = current;
    if (!located && !spaceId)
        throw new util_errors/* SpaceOpsError */.Dc('no definition here to find the space by: give the space id', { location: { file } });
    const live = await locateForSnapshot(src.client, located ?? { meta: {}, document: { version: 2 } }, key, { spaceId, statePath });
    if (!live) {
        const where = located?.meta.parent_path ? ` in ${located.meta.parent_path}` : '';
        throw new util_errors/* SpaceOpsError */.Dc(`no live space "${located?.meta.title ?? ''}"${where}${src.env ? ` in ${src.env.name}` : ''} to snapshot: give the space id`, {
            location: { file }
        });
    }
    let space;
    try {
        space = live_spaceFromApi(live);
    }
    catch (err) {
        // a document SpaceOps cannot model is still kept, verbatim, as a new .geniespace.json
        if (existing !== undefined || (0,load/* formatOf */.be)(file) !== 'json' || live.serialized_space === undefined)
            throw err;
        await (0,core_files/* writeFileAtomic */.Zf)(external_node_path_default().resolve(cwd, file), `${JSON.stringify(JSON.parse(live.serialized_space), null, 2)}\n`, file);
        return {
            file,
            spaceId: live.space_id,
            title: live.title,
            changed: true,
            note: 'the document has content this SpaceOps version does not model; it was written verbatim'
        };
    }
    let keep = {};
    const envc = src.env ? (0,promote_config.resolveEnvironment)(src.env.config, src.env.name, src.env.policy) : undefined;
    // permissions as code: a definition with permissions takes the live direct grants (not when the
    // environment's config gives them: they are the environment's), less the deployer's CAN_MANAGE
    // that SpaceOps adds itself when the definition does not name it
    if (current?.permissions && !envc?.permissions)
        space.permissions = await liveGrantsFor(src.client, live.space_id, current.permissions);
    if (src.env && envc) {
        const r = renderFromEnvironment(space, envc, (0,promote_config.spaceSettings)(envc, key, only), src.env.config.file);
        space = { ...r.space, ...(space.permissions ? { permissions: space.permissions } : {}) };
        keep = r.owned;
    }
    const w = snapshotInto(file, existing, space, keep, { force: o.force ?? false, ...(o.names ? { names: o.names } : {}) });
    if (w.changed)
        await (0,core_files/* writeFileAtomic */.Zf)(external_node_path_default().resolve(cwd, file), w.text, file);
    return { file, spaceId: live.space_id, title: live.title, changed: w.changed, ...(w.note ? { note: w.note } : {}) };
}

;// CONCATENATED MODULE: ./src/promote/connection.ts




const envVarName = (env, what) => `DATABRICKS_${(0,promote_config.envStem)(env)}_${what}`;
const connection_same = (a, b) => {
    if (!a || !b)
        return false;
    try {
        return (0,hosts/* normalizeHost */.c)(a) === (0,hosts/* normalizeHost */.c)(b);
    }
    catch {
        return false;
    }
};
const CREDENTIAL_KEYS = ['DATABRICKS_HOST', 'DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_ID', 'DATABRICKS_CLIENT_SECRET'];
function connectionFor(config, name, processEnv, inputs) {
    const raw = (0,promote_config.environmentConfig)(config, name);
    const hostLocation = { file: config.file, ...(config.source.locate(['environments', name, 'host']) ?? {}) };
    const v = (key) => (processEnv[key] === '' ? undefined : processEnv[key]);
    const slot = inputs && inputs.env === name ? inputs : undefined;
    const ownHost = v((0,promote_config.hostVar)(name));
    const genericHost = v('DATABRICKS_HOST');
    const names = slot?.names ?? core_names/* NEUTRAL_NAMES */.lJ;
    const hostOption = names.option('host') ?? 'the host given';
    let host;
    let from;
    if (slot?.host) {
        if (ownHost && !connection_same(ownHost, slot.host)) {
            throw new util_errors/* SpaceOpsError */.Dc(`environment ${name}: ${hostOption} and ${(0,promote_config.hostVar)(name)} name different hosts; give one, or the same`);
        }
        host = slot.host;
        from = hostOption;
    }
    else if (ownHost) {
        host = ownHost;
        from = (0,promote_config.hostVar)(name);
    }
    else if (slot && genericHost) {
        host = genericHost;
        from = 'DATABRICKS_HOST';
    }
    else {
        throw new util_errors/* SpaceOpsError */.Dc(`environment ${name}: no host — set ${(0,promote_config.hostVar)(name)}${slot ? ` (or ${(0,core_names/* viaOption */.Cn)(names, 'host', '', ' / ')}DATABRICKS_HOST)` : ''} in the workflow`);
    }
    const origin = (0,hosts/* normalizeHost */.c)(host);
    if (raw.host !== undefined && raw.host !== `\${${(0,promote_config.hostVar)(name)}}` && (0,hosts/* normalizeHost */.c)(raw.host) !== origin) {
        throw new util_errors/* SpaceOpsError */.Dc(`environment ${name}: host ${(0,hosts/* normalizeHost */.c)(raw.host)} is written in the repository and is not the host the workflow gives (${from}); SpaceOps sends credentials only to the host the workflow names — write host: \${${(0,promote_config.hostVar)(name)}}`, { location: hostLocation });
    }
    const sets = [
        slot ? { token: slot.token, clientId: slot.clientId, clientSecret: slot.clientSecret } : undefined,
        { token: v(envVarName(name, 'TOKEN')), clientId: v(envVarName(name, 'CLIENT_ID')), clientSecret: v(envVarName(name, 'CLIENT_SECRET')) },
        connection_same(origin, genericHost) ? { token: v('DATABRICKS_TOKEN'), clientId: v('DATABRICKS_CLIENT_ID'), clientSecret: v('DATABRICKS_CLIENT_SECRET') } : undefined
    ];
    const creds = sets.find((s) => s && (s.token || s.clientId || s.clientSecret));
    if (!creds || (!creds.token && !creds.clientId)) {
        throw new util_errors/* SpaceOpsError */.Dc(`environment ${name}: no credentials for ${origin} — set ${envVarName(name, 'TOKEN')} (or ${envVarName(name, 'CLIENT_ID')}/${envVarName(name, 'CLIENT_SECRET')})${slot ? (0,core_names/* viaOption */.Cn)(names, 'token', ', or ') : ''}`);
    }
    const clientEnv = { ...processEnv };
    for (const k of CREDENTIAL_KEYS)
        delete clientEnv[k];
    clientEnv.DATABRICKS_HOST = origin;
    if (creds.token)
        clientEnv.DATABRICKS_TOKEN = creds.token;
    if (creds.clientId)
        clientEnv.DATABRICKS_CLIENT_ID = creds.clientId;
    if (creds.clientSecret)
        clientEnv.DATABRICKS_CLIENT_SECRET = creds.clientSecret;
    return { env: name, host: origin, clientEnv };
}
/** `transport`: the run's timeouts (see runTimeoutOptions), shared by every environment's client. */
function clientFor(connection, secrets, logger, userAgent, getIdToken, transport = {}) {
    secrets.add(connection.clientEnv.DATABRICKS_TOKEN);
    secrets.add(connection.clientEnv.DATABRICKS_CLIENT_SECRET);
    return createGenieClient({ ...transport, env: connection.clientEnv, secrets, logger, userAgent, ...(getIdToken ? { getIdToken } : {}) });
}
/** `connect(environment)` for promote, diff and drift: one client per environment, decided by `connectionFor`. */
function connector(config, o) {
    const made = new Map();
    return (environment) => {
        const known = made.get(environment);
        if (known)
            return known;
        const connection = connectionFor(config, environment, o.processEnv, o.inputs);
        const out = {
            connection,
            client: clientFor(connection, o.secrets, o.logger, o.userAgent, o.getIdToken, { ...o.transport, ...(o.inputs?.names ? { names: o.inputs.names } : {}) })
        };
        made.set(environment, out);
        return out;
    };
}

;// CONCATENATED MODULE: ./src/action/client.ts





function actionLogger(rt, secrets) {
    return safeLogger({ debug: (m) => rt.debug(m), info: (m) => rt.info(m), warn: (m) => rt.warning(m), error: (m) => rt.error(m) }, secrets);
}
const runTimeouts = new WeakMap();
/**
 * The step's timeouts (inputs timeout and run-timeout) as transport options for every client of the
 * step. The run's deadline is fixed when the first client is made and shared by the others.
 */
function actionTimeouts(inputs) {
    let t = runTimeouts.get(inputs);
    if (!t) {
        t = runTimeoutOptions({
            ...(inputs.timeout !== undefined ? { callTimeoutMs: inputs.timeout } : {}),
            ...(inputs['run-timeout'] !== undefined ? { runTimeoutMs: inputs['run-timeout'] } : {})
        }, core_names/* ACTION_NAMES */.G);
        runTimeouts.set(inputs, t);
    }
    return t;
}
/** The Genie client for a workflow: inputs first, then Databricks' environment variables. */
function actionClient(rt, inputs, secrets) {
    return createGenieClient({
        ...actionTimeouts(inputs),
        env: rt.env,
        inputs: {
            ...(inputs.host ? { host: inputs.host } : {}),
            ...(inputs.token ? { token: inputs.token } : {}),
            ...(inputs['client-id'] ? { clientId: inputs['client-id'] } : {}),
            ...(inputs['client-secret'] ? { clientSecret: inputs['client-secret'] } : {})
        },
        secrets,
        logger: actionLogger(rt, secrets),
        getIdToken: (audience) => rt.getIDToken(audience),
        userAgent: `spaceops/${VERSION} github-action`,
        names: core_names/* ACTION_NAMES */.G
    });
}

;// CONCATENATED MODULE: ./src/action/config.ts





/**
 * The action's side of the promotion config's trust rules. A config from a pull request is
 * untrusted, so `${VAR}` expands only variables the workflow names — input `config-variables` —
 * and the documented per-environment names of the config's own environments; the host/token
 * inputs belong to `environment` (the target of promote, the environment planned by diff/drift).
 */
function actionExpansion(rt, inputs, secrets, config) {
    const allowed = new Set([...(0,promote_config.documentedVariables)(config), ...(inputs['config-variables'] ?? [])]);
    return {
        vars: rt.env,
        allow: (name) => allowed.has(name),
        refusal: () => 'is not a variable this workflow lets the promotion config read: add it to config-variables (the action input) if the config may read it',
        isSecret: (0,promote_config.knownSecrets)(secrets, rt.env)
    };
}
function actionInputsFor(inputs, environment) {
    return {
        env: environment,
        names: core_names/* ACTION_NAMES */.G,
        ...(inputs.host ? { host: inputs.host } : {}),
        ...(inputs.token ? { token: inputs.token } : {}),
        ...(inputs['client-id'] ? { clientId: inputs['client-id'] } : {}),
        ...(inputs['client-secret'] ? { clientSecret: inputs['client-secret'] } : {})
    };
}
/** The Genie client for an environment of the promotion config (the inputs belong to it). */
function environmentClient(rt, inputs, secrets, config, environment) {
    return actionConnector(rt, inputs, secrets, config, environment)(environment).client;
}
function actionConnector(rt, inputs, secrets, config, environment) {
    return connector(config, {
        processEnv: rt.env,
        inputs: actionInputsFor(inputs, environment),
        secrets,
        logger: actionLogger(rt, secrets),
        userAgent: `spaceops/${VERSION} github-action`,
        getIdToken: (aud) => rt.getIDToken(aud),
        transport: actionTimeouts(inputs)
    });
}

// EXTERNAL MODULE: ./src/github/summary.ts
var summary = __webpack_require__(2935);
;// CONCATENATED MODULE: ./src/action/push.ts




















/** mode: push — `spaceops push` for every definition matched (`title` only with one definition). */
async function pushMode(rt, inputs, secrets) {
    const files = (await (0,paths/* expandDefinitions */.dA)(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f));
    for (const one of ['space-id', 'title']) {
        if (inputs[one] && files.length !== 1)
            throw new util_errors/* SpaceOpsError */.Dc(`input ${one} names one space but definition matches ${files.length} files; point definition at one file`);
    }
    const client = actionClient(rt, inputs, secrets);
    const logger = actionLogger(rt, secrets);
    // up to `concurrency` definitions at a time over one listing, one lock per records folder for the
    // run; definitions of one title one after another (the second finds what the first created)
    const indexes = new RunIndexes();
    const locks = new RunLocks(() => indexes.invalidate());
    const sameSpace = new pool/* KeyedMutex */.yA();
    const overrides = {
        ...(inputs['warehouse-id'] ? { warehouse_id: inputs['warehouse-id'] } : {}),
        ...(inputs['parent-path'] ? { parent_path: inputs['parent-path'] } : {}),
        ...(inputs.title ? { title: inputs.title } : {})
    };
    // (the definitions are read and checked ahead, one at a time, while the requests of those before are in flight)
    const results = await (0,pool/* mapAhead */.MG)(files, inputs.concurrency ?? pool/* DEFAULT_CONCURRENCY */.WH, (file) => (0,validate/* readDefinition */.Ud)(file, { cwd: rt.cwd, strict: true }), async (reading, file) => {
        try {
            const { definition } = await reading;
            const ctx = pushRecordsContext({
                client,
                space: definition.space,
                overrides,
                key: (0,promote_config.spaceKey)(file),
                statePath: inputs['state-path'],
                run: runInfo(rt.env, 'action'),
                logger,
                lock: lockSettings(rt.env, inputs['lock-timeout'], core_names/* ACTION_NAMES */.G),
                containsSecret: (t) => secrets.redact(t) !== t,
                locks
            });
            const title = desiredSpace(definition.space, overrides).meta.title ?? '';
            const result = await sameSpace.run(title, () => pushWithRecords(client, definition.space, {
                ...(inputs['space-id'] ? { spaceId: inputs['space-id'] } : {}),
                overrides,
                dryRun: inputs['dry-run'] ?? false,
                logger,
                names: core_names/* ACTION_NAMES */.G,
                index: indexes.for(client)
            }, ctx));
            return { file, result };
        }
        catch (err) {
            return { file, error: secrets.redact((0,util_errors/* describeError */.Uc)(err)) };
        }
    });
    for (const { file, result, error } of results) {
        if (!result) {
            // with one definition the step's failure says it all (below)
            if (results.length > 1)
                rt.error(`${file}: ${error ?? 'failed'}`, { title: 'SpaceOps: push failed', file });
            continue;
        }
        if (result.diff.changes.length)
            rt.infoLines(renderText([{ definition: file, title: result.title, status: 'changed', diff: result.diff }]).trimEnd());
        rt.info(`${file}: ${result.action} ${result.spaceId ?? ''} "${result.title}"`);
    }
    const ids = Object.fromEntries(results.filter((r) => r.result?.spaceId).map((r) => [r.file, r.result?.spaceId]));
    const last = results[results.length - 1]?.result?.spaceId;
    if (last)
        rt.setOutput('space-id', last);
    rt.setOutput('space-ids', JSON.stringify(ids));
    rt.setOutput('changed', String(results.some((r) => r.result && r.result.action !== 'unchanged')));
    const rows = results.map(({ file, result, error }) => result
        ? `| ${(0,summary.md)(file)} | ${result.action} | ${result.spaceId ?? '—'} | ${(0,summary.md)(result.action === 'created' || result.action === 'would-create' ? 'new space' : summaryLine(result.diff))} |`
        : `| ${(0,summary.md)(file)} | error | — | ${(0,summary.md)(error ?? 'failed')} |`);
    await rt.appendSummary([`### SpaceOps push${inputs['dry-run'] ? ' (dry run)' : ''}`, '', '| Definition | Result | Space id | Changes |', '|---|---|---|---|', ...rows, ''].join('\n'));
    const failed = results.filter((r) => !r.result);
    if (failed.length) {
        const only = results.length === 1 ? failed[0] : undefined;
        rt.setFailed(only
            ? (only.error ?? 'failed')
            : `${failed.length} of ${results.length} definition(s) could not be pushed: ${failed.map((f) => `${f.file}: ${f.error ?? 'failed'}`).join('; ')}`);
        return false;
    }
    return true;
}
/**
 * mode: snapshot — bring live spaces into Git. With `space-id`: that space into the one file named
 * by `definition`. Without: every definition `definition` matches gets its live space (found as
 * drift finds it; with `target-env`, in that environment and mapped back into the source names),
 * edited in place. With `all-spaces`: adoption of the workspace (or of `parent-path`) into the
 * folder `definition` names. Outputs `changed-files` (one per line, for a pull request step).
 */
async function snapshotMode(rt, inputs, secrets) {
    const spaceId = inputs['space-id'];
    const target = inputs['target-env'];
    const configFile = inputs.config ?? 'config/promotion.yaml';
    if (inputs['write-ids'] && !(inputs['all-spaces'] && target))
        throw new util_errors/* SpaceOpsError */.Dc('input write-ids goes with all-spaces and target-env in mode snapshot');
    const config = target ? await (0,promote_config.loadPromotionConfig)(configFile, rt.cwd, core_names/* ACTION_NAMES */.G) : undefined;
    const connect = config && target ? actionConnector(rt, inputs, secrets, config, target) : undefined;
    const client = connect && target ? connect(target).client : actionClient(rt, inputs, secrets);
    const policy = config ? actionExpansion(rt, inputs, secrets, config) : undefined;
    const env = config && target && policy ? { config, name: target, policy } : undefined;
    const changedFiles = [];
    if (inputs['all-spaces']) {
        const dir = inputs.definition.length === 1 ? inputs.definition[0] : undefined;
        if (!dir || /[*?{[]/.test(dir) || (0,load/* formatOf */.be)(dir))
            throw new util_errors/* SpaceOpsError */.Dc('mode snapshot with all-spaces needs input definition: the folder to write the definitions into (e.g. spaces)');
        const result = await adoptSpaces(client, {
            dir,
            cwd: rt.cwd,
            ...(inputs['parent-path'] ? { folder: inputs['parent-path'] } : {}),
            force: inputs.force ?? false,
            names: core_names/* ACTION_NAMES */.G,
            ...(env ? { env: { config: env.config, envc: (0,promote_config.resolveEnvironment)(env.config, env.name, env.policy), writeIds: inputs['write-ids'] ?? false } } : {}),
            run: runInfo(rt.env, 'action'),
            now: () => new Date(),
            logger: actionLogger(rt, secrets),
            containsSecret: (t) => secrets.redact(t) !== t
        });
        for (const w of result.written)
            rt.info(`wrote ${w.file} from space ${w.spaceId} "${w.title}"`);
        for (const k of result.skipped)
            rt.warning(`skipped space ${k.spaceId} "${k.title}": ${k.reason}`);
        changedFiles.push(...result.written.map((w) => w.file));
        if (config && inputs['write-ids'] && result.written.some((w) => w.idWritten))
            changedFiles.push(config.file);
        rt.setOutput('path', dir);
    }
    else {
        let files;
        if (spaceId) {
            const one = inputs.definition.length === 1 ? inputs.definition[0] : undefined;
            if (!one || /[*?{[]/.test(one))
                throw new util_errors/* SpaceOpsError */.Dc('mode snapshot with space-id needs input definition: the one file to write (e.g. spaces/sales/space.yaml)');
            if (!(0,load/* formatOf */.be)(one))
                throw new util_errors/* SpaceOpsError */.Dc(`${one}: use a .yaml or .geniespace.json file name`);
            files = [one];
        }
        else
            files = (await (0,paths/* expandDefinitions */.dA)(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f));
        const src = { client, ...(env ? { env } : {}), statePath: inputs['state-path'] };
        // up to `concurrency` definitions at a time, reported in definition order; one that fails does
        // not stop the others, and the first failure is the mode's error once all have been written
        const { results: outcomes, firstError } = await (0,pool/* mapSettled */.AW)(files, inputs.concurrency ?? pool/* DEFAULT_CONCURRENCY */.WH, (file) => snapshotDefinition(src, file, rt.cwd, { spaceId, force: inputs.force, onlySpace: files.length === 1, names: core_names/* ACTION_NAMES */.G }));
        for (const [i, file] of files.entries()) {
            const o = outcomes[i];
            if (!o || !('value' in o))
                continue;
            const r = o.value;
            if (r.note)
                rt.warning(r.note);
            rt.info(`${r.changed ? 'updated' : 'unchanged:'} ${file} from space ${r.spaceId} "${r.title}"`);
            if (r.changed)
                changedFiles.push(file);
            rt.setOutput('space-id', r.spaceId);
        }
        if (firstError)
            throw firstError.error;
        rt.setOutput('path', files.length === 1 ? files[0] : '');
    }
    rt.setOutput('changed-files', changedFiles.join('\n'));
    rt.setOutput('changed', String(changedFiles.length > 0));
    await rt.appendSummary([
        `### SpaceOps snapshot${target ? ` of ${(0,summary.md)(target)}` : ''}`,
        '',
        changedFiles.length ? changedFiles.map((f) => `- ${(0,summary.md)(f)}`).join('\n') : 'No definition changed.',
        ''
    ].join('\n'));
    return true;
}

;// CONCATENATED MODULE: ./src/plan/plan.ts







/** The record, or a note saying why there is none to use (plans never fail on records). */
async function recordOf(client, options) {
    if (!options.records?.folder)
        return {};
    try {
        const record = await readRecord(client, options.records.folder, options.records.key);
        return record ? { record } : {};
    }
    catch (err) {
        if (err instanceof RecordsUnreadableError)
            return { note: err.message };
        throw err;
    }
}
/**
 * The record and the live space. A space id given (input space-id, the environment's space_id)
 * names the space whatever the record says, so both are read at once — one round trip per
 * definition instead of two; otherwise the record's binding says where to look, so it comes first.
 */
async function recordAndSpace(client, desired, options) {
    const given = options.spaceId ? locateSpace(client, desired, options.spaceId, undefined, options.index) : undefined;
    // the record's failure is the plan's error; the space's, when both fail, is not left unhandled
    given?.catch(() => undefined);
    const { record } = await recordOf(client, options);
    const liveApi = await (given ?? locateSpace(client, desired, options.spaceId, record?.space_id ?? undefined, options.index));
    return { ...(record ? { record } : {}), ...(liveApi ? { liveApi } : {}) };
}
async function planSpace(client, space, options) {
    const desired = desiredSpace(space, options.overrides);
    const title = desired.meta.title ?? options.definition;
    const base = { definition: options.definition, title, ...(options.target ? { target: options.target } : {}) };
    try {
        requireTitle(desired.meta);
        const { liveApi } = await recordAndSpace(client, desired, options);
        if (!liveApi) {
            if (!desired.permissions)
                return { ...base, status: 'new', diff: render_contentOf(desired) };
            // permissions as code: the lock-out guard already at plan time, and the grants the new space gets
            const w = await withGrants(client, undefined, undefined, desired, options.definition);
            const changes = [...render_contentOf(w.desired).changes, ...grantChanges([], w.desired.permissions ?? [])];
            return { ...base, status: 'new', diff: { changes, counts: { add: changes.length, change: 0, remove: 0 } } };
        }
        const w = await withGrants(client, liveApi.space_id, live_spaceFromApi(liveApi), desired, options.definition);
        const diff = diffSpaces(w.live, w.desired);
        const renamed = desired.meta.title && liveApi.title !== desired.meta.title ? { renamedFrom: liveApi.title } : {};
        return { ...base, spaceId: liveApi.space_id, status: diff.changes.length ? 'changed' : 'unchanged', diff, ...renamed };
    }
    catch (err) {
        return { ...base, ...(options.spaceId ? { spaceId: options.spaceId } : {}), status: 'error', error: (0,util_errors/* describeError */.Uc)(err) };
    }
}
/** Drift: the live space compared with Git — what someone changed outside SpaceOps. */
async function driftSpace(client, space, options) {
    const desired = desiredSpace(space, options.overrides);
    const title = desired.meta.title ?? options.definition;
    const base = { definition: options.definition, title, ...(options.target ? { target: options.target } : {}) };
    try {
        requireTitle(desired.meta);
        const { record, liveApi } = await recordAndSpace(client, desired, options);
        if (!liveApi)
            return { ...base, status: 'error', error: 'the space does not exist in the workspace (not deployed yet, or deleted)' };
        const live = live_spaceFromApi(liveApi);
        // grants changed in the UI (only when the definition has permissions): against Git, as the
        // records hold content only
        const w = await withGrants(client, liveApi.space_id, live, desired, options.definition);
        const grantDrift = w.live?.permissions && w.desired.permissions ? grantChanges(w.desired.permissions, w.live.permissions) : [];
        // With a deploy record, drift is what changed since SpaceOps' last write (commits merged but not
        // yet deployed are not drift); without one, before = Git and after = live.
        const own = options.records ? ownership(record, liveApi.space_id, live, options.records.key) : { kind: 'no-record' };
        const diff = own.kind === 'own'
            ? { changes: [], counts: { add: 0, change: 0, remove: 0 } }
            : own.kind === 'edited'
                ? own.diff
                : diffSpaces(desired, live, { onlyDesiredMeta: false });
        // metadata the definition leaves unset is not drift
        diff.changes = [...diff.changes.filter((c) => c.what !== 'space' || desired.meta[c.fields[0]?.field] != null), ...grantDrift];
        diff.counts = { add: 0, change: 0, remove: 0 };
        for (const c of diff.changes)
            diff.counts[c.kind]++;
        return { ...base, spaceId: liveApi.space_id, status: diff.changes.length ? 'changed' : 'unchanged', diff };
    }
    catch (err) {
        return { ...base, ...(options.spaceId ? { spaceId: options.spaceId } : {}), status: 'error', error: (0,util_errors/* describeError */.Uc)(err) };
    }
}

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
;// CONCATENATED MODULE: ./src/github/octokit.ts


/**
 * The GitHub REST client SpaceOps talks through, and the one-line error it throws.
 *
 * Everything in `src/github/` takes a `GitHubClient` (the `request` method of an Octokit), never a
 * global: `createOctokit` builds the real one with an injected fetch and base URL, so tests point it
 * at msw or at the loopback fake (`__tests__/helpers/fake-github.ts`).
 */
const DEFAULT_API_URL = 'https://api.github.com';
/** An Octokit for `token` that sends every request through `fetch` to `baseUrl`. */
function createOctokit(token, options) {
    const log = options.log;
    return (0,github/* getOctokit */.Q)(token, {
        baseUrl: (options.baseUrl || DEFAULT_API_URL).replace(/\/+$/, ''),
        request: { fetch: options.fetch },
        userAgent: options.userAgent ?? 'spaceops',
        log: {
            debug: (m) => log?.debug(m),
            info: (m) => log?.debug(m),
            warn: (m) => log?.warn(m),
            error: (m) => log?.warn(m)
        }
    });
}
/**
 * A GitHub API call that failed. `status` is the HTTP status (0 when no answer came back);
 * `apiMessage` is GitHub's own `message` field. The message is one line and never holds request
 * headers (so never the token).
 */
class GitHubApiError extends util_errors/* SpaceOpsError */.Dc {
    status;
    apiMessage;
    route;
    constructor(route, status, apiMessage, options = {}) {
        const what = status === 0 ? `no answer (${apiMessage})` : `${status}${apiMessage ? ` ${apiMessage}` : ''}`;
        super(`GitHub API ${route} failed: ${what}`, options);
        this.name = 'GitHubApiError';
        this.status = status;
        this.apiMessage = (0,util_errors/* oneLine */.TN)(apiMessage);
        this.route = route;
    }
}
function field(value, key) {
    return typeof value === 'object' && value !== null ? value[key] : undefined;
}
/** Turn whatever Octokit threw into a `GitHubApiError` (keeping one that already is). */
function toGitHubApiError(route, err) {
    if (err instanceof GitHubApiError)
        return err;
    const response = field(err, 'response');
    const status = field(err, 'status');
    if (response !== undefined && typeof status === 'number') {
        const data = field(response, 'data');
        const apiMessage = field(data, 'message');
        // kept whole: it is redacted before anything prints (and so before anything cuts) it
        const text = typeof apiMessage === 'string' ? apiMessage : typeof data === 'string' ? data : '';
        return new GitHubApiError(route, status, text, { cause: err });
    }
    // No response: a network failure (Octokit reports those as status 500 without a response).
    const message = err instanceof Error ? err.message || err.name : String(err);
    return new GitHubApiError(route, 0, message, { cause: err });
}
/** `client.request`, with failures as one-line `GitHubApiError`s naming the route. */
async function githubRequest(client, route, parameters) {
    try {
        return await client.request(route, parameters);
    }
    catch (err) {
        throw toGitHubApiError(routeLabel(route, parameters), err);
    }
}
/** `GET /repos/{owner}/{repo}` with the path parameters filled in, for messages. */
function routeLabel(route, parameters = {}) {
    return route.replace(/\{(\w+)\}/g, (whole, name) => {
        const v = parameters[name];
        return typeof v === 'string' || typeof v === 'number' ? String(v) : whole;
    });
}
/** Whether a Link header is present, and the URL of its `rel="next"` page if it has one. */
function parseLinkHeader(headers) {
    const link = headers.link ?? headers.Link;
    if (typeof link !== 'string' || link.trim() === '')
        return { present: false };
    for (const part of link.split(',')) {
        const m = /<([^>]*)>(.*)$/.exec(part.trim());
        const rel = m ? /\brel="?([^";]*)"?/.exec(m[2] ?? '') : null;
        if (m && rel && (rel[1] ?? '').split(/\s+/).includes('next'))
            return { present: true, next: m[1] ?? '' };
    }
    return { present: true };
}
/**
 * Read a `page`/`per_page` listing to its end: stops at a short page, or when a Link header is
 * present and has no `rel="next"` (a full page without any Link header is followed by one more
 * request, which comes back empty).
 */
async function listAllPages(client, route, parameters, options) {
    const perPage = Math.min(Math.max(1, options.perPage ?? 100), 100);
    const maxPages = options.maxPages ?? 1000;
    const items = [];
    for (let page = 1;; page++) {
        const res = await githubRequest(client, route, { ...parameters, per_page: perPage, page });
        if (!Array.isArray(res.data)) {
            throw new GitHubApiError(routeLabel(route, parameters), res.status, `expected a list, got ${res.data === null ? 'null' : typeof res.data}`);
        }
        const data = res.data;
        data.forEach((raw, i) => items.push(options.parseItem(raw, i)));
        if (options.maxItems !== undefined && items.length >= options.maxItems) {
            // Reaching the cap means "maybe more": GitHub does not say whether the list went on.
            items.length = options.maxItems;
            return { items, pages: page, capped: true };
        }
        const link = parseLinkHeader(res.headers);
        if (data.length < perPage || (link.present && link.next === undefined))
            return { items, pages: page, capped: false };
        if (page >= maxPages)
            return { items, pages: page, capped: true };
    }
}

;// CONCATENATED MODULE: ./src/github/context.ts



/** Events whose payload must carry a `pull_request`. */
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'];
const RepoSchema = schemas/* object */.Ikc({ full_name: schemas/* string */.YjP().regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name') });
const PullRequestSchema = schemas/* object */.Ikc({
    number: schemas/* number */.aig().int().positive(),
    head: schemas/* object */.Ikc({ sha: schemas/* string */.YjP().min(1), repo: RepoSchema.nullable().optional() }),
    base: schemas/* object */.Ikc({ sha: schemas/* string */.YjP().min(1), repo: RepoSchema })
});
const PayloadSchema = schemas/* object */.Ikc({
    pull_request: PullRequestSchema.optional(),
    after: schemas/* string */.YjP().optional()
});
const EnvSchema = schemas/* object */.Ikc({
    GITHUB_EVENT_NAME: schemas/* string */.YjP().min(1, 'is not set'),
    GITHUB_REPOSITORY: schemas/* string */.YjP().regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name'),
    GITHUB_EVENT_PATH: schemas/* string */.YjP().optional(),
    GITHUB_API_URL: schemas/* url */.OZ5().optional(),
    GITHUB_SERVER_URL: schemas/* url */.OZ5().optional(),
    GITHUB_RUN_ID: schemas/* string */.YjP().regex(/^\d+$/, 'expected a number').optional(),
    GITHUB_JOB: schemas/* string */.YjP().optional(),
    GITHUB_SHA: schemas/* string */.YjP().optional()
});
function issuesText(error, prefix = '') {
    const shown = error.issues.slice(0, 3).map((i) => {
        const at = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
        return `${at || '(root)'}: ${i.message}`;
    });
    const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
    return (0,util_errors/* oneLine */.TN)(shown.join('; ') + more);
}
function nonEmpty(env, name) {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
}
/**
 * Read the workflow context. `readFile` reads the event payload (`GITHUB_EVENT_PATH`) as text.
 * Throws a one-line `SpaceOpsError` when a variable or the payload is malformed.
 */
function readGitHubContext(env, readFile) {
    const names = [
        'GITHUB_EVENT_NAME',
        'GITHUB_REPOSITORY',
        'GITHUB_EVENT_PATH',
        'GITHUB_API_URL',
        'GITHUB_SERVER_URL',
        'GITHUB_RUN_ID',
        'GITHUB_JOB',
        'GITHUB_SHA'
    ];
    const raw = {};
    for (const n of names)
        raw[n] = nonEmpty(env, n);
    raw.GITHUB_EVENT_NAME ??= '';
    raw.GITHUB_REPOSITORY ??= '';
    const parsedEnv = EnvSchema.safeParse(raw);
    if (!parsedEnv.success)
        throw new util_errors/* SpaceOpsError */.Dc(`GitHub workflow environment: ${issuesText(parsedEnv.error)}`);
    const e = parsedEnv.data;
    const eventName = e.GITHUB_EVENT_NAME;
    const needsPr = PULL_REQUEST_EVENTS.includes(eventName);
    let payloadValue = {};
    if (e.GITHUB_EVENT_PATH) {
        let text;
        try {
            text = readFile(e.GITHUB_EVENT_PATH);
        }
        catch (err) {
            const why = err instanceof Error ? err.message : String(err);
            throw new util_errors/* SpaceOpsError */.Dc(`cannot read the ${eventName} event payload (GITHUB_EVENT_PATH): ${why}`, { location: { file: e.GITHUB_EVENT_PATH } });
        }
        try {
            payloadValue = JSON.parse(text);
        }
        catch (err) {
            const why = err instanceof Error ? err.message : String(err);
            throw new util_errors/* SpaceOpsError */.Dc(`the ${eventName} event payload is not valid JSON: ${why}`, { location: { file: e.GITHUB_EVENT_PATH } });
        }
        if (typeof payloadValue !== 'object' || payloadValue === null || Array.isArray(payloadValue)) {
            throw new util_errors/* SpaceOpsError */.Dc(`the ${eventName} event payload is not a JSON object`, { location: { file: e.GITHUB_EVENT_PATH } });
        }
    }
    else if (needsPr) {
        throw new util_errors/* SpaceOpsError */.Dc(`GITHUB_EVENT_PATH is not set, so the ${eventName} event's pull request is unknown`);
    }
    const payload = PayloadSchema.safeParse(payloadValue);
    if (!payload.success) {
        throw new util_errors/* SpaceOpsError */.Dc(`the ${eventName} event payload is malformed: ${issuesText(payload.error)}`, e.GITHUB_EVENT_PATH ? { location: { file: e.GITHUB_EVENT_PATH } } : {});
    }
    const pr = payload.data.pull_request;
    if (needsPr && !pr) {
        throw new util_errors/* SpaceOpsError */.Dc(`the ${eventName} event payload has no pull_request`, e.GITHUB_EVENT_PATH ? { location: { file: e.GITHUB_EVENT_PATH } } : {});
    }
    const [owner = '', repo = ''] = e.GITHUB_REPOSITORY.split('/');
    const serverUrl = (e.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
    const ctx = {
        eventName,
        repo: { owner, repo },
        apiUrl: (e.GITHUB_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, ''),
        serverUrl,
        job: e.GITHUB_JOB ?? ''
    };
    if (e.GITHUB_RUN_ID)
        ctx.runUrl = `${serverUrl}/${owner}/${repo}/actions/runs/${e.GITHUB_RUN_ID}`;
    const sha = e.GITHUB_SHA ?? payload.data.after;
    if (sha)
        ctx.sha = sha;
    if (pr) {
        const head = pr.head.repo?.full_name ?? null;
        const base = pr.base.repo.full_name;
        ctx.pullRequest = {
            number: pr.number,
            headRepoFullName: head,
            baseRepoFullName: base,
            isFork: head === null || head.toLowerCase() !== base.toLowerCase(),
            baseSha: pr.base.sha,
            headSha: pr.head.sha
        };
    }
    return ctx;
}
/** GitHub lists at most this many files of a pull request. */
const PULL_REQUEST_FILES_CAP = 3000;
const PullFileSchema = schemas/* object */.Ikc({
    filename: schemas/* string */.YjP().min(1),
    status: schemas/* string */.YjP().optional(),
    previous_filename: schemas/* string */.YjP().min(1).optional()
});
/** Every file path a pull request touches (`GET /repos/{owner}/{repo}/pulls/{n}/files`, all pages). */
async function listChangedFiles(client, ctx, options = {}) {
    const pr = ctx.pullRequest;
    if (!pr)
        throw new util_errors/* SpaceOpsError */.Dc(`changed files need a pull request, and the ${ctx.eventName} event has none`);
    const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files';
    const listed = await listAllPages(client, route, { owner: ctx.repo.owner, repo: ctx.repo.repo, pull_number: pr.number }, {
        perPage: 100,
        maxItems: PULL_REQUEST_FILES_CAP,
        parseItem: (item, i) => {
            const r = PullFileSchema.safeParse(item);
            if (!r.success)
                throw new util_errors/* SpaceOpsError */.Dc(`GitHub API ${route.replace('{pull_number}', String(pr.number))} answered an unexpected file entry: ${issuesText(r.error, `[${i}]`)}`);
            return r.data;
        }
    });
    const seen = new Set();
    const files = [];
    for (const f of listed.items) {
        for (const path of [f.previous_filename, f.filename]) {
            if (path !== undefined && !seen.has(path)) {
                seen.add(path);
                files.push(path);
            }
        }
    }
    const result = { files, capped: listed.capped };
    if (listed.capped) {
        result.warning = `pull request #${pr.number} touches at least ${PULL_REQUEST_FILES_CAP} files and GitHub lists only the first ${PULL_REQUEST_FILES_CAP}: changes to later files are not seen`;
        options.logger?.warn(result.warning);
    }
    return result;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/github/fit.ts
var fit = __webpack_require__(6123);
;// CONCATENATED MODULE: ./src/github/comment.ts





/**
 * The sticky pull-request comment: one comment per (kind, job, target) that SpaceOps keeps up to
 * date instead of adding another on every run. A hidden marker at the start of the body finds it;
 * only comments by the identity that posts count, so a lookalike by someone else is never edited.
 */
/** The login that comments made with a workflow's GITHUB_TOKEN carry. */
const GITHUB_ACTIONS_BOT = 'github-actions[bot]';
function sanitizeMarkerPart(part) {
    return part
        .normalize('NFKC')
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/-{2,}/g, '-')
        .replace(/^[-.]+|[-.]+$/g, '')
        .slice(0, 100);
}
/**
 * The hidden marker of one sticky comment, e.g. `commentMarker('plan', 'dev')` →
 * `<!-- spaceops:plan:dev -->`, `commentMarker('plan', [job, env])` → `<!-- spaceops:plan:job:env -->`.
 * Every part is reduced to `[A-Za-z0-9._-]` (so it can neither end the HTML comment nor contain `--`).
 */
function commentMarker(kind, key) {
    const parts = (typeof key === 'string' ? [key] : [...key]).map(sanitizeMarkerPart).filter((p) => p !== '');
    return `<!-- spaceops:${sanitizeMarkerPart(kind) || 'report'}:${parts.join(':') || 'default'} -->`;
}
/** Whether a comment body is one carrying `marker` (at its start, as SpaceOps writes it). */
function hasMarker(body, marker) {
    return body
        .replace(/^\uFEFF/, '')
        .trimStart()
        .startsWith(marker);
}
/** The body as posted: the marker on the first line, then `body` (unless it already starts with the marker). */
function markedBody(marker, body) {
    return hasMarker(body, marker) ? body : `${marker}\n${body}`;
}
/** Bodies GitHub would show the same: line endings and trailing whitespace do not count. */
function sameBody(a, b) {
    const norm = (s) => s.replace(/\r\n?/g, '\n').trimEnd();
    return norm(a) === norm(b);
}
const CommentSchema = schemas/* object */.Ikc({
    id: schemas/* number */.aig().int(),
    body: schemas/* string */.YjP().nullish(),
    user: schemas/* object */.Ikc({ login: schemas/* string */.YjP() }).nullable(),
    html_url: schemas/* string */.YjP(),
    created_at: schemas/* string */.YjP().optional()
});
const UserSchema = schemas/* object */.Ikc({ login: schemas/* string */.YjP().min(1) });
function parseComment(route, value) {
    const r = CommentSchema.safeParse(value);
    if (!r.success) {
        const i = r.error.issues[0];
        throw new util_errors/* SpaceOpsError */.Dc(`GitHub API ${route} answered an unexpected comment: ${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'}`);
    }
    return r.data;
}
/**
 * The login of the token's identity: `GET /user` when the token may read it (a personal token),
 * else `github-actions[bot]` (GITHUB_TOKEN answers 403 there). A GitHub App token also cannot read
 * `/user`: pass its `<app-slug>[bot]` login as `author` to `upsertStickyComment` instead.
 */
async function resolveCommentAuthor(client, logger = silentLogger) {
    try {
        const res = await githubRequest(client, 'GET /user');
        const user = UserSchema.safeParse(res.data);
        if (user.success)
            return user.data.login;
        logger.debug(`GET /user answered no login; assuming comments are by ${GITHUB_ACTIONS_BOT}`);
    }
    catch (err) {
        if (!(err instanceof GitHubApiError) || ![401, 403, 404].includes(err.status))
            throw err;
        logger.debug(`GET /user answered ${err.status}; assuming comments are by ${GITHUB_ACTIONS_BOT}`);
    }
    return GITHUB_ACTIONS_BOT;
}
/** Every comment of an issue or pull request, all pages (100 a page). */
async function listIssueComments(client, repo, issueNumber) {
    const route = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
    const params = { owner: repo.owner, repo: repo.repo, issue_number: issueNumber };
    const label = routeLabel(route, params);
    const { items } = await listAllPages(client, route, params, { perPage: 100, parseItem: (c) => parseComment(label, c) });
    return items;
}
function newestFirst(a, b) {
    const ta = a.created_at ? Date.parse(a.created_at) : NaN;
    const tb = b.created_at ? Date.parse(b.created_at) : NaN;
    if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb)
        return tb - ta;
    return b.id - a.id;
}
/** Split the comments carrying `marker` into the author's own (newest first) and lookalikes. */
function matchStickyComments(comments, marker, author) {
    const marked = comments.filter((c) => hasMarker(c.body ?? '', marker));
    const mine = (c) => (c.user?.login ?? '').toLowerCase() === author.toLowerCase();
    return { own: marked.filter(mine).sort(newestFirst), lookalikes: marked.filter((c) => !mine(c)) };
}
/** An answer that means "this token may not comment here", as opposed to a failure. */
function permissionProblem(err) {
    if (!(err instanceof GitHubApiError))
        return undefined;
    if (err.status === 401 || err.status === 404)
        return err;
    if (err.status === 403 && !/rate limit|abuse/i.test(err.apiMessage))
        return err;
    return undefined;
}
function skipped(err, issueNumber) {
    const answer = `${err.status}${err.apiMessage ? ` "${err.apiMessage}"` : ''}`;
    const why = err.status === 401
        ? 'the token was rejected'
        : err.status === 404
            ? 'the pull request is not visible to this token'
            : 'the token may not write comments here';
    const hint = err.status === 401
        ? 'check the github-token input'
        : 'a pull request from a fork gets a read-only GITHUB_TOKEN; otherwise give the job "permissions: pull-requests: write"';
    return {
        action: 'skipped',
        status: err.status,
        reason: `cannot comment on #${issueNumber}: ${why} (GitHub answered ${answer} to ${err.route}); ${hint}`
    };
}
/**
 * Create SpaceOps' sticky comment, or update the one it posted before (the newest, when a race left
 * several), or leave it when the body is the same. "No permission" answers (401, 403 other than
 * rate limits, 404) return `{ action: 'skipped', reason }` for the caller to warn about once; any
 * other failure throws a one-line `GitHubApiError`.
 */
async function upsertStickyComment(options) {
    const { octokit, repo, issueNumber, marker } = options;
    const logger = options.logger ?? silentLogger;
    if (!/^<!--[^\n]*-->$/.test(marker) || marker.slice(4, -3).includes('--')) {
        throw new util_errors/* SpaceOpsError */.Dc(`not a comment marker: ${JSON.stringify(marker)} (build it with commentMarker)`);
    }
    let body = markedBody(marker, options.body);
    if ((0,fit/* sizeOf */.$d)(body, 'characters') > fit/* COMMENT_BODY_LIMIT */.tx) {
        logger.warn(`the comment body has ${(0,fit/* sizeOf */.$d)(body, 'characters')} characters, more than GitHub's ${fit/* COMMENT_BODY_LIMIT */.tx}: cutting it`);
        body = (0,fit/* truncateMarkdown */.o4)(body, fit/* COMMENT_BODY_LIMIT */.tx, { unit: 'characters', suffix: `\n\n> ⚠️ ${(0,fit/* trimmedNote */.N0)('comment', options.fullReportUrl)}\n` });
    }
    try {
        const author = options.author ?? (await resolveCommentAuthor(octokit, logger));
        const comments = await listIssueComments(octokit, repo, issueNumber);
        const { own, lookalikes } = matchStickyComments(comments, marker, author);
        for (const c of lookalikes)
            logger.debug(`ignoring comment ${c.id} by ${c.user?.login ?? 'a deleted user'}: it carries ${marker} but was not posted by ${author}`);
        if (own.length > 1)
            logger.debug(`${own.length} comments by ${author} carry ${marker}; updating the newest (${own[0]?.id})`);
        const existing = own[0];
        if (existing) {
            if (sameBody(existing.body ?? '', body)) {
                logger.info(`PR comment unchanged: ${existing.html_url}`);
                return { action: 'unchanged', commentId: existing.id, url: existing.html_url };
            }
            const route = 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}';
            const params = { owner: repo.owner, repo: repo.repo, comment_id: existing.id };
            try {
                const res = await githubRequest(octokit, route, { ...params, body });
                const updated = parseComment(routeLabel(route, params), res.data);
                logger.info(`PR comment updated: ${updated.html_url}`);
                return { action: 'updated', commentId: updated.id, url: updated.html_url };
            }
            catch (err) {
                // Deleted since it was listed: post a new one.
                if (!(err instanceof GitHubApiError && err.status === 404))
                    throw err;
                logger.debug(`comment ${existing.id} is gone; creating a new one`);
            }
        }
        const route = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
        const params = { owner: repo.owner, repo: repo.repo, issue_number: issueNumber };
        const res = await githubRequest(octokit, route, { ...params, body });
        const created = parseComment(routeLabel(route, params), res.data);
        logger.info(`PR comment created: ${created.html_url}`);
        return { action: 'created', commentId: created.id, url: created.html_url };
    }
    catch (err) {
        const denied = permissionProblem(err);
        if (denied)
            return skipped(denied, issueNumber);
        throw err;
    }
}

;// CONCATENATED MODULE: ./src/action/report.ts






function workflowContext(rt) {
    if (!rt.env.GITHUB_REPOSITORY)
        return undefined;
    try {
        return readGitHubContext(rt.env, (p) => (0,external_node_fs_.readFileSync)(p, 'utf8'));
    }
    catch (err) {
        rt.warning(`cannot read the workflow event: ${(0,util_errors/* describeError */.Uc)(err)}`);
        return undefined;
    }
}
async function publishReport(rt, inputs, secrets, options) {
    const ctx = workflowContext(rt);
    // Redacted whole before fitReport cuts anything (a cut secret would no longer match).
    const levels = options.levels.map((l) => secrets.redact(l));
    const summary = (0,fit/* fitReport */.kq)(levels, { limit: fit/* JOB_SUMMARY_LIMIT */.zS - 1024, unit: 'bytes', note: (0,fit/* trimmedNote */.N0)('summary', ctx?.runUrl) });
    await rt.appendSummary(summary.text);
    if (inputs.comment === false)
        return 'off';
    if (!ctx?.pullRequest)
        return 'not-a-pull-request';
    const token = inputs['github-token'];
    if (!token) {
        rt.warning('no github-token: the plan is in the job summary only (pass github-token, or leave its default)');
        return 'skipped';
    }
    secrets.add(token);
    const marker = commentMarker(options.kind, [ctx.job || 'job', options.target ?? 'default']);
    const body = (0,fit/* fitReport */.kq)(levels, { limit: fit/* COMMENT_BODY_LIMIT */.tx - marker.length - 16, note: (0,fit/* trimmedNote */.N0)('comment', ctx.runUrl) });
    try {
        const octokit = createOctokit(token, { fetch: globalThis.fetch, baseUrl: ctx.apiUrl });
        const result = await upsertStickyComment({
            octokit,
            repo: ctx.repo,
            issueNumber: ctx.pullRequest.number,
            marker,
            body: body.text,
            ...(ctx.runUrl ? { fullReportUrl: ctx.runUrl } : {})
        });
        if (result.action === 'skipped') {
            rt.warning(`${secrets.redact(result.reason)}. The report is in the job summary.`);
            return 'skipped';
        }
        rt.info(`pull request comment ${result.action}: ${result.url}`);
        return result.action;
    }
    catch (err) {
        rt.warning(`could not write the pull request comment: ${secrets.redact((0,util_errors/* describeError */.Uc)(err))}. The report is in the job summary.`);
        return 'skipped';
    }
}

// EXTERNAL MODULE: ./src/github/annotations.ts
var annotations = __webpack_require__(4793);
;// CONCATENATED MODULE: ./src/action/plan.ts























/**
 * mode: diff — plan every definition matched against the space it deploys to (in a pull request,
 * only those whose folder the pull request touches, unless all-spaces), post the plan as a sticky
 * comment and in the job summary. mode: drift — the live spaces against Git.
 */
const isSuite = (f) => /(^|\/)benchmarks\//.test(f);
/** Definitions whose folder the pull request touches; undefined = plan all (not a PR, or unknown). */
async function touchedDefinitions(rt, inputs, secrets, files) {
    if (inputs['all-spaces'])
        return undefined;
    const ctx = workflowContext(rt);
    if (!ctx?.pullRequest)
        return undefined;
    const token = inputs['github-token'];
    if (!token)
        return undefined;
    secrets.add(token);
    try {
        const changed = await listChangedFiles(createOctokit(token, { fetch: globalThis.fetch, baseUrl: ctx.apiUrl }), ctx);
        if (changed.capped) {
            rt.warning(`${changed.warning ?? 'the pull request touches more files than GitHub lists'}; planning every space`);
            return undefined;
        }
        const config = inputs.config ? external_node_path_default().normalize(inputs.config) : undefined;
        if (config && changed.files.some((f) => external_node_path_default().normalize(f) === config)) {
            rt.info(`${inputs.config} changed: planning every space`);
            return undefined;
        }
        return files.filter((def) => {
            const dir = external_node_path_default().posix.dirname(def);
            return changed.files.some((f) => f === def || (dir !== '.' && f.startsWith(`${dir}/`)));
        });
    }
    catch (err) {
        rt.warning(`cannot list the pull request's files (${(0,util_errors/* describeError */.Uc)(err)}); planning every space`);
        return undefined;
    }
}
async function writePlanFile(rt, name, plans) {
    const dir = rt.env.RUNNER_TEMP ? external_node_path_default().join(rt.env.RUNNER_TEMP, 'spaceops') : external_node_path_default().join(rt.cwd, '.spaceops');
    await (0,core_files/* ensureDir */.A0)(dir);
    const file = external_node_path_default().join(dir, `${name}.json`);
    await (0,promises_.writeFile)(file, renderJson(plans));
    return file;
}
async function planAll(rt, inputs, secrets, fn, 
/** diff: the target preflight of each definition, shown above its diff (not for drift) */
preflight = false) {
    const all = (await (0,paths/* expandDefinitions */.dA)(inputs.definition, rt.cwd)).filter((f) => !isSuite(f));
    const touched = await touchedDefinitions(rt, inputs, secrets, all);
    const selected = touched ?? all;
    if (touched)
        rt.info(`the pull request touches ${touched.length} of ${all.length} space definition(s)`);
    if (inputs['space-id'] && selected.length > 1)
        throw new util_errors/* SpaceOpsError */.Dc(`input space-id names one space but ${selected.length} definitions are selected; point definition at one file`);
    // with a target environment and its promotion config, plan what that environment gets
    const target = inputs['target-env'];
    const configFile = inputs.config ?? 'config/promotion.yaml';
    const config = target && selected.length && (0,external_node_fs_.existsSync)(external_node_path_default().resolve(rt.cwd, configFile)) ? await (0,promote_config.loadPromotionConfig)(configFile, rt.cwd, core_names/* ACTION_NAMES */.G) : undefined;
    if (target && !config)
        rt.info(`no promotion config at ${configFile}: planning against the workspace of the host input as written`);
    // the same host and credential rules as mode promote: the inputs belong to the planned environment
    const connect = config && target ? actionConnector(rt, inputs, secrets, config, target) : undefined;
    const expansion = config ? actionExpansion(rt, inputs, secrets, config) : undefined;
    let client;
    const getClient = () => (client ??= connect && target ? connect(target).client : actionClient(rt, inputs, secrets));
    // one listing of the workspace per run, and up to `concurrency` definitions at a time; plans in definition order
    const indexes = new RunIndexes();
    // (the definitions are read and checked ahead, one at a time, while the requests of those before are in flight)
    const read = (file) => (0,validate/* readDefinition */.Ud)(file, { cwd: rt.cwd, strict: true });
    const plans = await (0,pool/* mapAhead */.MG)(selected, inputs.concurrency ?? pool/* DEFAULT_CONCURRENCY */.WH, read, async (reading, file) => {
        try {
            const { definition } = await reading;
            let space = definition.space;
            let spaceId = inputs['space-id'];
            let statePath = inputs['state-path'];
            if (config && target && expansion) {
                const rendered = renderFor(config, space, file, target, expansion, all.length === 1);
                space = rendered.space;
                spaceId ??= rendered.settings.space_id;
                statePath ??= rendered.envc.state_path;
            }
            const c = getClient();
            // the target preflight (read-only), when planning for an environment: its findings are
            // annotated and shown above the diff; a plan is not failed by them (promote is)
            const checked = preflight && config && target && expansion && !inputs['skip-preflight']
                ? await preflightInEnvironment({
                    client: c,
                    definition,
                    config,
                    environment: target,
                    expansion,
                    onlySpace: all.length === 1,
                    ...(inputs['warehouse-id'] ? { warehouseId: inputs['warehouse-id'] } : {})
                })
                : undefined;
            if (checked)
                (0,annotations/* annotateProblems */.$)(rt, checked.findings);
            const plan = await fn(c, space, {
                definition: file,
                records: { folder: recordsFolder({ statePath, parentPath: space.meta.parent_path }), key: (0,promote_config.spaceKey)(file) },
                ...(spaceId ? { spaceId } : {}),
                ...(target ? { target } : {}),
                overrides: inputs['warehouse-id'] ? { warehouse_id: inputs['warehouse-id'] } : {},
                index: indexes.for(c)
            });
            return checked ? { ...plan, preflight: planPreflight(checked) } : plan;
        }
        catch (err) {
            return { definition: file, title: file, status: 'error', error: secrets.redact((0,util_errors/* describeError */.Uc)(err)) };
        }
    });
    return { plans, selected, all };
}
/** GitHub's limit on the jobs one strategy.matrix makes. */
const MATRIX_LIMIT = 256;
/**
 * The definitions as at most 256 groups, each a `definition` input (newline-separated files) —
 * one file per group up to 256 definitions, then as evenly as possible, in definition order.
 */
function matrixBatches(files) {
    const size = Math.max(1, Math.ceil(files.length / MATRIX_LIMIT));
    const out = [];
    for (let i = 0; i < files.length; i += size)
        out.push(files.slice(i, i + size).join('\n'));
    return out;
}
async function diffMode(rt, inputs, secrets, extend) {
    const { plans, selected, all } = await planAll(rt, inputs, secrets, planSpace, true);
    rt.setOutput('spaces', JSON.stringify(selected));
    const batches = matrixBatches(selected);
    rt.setOutput('spaces-batches', JSON.stringify(batches));
    if (selected.length > MATRIX_LIMIT) {
        rt.warning(`${selected.length} spaces planned: a strategy.matrix takes at most ${MATRIX_LIMIT} jobs, so the spaces output cannot feed one — use spaces-batches (${batches.length} entries, each a definition input of up to ${Math.ceil(selected.length / MATRIX_LIMIT)} files)`);
    }
    rt.infoLines(renderText(plans).trimEnd() || 'no space definitions selected');
    const counts = planCounts(plans);
    const title = `SpaceOps plan${inputs['target-env'] ? ` for ${inputs['target-env']}` : ''}`;
    const extension = extend ? await extend({ plans, selected, all }) : undefined;
    await publishReport(rt, inputs, secrets, {
        kind: 'plan',
        ...(inputs['target-env'] ? { target: inputs['target-env'] } : {}),
        levels: ['full', 'summary', 'counts'].map((detail) => renderMarkdown(plans, { detail, title }) + (extension ? `\n${extension.section(detail)}` : ''))
    });
    rt.setOutput('changes', String(counts.changed + counts.new > 0));
    rt.setOutput('spaces-changed', String(counts.changed + counts.new));
    rt.setOutput('plan-path', await writePlanFile(rt, 'plan', plans));
    if (counts.error)
        rt.setFailed(`${counts.error} space(s) could not be planned`);
    return counts.error === 0 && (extension?.ok ?? true);
}
async function driftMode(rt, inputs, secrets) {
    const { plans } = await planAll(rt, { ...inputs, 'all-spaces': true }, secrets, driftSpace);
    rt.infoLines(renderText(plans).trimEnd());
    const counts = planCounts(plans);
    const title = `SpaceOps drift${inputs['target-env'] ? ` in ${inputs['target-env']}` : ''}`;
    await publishReport(rt, inputs, secrets, {
        kind: 'drift',
        ...(inputs['target-env'] ? { target: inputs['target-env'] } : {}),
        levels: ['full', 'summary', 'counts'].map((detail) => renderMarkdown(plans, { detail, title }))
    });
    rt.setOutput('drifted', String(counts.changed > 0));
    rt.setOutput('spaces-drifted', String(counts.changed));
    rt.setOutput('plan-path', await writePlanFile(rt, 'drift', plans));
    for (const p of plans.filter((x) => x.status === 'changed'))
        rt.warning(`${p.definition}: "${p.title}" was changed outside SpaceOps`, { title: 'SpaceOps: drift', file: p.definition });
    if (counts.error)
        rt.setFailed(`${counts.error} space(s) could not be checked for drift`);
    else if (inputs['fail-on-drift'] && counts.changed)
        rt.setFailed(`${counts.changed} space(s) drifted from Git`);
    return counts.error === 0;
}

// EXTERNAL MODULE: ./src/model/pattern.ts
var pattern = __webpack_require__(323);
;// CONCATENATED MODULE: ./src/benchmark/compare.ts
const REL_TOLERANCE = 1e-6;
const ABS_TOLERANCE = 1e-9;
const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
function norm(c) {
    if (c === null || c === undefined)
        return { k: 0 };
    if (typeof c === 'number')
        return Number.isFinite(c) ? { k: 1, v: c } : { k: 2, v: String(c) };
    if (typeof c === 'boolean')
        return { k: 2, v: String(c) };
    if (NUMERIC.test(c)) {
        const v = Number(c);
        if (Number.isFinite(v))
            return { k: 1, v };
    }
    return { k: 2, v: c };
}
function cellEqual(a, b, rel, abs) {
    if (a.k !== b.k)
        return false;
    if (a.k === 0)
        return true;
    if (a.k === 1 && b.k === 1) {
        if (a.v === b.v)
            return true;
        return Math.abs(a.v - b.v) <= Math.max(abs, rel * Math.max(Math.abs(a.v), Math.abs(b.v)));
    }
    return a.v === b.v;
}
function cellOrder(a, b) {
    if (a.k !== b.k)
        return a.k - b.k;
    if (a.k === 0)
        return 0;
    if (a.k === 1 && b.k === 1)
        return a.v - b.v;
    const x = a.v;
    const y = b.v;
    return x < y ? -1 : x > y ? 1 : 0;
}
function rowOrder(a, b) {
    for (let i = 0; i < a.length; i++) {
        const d = cellOrder(a[i], b[i]);
        if (d !== 0)
            return d;
    }
    return 0;
}
function formatCell(c) {
    if (c === null || c === undefined)
        return 'NULL';
    if (typeof c === 'string')
        return NUMERIC.test(c) ? c.trim() : JSON.stringify(c);
    return String(c);
}
function formatRow(row, max = 120) {
    const text = `(${row.map(formatCell).join(', ')})`;
    return text.length <= max ? text : `${text.slice(0, max - 2)}…)`;
}
function listRows(rows, max = 3) {
    const shown = rows
        .slice(0, max)
        .map((r) => formatRow(r))
        .join(', ');
    return rows.length > max ? `${shown} (+${rows.length - max} more)` : shown;
}
const compare_plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
function columnList(cols) {
    const names = cols.map((c) => c || '?');
    const shown = names.slice(0, 8).join(', ');
    return names.length > 8 ? `${shown}, …` : shown;
}
function compareResults(expected, actual, options = {}) {
    const rel = options.relTolerance ?? REL_TOLERANCE;
    const abs = options.absTolerance ?? ABS_TOLERANCE;
    const width = expected.columns.length || expected.rows[0]?.length || 0;
    const actualWidth = actual.columns.length || actual.rows[0]?.length || 0;
    if (width !== actualWidth) {
        const which = actualWidth > width ? 'extra columns' : 'missing columns';
        return {
            equal: false,
            detail: `${which}: expected ${compare_plural(width, 'column')} (${columnList(expected.columns)}), got ${actualWidth} (${columnList(actual.columns)})`
        };
    }
    const e = expected.rows.map((r) => r.map(norm));
    const a = actual.rows.map((r) => r.map(norm));
    const rowsEqual = (x, y) => x.every((c, i) => cellEqual(c, y[i], rel, abs));
    const truncation = expected.truncated || actual.truncated ? ' (a result was truncated at the row limit)' : '';
    if (e.length === 0 && a.length === 0)
        return { equal: true, detail: `both results are empty (${compare_plural(width, 'column')})` };
    if (e.length === 0)
        return { equal: false, detail: `expected no rows, got ${a.length}: ${listRows(actual.rows)}${truncation}` };
    if (a.length === 0)
        return { equal: false, detail: `expected ${compare_plural(e.length, 'row')}, got none (empty result)${truncation}` };
    if (options.ordered) {
        const n = Math.min(e.length, a.length);
        for (let i = 0; i < n; i++) {
            if (!rowsEqual(e[i], a[i])) {
                const inOtherPlace = a.some((row) => rowsEqual(e[i], row));
                return {
                    equal: false,
                    detail: `row ${i + 1} differs (order matters for this question): expected ${formatRow(expected.rows[i])}, got ${formatRow(actual.rows[i])}${inOtherPlace ? '; the expected row is present elsewhere (wrong order)' : ''}${truncation}`
                };
            }
        }
        if (e.length !== a.length)
            return { equal: false, detail: `expected ${compare_plural(e.length, 'row')}, got ${a.length}${truncation}` };
        return { equal: true, detail: `${compare_plural(e.length, 'row')} match in order` };
    }
    // Unordered: sort both sides, compare pairwise.
    const idx = (rows) => rows.map((_, i) => i).sort((i, j) => rowOrder(rows[i], rows[j]));
    const ei = idx(e);
    const ai = idx(a);
    if (e.length === a.length && ei.every((i, k) => rowsEqual(e[i], a[ai[k]]))) {
        return { equal: true, detail: `${compare_plural(e.length, 'row')} match (order ignored)` };
    }
    if (e.length === 1 && a.length === 1) {
        const er = expected.rows[0];
        const ar = actual.rows[0];
        const diffs = e[0].map((c, i) => (cellEqual(c, a[0][i], rel, abs) ? -1 : i)).filter((i) => i >= 0);
        if (width === 1)
            return { equal: false, detail: `expected ${formatCell(er[0] ?? null)}, got ${formatCell(ar[0] ?? null)}` };
        return {
            equal: false,
            detail: diffs.map((i) => `column ${i + 1}: expected ${formatCell(er[i] ?? null)}, got ${formatCell(ar[i] ?? null)}`).join('; ')
        };
    }
    if (e.length * a.length > 4_000_000) {
        return { equal: false, detail: `the results differ: expected ${compare_plural(e.length, 'row')}, got ${a.length}${truncation}` };
    }
    // Row-by-row matching (tolerance can make sorted order disagree).
    const used = new Array(a.length).fill(false);
    const missing = [];
    for (const i of ei) {
        let found = -1;
        for (const j of ai) {
            if (!used[j] && rowsEqual(e[i], a[j])) {
                found = j;
                break;
            }
        }
        if (found >= 0)
            used[found] = true;
        else
            missing.push(expected.rows[i]);
    }
    const extra = ai.filter((j) => !used[j]).map((j) => actual.rows[j]);
    if (!missing.length && !extra.length)
        return { equal: true, detail: `${compare_plural(e.length, 'row')} match (order ignored)` };
    const parts = [];
    if (missing.length)
        parts.push(`missing ${compare_plural(missing.length, 'row')}: ${listRows(missing)}`);
    if (extra.length)
        parts.push(`extra ${compare_plural(extra.length, 'row')}: ${listRows(extra)}`);
    return { equal: false, detail: `${parts.join('; ')} (expected ${compare_plural(e.length, 'row')}, got ${a.length})${truncation}` };
}
// ---------------------------------------------------------------- does the question ask for an order?
/**
 * Words that make a question about order. Rows are compared in order only when the question uses
 * one of these AND the expected SQL sorts its final result (a top-level ORDER BY): "top 5
 * customers by revenue" with `ORDER BY revenue DESC LIMIT 5` is ordered; "revenue by region" with
 * an incidental ORDER BY is not, and neither is "highest revenue" answered by `SELECT MAX(…)`.
 */
const ORDER_WORDS = /\b(top|bottom|highest|lowest|largest|smallest|biggest|greatest|fewest|most|least|best|worst|rank|ranks|ranked|ranking|sort|sorted|sorting|order(?:ed)? by|in (?:ascending|descending|alphabetical|chronological) order|in order|ascending|descending|first \d+|last \d+|chronological(?:ly)?|alphabetical(?:ly)?)\b/i;
function asksForOrder(question, expectedSql) {
    return ORDER_WORDS.test(question) && hasTopLevelOrderBy(expectedSql);
}
/** True when the statement's outermost query ends with ORDER BY (not one inside a subquery or window). */
function hasTopLevelOrderBy(sql) {
    const code = stripSqlLiterals(sql);
    let depth = 0;
    const re = /[()]|\border\s+by\b/gi;
    let m;
    while ((m = re.exec(code))) {
        if (m[0] === '(')
            depth++;
        else if (m[0] === ')')
            depth = Math.max(0, depth - 1);
        else if (depth === 0)
            return true;
    }
    return false;
}
/** Replaces comments, string literals and quoted identifiers with spaces (positions kept). */
function stripSqlLiterals(sql) {
    let out = '';
    let i = 0;
    while (i < sql.length) {
        const c = sql[i];
        const next = sql[i + 1];
        if (c === '-' && next === '-') {
            const end = sql.indexOf('\n', i);
            const stop = end === -1 ? sql.length : end;
            out += ' '.repeat(stop - i);
            i = stop;
        }
        else if (c === '/' && next === '*') {
            const end = sql.indexOf('*/', i + 2);
            const stop = end === -1 ? sql.length : end + 2;
            out += ' '.repeat(stop - i);
            i = stop;
        }
        else if (c === "'" || c === '"' || c === '`') {
            let j = i + 1;
            while (j < sql.length) {
                if (sql[j] === '\\' && c !== '`')
                    j += 2;
                else if (sql[j] === c) {
                    if (sql[j + 1] === c)
                        j += 2;
                    else
                        break;
                }
                else
                    j++;
            }
            const stop = Math.min(sql.length, j + 1);
            out += ' '.repeat(stop - i);
            i = stop;
        }
        else {
            out += c;
            i++;
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/benchmark/statements.ts


const DEFAULT_STATEMENT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_ROW_LIMIT = 10_000;
class StatementError extends util_errors/* SpaceOpsError */.Dc {
    constructor(message) {
        super(message);
        this.name = 'StatementError';
    }
}
/** The SQL was not sent: it is not exactly one read-only statement. */
class RefusedStatementError extends StatementError {
    reason;
    constructor(reason) {
        super(`not run: ${reason}`);
        this.reason = reason;
        this.name = 'RefusedStatementError';
    }
}
const RUNNING = new Set(['PENDING', 'RUNNING']);
/** The SQL without surrounding whitespace and trailing semicolons (to compare SQL texts). */
function singleStatement(sql) {
    return sql
        .trim()
        .replace(/(;\s*)+$/, '')
        .trim();
}
async function runStatement(client, warehouseId, sql, options) {
    const check = (0,src_sql/* checkReadOnly */.ZA)(sql);
    if (!check.readOnly)
        throw new RefusedStatementError(check.reason);
    const started = options.now();
    const deadline = started + (options.timeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS);
    options.onSent?.();
    let res = await client.executeStatement({
        warehouse_id: warehouseId,
        statement: check.statement,
        wait_timeout: options.waitTimeout ?? '30s',
        on_wait_timeout: 'CONTINUE',
        disposition: 'INLINE',
        format: 'JSON_ARRAY',
        row_limit: options.rowLimit ?? DEFAULT_ROW_LIMIT
    });
    const id = res.statement_id;
    let delay = 1000;
    while (RUNNING.has(res.status?.state ?? 'PENDING')) {
        if (!id)
            throw new StatementError('the warehouse returned no statement id');
        const now = options.now();
        if (now >= deadline) {
            await client.cancelStatement(id).catch(() => undefined);
            throw new StatementError(`the statement did not finish within ${Math.round((deadline - started) / 1000)} s (cancelled)`);
        }
        await options.sleep(Math.min(delay, Math.max(1, deadline - now)));
        delay = Math.min(delay * 1.5, 5000);
        res = await client.getStatement(id);
    }
    const state = res.status?.state;
    if (state !== 'SUCCEEDED') {
        const err = res.status?.error;
        const why = err?.message ?? (state ? `statement ${state}` : 'no status');
        throw new StatementError(`${err?.error_code ? `${err.error_code}: ` : ''}${why}`);
    }
    return collect(client, res);
}
async function collect(client, res) {
    const columns = (res.manifest?.schema?.columns ?? []).map((c) => c.name ?? '');
    const rows = [...(res.result?.data_array ?? [])];
    if (res.result?.external_links?.length) {
        throw new StatementError('the warehouse answered with external links; only INLINE results are read');
    }
    let next = res.result?.next_chunk_index;
    const seen = new Set();
    while (next !== undefined && res.statement_id) {
        if (seen.has(next))
            throw new StatementError(`the warehouse repeated result chunk ${next}`);
        seen.add(next);
        const chunk = await client.getStatementResultChunk(res.statement_id, next);
        rows.push(...(chunk.data_array ?? []));
        next = chunk.next_chunk_index;
    }
    return { columns, rows, truncated: res.manifest?.truncated ?? false };
}

;// CONCATENATED MODULE: ./src/benchmark/score.ts





const lastPart = (name) => {
    const parts = name.replace(/[`"]/g, '').trim().toLowerCase().split('.');
    return parts[parts.length - 1] ?? '';
};
function list(items, max = 8) {
    if (!items.length)
        return 'none';
    const shown = items.slice(0, max).join(', ');
    return items.length > max ? `${shown} (+${items.length - max} more)` : shown;
}
/** The checks that need only the SQL text. */
function staticChecks(q, sql) {
    const checks = [];
    if (q.expectedTables.length) {
        try {
            const used = (0,src_sql/* tableNames */.n$)(sql);
            const missing = q.expectedTables.filter((t) => !used.some((u) => (0,src_sql/* tableMatches */.st)(t, u)));
            checks.push(missing.length
                ? { name: 'tables', passed: false, detail: `missing table${missing.length === 1 ? '' : 's'} ${list(missing)}; the SQL reads ${list(used)}` }
                : { name: 'tables', passed: true, detail: `reads ${list(q.expectedTables)}` });
        }
        catch (err) {
            checks.push({ name: 'tables', passed: false, detail: `could not read the tables of the SQL: ${(0,util_errors/* describeError */.Uc)(err)}` });
        }
    }
    if (q.expectedColumns.length) {
        try {
            const used = new Set((0,src_sql/* extractColumns */.R2)(sql).map(lastPart));
            const missing = q.expectedColumns.filter((c) => !used.has(lastPart(c)));
            checks.push(missing.length
                ? { name: 'columns', passed: false, detail: `missing column${missing.length === 1 ? '' : 's'} ${list(missing)}; the SQL uses ${list([...used])}` }
                : { name: 'columns', passed: true, detail: `uses ${list(q.expectedColumns)}` });
        }
        catch (err) {
            checks.push({ name: 'columns', passed: false, detail: `could not read the columns of the SQL: ${(0,util_errors/* describeError */.Uc)(err)}` });
        }
    }
    if (q.expectedContains.length) {
        const lower = sql.toLowerCase();
        const missing = q.expectedContains.filter((s) => !lower.includes(s.toLowerCase()));
        checks.push(missing.length
            ? { name: 'contains', passed: false, detail: `does not contain ${missing.map((m) => JSON.stringify(m)).join(', ')}` }
            : { name: 'contains', passed: true, detail: `contains ${q.expectedContains.map((m) => JSON.stringify(m)).join(', ')}` });
    }
    if (q.expectedPattern !== undefined) {
        let ok = false;
        let why = `does not match /${q.expectedPattern}/`;
        try {
            ok = (0,pattern.compilePattern)(q.expectedPattern).test(sql);
        }
        catch (err) {
            why = `invalid pattern: ${(0,util_errors/* describeError */.Uc)(err)}`;
        }
        checks.push({ name: 'pattern', passed: ok, detail: ok ? `matches /${q.expectedPattern}/` : why });
    }
    return checks;
}
/** Why expected_sql will not be run (it is not one read-only statement), or undefined. */
function refusedExpectedSql(q) {
    if (q.expectedSql === undefined)
        return undefined;
    const check = (0,src_sql/* checkReadOnly */.ZA)(q.expectedSql);
    return check.readOnly ? undefined : expectedNotRun(check.reason);
}
const expectedNotRun = (reason) => `expected_sql was not run: ${reason}`;
/** Compares the answer's result with expected_sql's. `error` is set when no verdict could be had. */
async function resultCheck(q, sql, ctx) {
    if (q.expectedSql === undefined)
        throw new TypeError('resultCheck needs expected_sql');
    if (!ctx) {
        // how to give one is said once, by the run's warning in the face's words
        const why = 'no SQL warehouse to run expected_sql on (the space has none)';
        return { check: { name: 'result', passed: false, detail: why }, error: why };
    }
    // Both statements at once (the expected one is usually cached already).
    const [e, a] = await Promise.allSettled([ctx.expected(), ctx.run(sql)]);
    if (e.status === 'rejected') {
        const why = e.reason instanceof RefusedStatementError ? expectedNotRun(e.reason.reason) : `expected_sql failed on the warehouse: ${(0,util_errors/* describeError */.Uc)(e.reason)}`;
        return { check: { name: 'result', passed: false, detail: why }, error: why };
    }
    if (a.status === 'rejected') {
        const detail = a.reason instanceof RefusedStatementError
            ? `Genie's SQL was not run: ${a.reason.reason}`
            : `the generated SQL failed on the warehouse: ${(0,util_errors/* describeError */.Uc)(a.reason)}`;
        return { check: { name: 'result', passed: false, detail } };
    }
    const expected = e.value;
    const actual = a.value;
    const ordered = asksForOrder(q.question, q.expectedSql);
    const cmp = compareResults(expected, actual, { ordered });
    return { check: { name: 'result', passed: cmp.equal, detail: cmp.detail } };
}
async function scoreAnswer(q, answer, ctx) {
    const sql = answer.sql?.trim();
    if (answer.noSql !== undefined || !sql) {
        return { status: 'failed', checks: [{ name: 'sql', passed: false, detail: answer.noSql ?? 'no SQL in the answer' }] };
    }
    const checks = [{ name: 'sql', passed: true, detail: 'Genie answered with SQL' }, ...staticChecks(q, sql)];
    let error;
    if (q.expectedSql !== undefined) {
        const r = await resultCheck(q, sql, ctx);
        checks.push(r.check);
        error = r.error;
    }
    if (error !== undefined)
        return { status: 'error', checks, error };
    return { status: checks.every((c) => c.passed) ? 'passed' : 'failed', checks };
}
/** The first failed check as one line (`tables: missing …`). */
function firstFailure(checks) {
    const c = checks.find((x) => !x.passed);
    return c ? `${c.name}: ${c.detail}` : undefined;
}

;// CONCATENATED MODULE: ./src/benchmark/conversation.ts




const POLL_START_MS = 1000;
const POLL_FACTOR = 1.5;
const POLL_MAX_MS = 5000;
const MAX_RATE_LIMIT_BACKOFF_MS = 5 * 60_000;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 30 * 60_000;
const AMBIGUOUS_RETRIES = 2;
const RATE_LIMIT_TYPE = /^RATE_LIMIT_EXCEEDED/i;
async function runConversations(ctx, suites) {
    // Round-robin: every question's first attempt, then second attempts, … so repeats come last and
    // early decisions can skip them. A repeat is held back while the attempts in flight could
    // decide its question (e.g. the 3rd of "2 of 3" while the first two are out).
    const rounds = Math.max(0, ...suites.flatMap((s) => s.questions.map((q) => q.q.repeat)));
    const pending = [];
    for (let r = 1; r <= rounds; r++)
        for (const s of suites)
            for (const qs of s.questions)
                if (r <= qs.q.repeat)
                    pending.push({ qs, attempt: r });
    const inFlight = new Map();
    let waiters = [];
    const notify = () => {
        const w = waiters;
        waiters = [];
        for (const f of w)
            f();
    };
    const couldBeDecided = (qs) => {
        const f = inFlight.get(qs) ?? 0;
        // --repeat asks every attempt: nothing in flight can make the rest unnecessary
        if (qs.q.askAll)
            return false;
        return f > 0 && (qs.passes + f >= qs.q.minPasses || qs.notPassed + f > qs.q.repeat - qs.q.minPasses);
    };
    const pick = () => {
        const i = pending.findIndex((j) => j.qs.decided || !couldBeDecided(j.qs));
        if (i >= 0)
            return pending.splice(i, 1)[0];
        return pending.length ? 'wait' : undefined;
    };
    let latencySum = 0;
    let latencyCount = 0;
    /** Picked attempts not asked yet (waiting for a token). */
    let waiting = 0;
    const eta = () => {
        const toAsk = pending.filter((j) => !j.qs.decided).length + waiting;
        const avgLatency = latencyCount ? latencySum / latencyCount : 0;
        return ctx.bucket.timeUntil(toAsk) + avgLatency;
    };
    let fatal;
    const worker = async () => {
        for (;;) {
            if (fatal !== undefined)
                return;
            const job = pick();
            if (job === undefined)
                return;
            if (job === 'wait') {
                await new Promise((resolve) => waiters.push(resolve));
                continue;
            }
            const { qs, attempt } = job;
            let result;
            if (qs.decided) {
                result = { attempt, status: 'skipped', checks: [], duration_ms: 0, rate_limited: 0 };
            }
            else {
                inFlight.set(qs, (inFlight.get(qs) ?? 0) + 1);
                waiting++;
                let asked = false;
                const onAsked = () => {
                    if (!asked)
                        waiting--;
                    asked = true;
                };
                try {
                    result = await askAndScore({ ...ctx, stopped: () => fatal !== undefined }, qs, attempt, onAsked);
                }
                catch (err) {
                    // The space is gone or the caller may not use it: stop asking anything else.
                    if (fatal === undefined) {
                        fatal = err;
                        pending.length = 0;
                        ctx.bucket.close(err);
                        notify();
                    }
                    throw err;
                }
                finally {
                    onAsked();
                    inFlight.set(qs, (inFlight.get(qs) ?? 1) - 1);
                }
                if (result.status !== 'error') {
                    latencySum += result.duration_ms;
                    latencyCount++;
                }
            }
            // Timings count from the accepted question (not from waiting for a token).
            const end = ctx.now();
            if (qs.record(result, end - result.duration_ms, end)) {
                const r = qs.result();
                ctx.logger.debug(`${r.passed ? 'passed' : r.status}: ${qs.suite.suite.name}: "${qs.q.question}"${r.failure ? ` — ${r.failure}` : ''}`);
                ctx.progress.decided(qs, eta());
            }
            notify();
        }
    };
    const total = pending.length;
    // Every worker ends (the others stop at their next step once one hit a fatal error) before the
    // run returns or throws: nothing keeps asking in the background.
    const ends = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(ctx.concurrency, total)) }, worker));
    if (fatal !== undefined)
        throw fatal;
    const failed = ends.find((e) => e.status === 'rejected');
    if (failed)
        throw failed.reason;
}
function errorAttempt(attempt, error, rateLimited, extra = {}) {
    return { attempt, status: 'error', checks: [], error, duration_ms: 0, rate_limited: rateLimited, ...extra };
}
async function askAndScore(ctx, qs, attempt, onAsked) {
    const { client, spaceId, bucket, logger } = ctx;
    const q = qs.q;
    const suite = qs.suite;
    const firstTry = ctx.now();
    let rateLimited = 0;
    let ambiguous = 0;
    const backOff = (advisedMs, why) => {
        rateLimited++;
        ctx.stats.rateLimited++;
        const ownBackoff = Math.min(MAX_RATE_LIMIT_BACKOFF_MS, bucket.intervalMs * 2 ** Math.min(20, rateLimited - 1));
        const wait = advisedMs !== undefined && advisedMs > 0 ? advisedMs : ownBackoff;
        if (ctx.now() + wait - firstTry > ctx.maxRateLimitWaitMs) {
            return `rate limited for more than ${Math.round(ctx.maxRateLimitWaitMs / 60_000)} min (${why}); not asked`;
        }
        bucket.pauseUntil(ctx.now() + wait);
        logger.info(`rate limited (${why}): pausing questions for ${Math.ceil(wait / 1000)} s, then asking "${q.question}" again`);
        return undefined;
    };
    const refused = refusedExpectedSql(q);
    if (refused !== undefined)
        return errorAttempt(attempt, refused, rateLimited);
    for (;;) {
        if (ctx.stopped?.())
            return errorAttempt(attempt, 'the run was stopped', rateLimited);
        if (suite.expired(ctx.now()))
            return errorAttempt(attempt, `the suite's timeout_seconds ran out before this question was asked`, rateLimited);
        // Asking again after a refusal goes first: the question keeps its place in line.
        const lease = await bucket.take({ first: rateLimited > 0 || ambiguous > 0 });
        const askedAt = ctx.now();
        suite.start(askedAt);
        if (suite.expired(askedAt)) {
            lease.cancel();
            return errorAttempt(attempt, `the suite's timeout_seconds ran out before this question was asked`, rateLimited);
        }
        let conversationId;
        let messageId;
        try {
            const started = await client.startConversation(spaceId, q.question);
            conversationId = started.conversation_id;
            messageId = started.message_id;
        }
        catch (err) {
            const refused = err instanceof GenieRateLimitError || (err instanceof GenieApiError && err.status === 429);
            // A 429 was not processed: its token goes back (the pause below holds everyone); any other
            // failure may have reached Genie and keeps its minute.
            if (refused)
                lease.cancel();
            else
                lease.release(ctx.now());
            if (refused) {
                const advised = err instanceof GenieRateLimitError ? err.retryAfterMs : undefined;
                const giveUp = backOff(advised, 'HTTP 429');
                if (giveUp)
                    return errorAttempt(attempt, giveUp, rateLimited);
                continue;
            }
            if (err instanceof GenieApiError && (err.status === 401 || err.status === 403 || err.status === 404))
                throw err;
            if (err instanceof GenieApiError && (err.ambiguous || (err.status ?? 0) >= 500) && ambiguous < AMBIGUOUS_RETRIES) {
                ambiguous++;
                logger.warn(`asking "${q.question}" failed (${err.message}); asking again`);
                continue;
            }
            return errorAttempt(attempt, (0,util_errors/* describeError */.Uc)(err), rateLimited);
        }
        lease.release(ctx.now());
        onAsked();
        // While Genie thinks, the expected result is computed (once per question; errors surface when scored).
        const resultContext = ctx.resultContext(qs);
        resultContext?.expected().catch(() => undefined);
        const ids = { conversation_id: conversationId, message_id: messageId };
        const outcome = await poll(ctx, conversationId, messageId, askedAt + q.timeoutMs, q.timeoutMs);
        if (outcome.kind === 'rate-limited') {
            const giveUp = backOff(outcome.waitMs, outcome.detail);
            if (giveUp)
                return errorAttempt(attempt, giveUp, rateLimited, ids);
            continue;
        }
        const startedAt = new Date(askedAt).toISOString();
        if (outcome.kind === 'error') {
            return errorAttempt(attempt, outcome.error, rateLimited, { ...ids, started_at: startedAt, duration_ms: ctx.now() - askedAt });
        }
        const answer = outcome.answer;
        const score = await scoreAnswer(q, answer, resultContext);
        return {
            attempt,
            status: score.status,
            ...(answer.sql !== undefined ? { sql: answer.sql } : {}),
            ...(answer.text !== undefined ? { text: answer.text } : {}),
            checks: score.checks,
            ...(score.error !== undefined ? { error: score.error } : {}),
            started_at: startedAt,
            duration_ms: ctx.now() - askedAt,
            rate_limited: rateLimited,
            ...ids
        };
    }
}
async function poll(ctx, conversationId, messageId, deadline, timeoutMs) {
    let delay = POLL_START_MS;
    let reexecuted = false;
    let status = 'SUBMITTED';
    let lastMessage;
    for (;;) {
        const now = ctx.now();
        if (now >= deadline) {
            const partial = lastMessage ? extractAnswer(lastMessage) : {};
            return {
                kind: 'answer',
                answer: {
                    ...(partial.sql !== undefined ? { sql: partial.sql } : {}),
                    noSql: `no answer within ${Math.round(timeoutMs / 1000)} s (last status ${status})`
                }
            };
        }
        await ctx.sleep(Math.max(1, Math.min(delay, deadline - now)));
        delay = Math.min(delay * POLL_FACTOR, POLL_MAX_MS);
        if (ctx.stopped?.())
            return { kind: 'error', error: 'the run was stopped' };
        let msg;
        try {
            msg = await ctx.client.getMessage(ctx.spaceId, conversationId, messageId);
        }
        catch (err) {
            return { kind: 'error', error: (0,util_errors/* describeError */.Uc)(err) };
        }
        lastMessage = msg;
        status = msg.status ?? 'SUBMITTED';
        if (status === 'COMPLETED')
            return { kind: 'answer', answer: extractAnswer(msg) };
        if (status === 'FAILED') {
            const type = msg.error?.type ?? '';
            const text = msg.error?.error ?? '';
            if (RATE_LIMIT_TYPE.test(type) || (!type && /rate limit/i.test(text))) {
                const waitMs = parseWait(text);
                return { kind: 'rate-limited', ...(waitMs !== undefined ? { waitMs } : {}), detail: type || 'rate limit' };
            }
            const partial = extractAnswer(msg);
            return {
                kind: 'answer',
                answer: {
                    ...(partial.sql !== undefined ? { sql: partial.sql } : {}),
                    noSql: `Genie failed${type ? ` (${type})` : ''}${text ? `: ${oneLineExcerpt(text)}` : ''}`
                }
            };
        }
        if (status === 'CANCELLED') {
            return { kind: 'answer', answer: { noSql: `the message was cancelled${msg.error?.error ? `: ${oneLineExcerpt(msg.error.error)}` : ''}` } };
        }
        if (status === 'QUERY_RESULT_EXPIRED') {
            const attachment = msg.attachments.find((a) => a.query && a.attachment_id);
            const check = (0,src_sql/* checkReadOnly */.ZA)(attachment?.query?.query ?? '');
            if (attachment && !check.readOnly)
                ctx.logger.debug(`the expired query of message ${messageId} is not re-run: ${check.reason}`);
            if (!reexecuted && attachment?.attachment_id && check.readOnly) {
                reexecuted = true;
                try {
                    await ctx.client.executeQuery(ctx.spaceId, conversationId, messageId, attachment.attachment_id);
                    delay = POLL_START_MS;
                    continue;
                }
                catch (err) {
                    ctx.logger.debug(`re-running the expired query of message ${messageId} failed (${(0,util_errors/* describeError */.Uc)(err)}); scoring its SQL`);
                }
            }
            return { kind: 'answer', answer: extractAnswer(msg) };
        }
    }
}
/** The SQL of the query attachment; without one, why there is no SQL (text answer or clarifying question). */
function extractAnswer(msg) {
    const query = msg.attachments.find((a) => a.query?.query?.trim());
    const texts = msg.attachments.map((a) => a.text?.content?.trim()).filter((t) => !!t);
    const text = texts.length ? texts.join('\n') : undefined;
    if (query?.query?.query)
        return { sql: query.query.query, ...(text !== undefined ? { text } : {}) };
    const followUp = msg.attachments.find((a) => a.text?.purpose === 'FOLLOW_UP_QUESTION' && a.text.content);
    if (followUp?.text?.content) {
        return { text: followUp.text.content, noSql: `no SQL: Genie asked a clarifying question: "${oneLineExcerpt(followUp.text.content)}"` };
    }
    if (text !== undefined)
        return { text, noSql: `no SQL: Genie answered with text: "${oneLineExcerpt(text)}"` };
    return { noSql: 'no SQL: the answer has no query attachment' };
}
function oneLineExcerpt(text, max = 160) {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
/** "retry after 30 seconds", "wait 2 minutes", "in 500 ms" → milliseconds. */
function parseWait(text) {
    const m = /(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b/i.exec(text);
    if (!m)
        return undefined;
    const n = Number(m[1]);
    const unit = (m[2] ?? 's').toLowerCase();
    if (unit.startsWith('ms') || unit.startsWith('milli'))
        return n;
    if (unit.startsWith('m'))
        return n * 60_000;
    return n * 1000;
}

;// CONCATENATED MODULE: ./src/benchmark/eval.ts










const TERMINAL_RUN = new Set(['DONE', 'EVALUATION_FAILED', 'EVALUATION_CANCELLED', 'EVALUATION_TIMEOUT']);
const EVAL_POLL_MAX_MS = 10_000;
const DETAIL_CONCURRENCY = 8;
/** Creates of one round's run, each tried only after verifying the one before started nothing. */
const CREATE_ATTEMPTS = 3;
/** Runs are listed at most this many pages of 100 (the API's order of runs is undocumented). */
const MAX_RUN_PAGES = 20;
const REASONS = {
    RESULT_MISSING_ROWS: 'rows missing',
    RESULT_EXTRA_ROWS: 'extra rows',
    RESULT_MISSING_COLUMNS: 'columns missing',
    RESULT_EXTRA_COLUMNS: 'extra columns',
    SINGLE_CELL_DIFFERENCE: 'a cell differs',
    EMPTY_RESULT: "Genie's SQL returned no rows",
    EMPTY_GOOD_SQL: 'the expected SQL returned no rows',
    COLUMN_TYPE_DIFFERENCE: 'column types differ',
    TRANSIENT_ERROR: 'transient error'
};
function describeReasons(reasons) {
    return reasons.map((r) => (REASONS[r] ? `${r} (${REASONS[r]})` : r)).join(', ');
}
const normText = (s) => s.replace(/\s+/g, ' ').trim().toLowerCase();
const normSql = (s) => singleStatement(s).replace(/\s+/g, ' ');
function answerOf(b) {
    const a = b.answer.find((x) => x.format.toUpperCase() === 'SQL') ?? b.answer[0];
    return a ? (0,model_text/* fromLines */.O)(a.content) : '';
}
/** Whether a suite question can be decided by Genie's eval runs alone. */
function serverSideOnly(q) {
    return q.expectedSql !== undefined && !q.expectedTables.length && !q.expectedColumns.length && !q.expectedContains.length && q.expectedPattern === undefined;
}
/** A 4xx other than 429: the API understood the request and refused it; nothing transient. */
function definiteRefusal(err) {
    return err instanceof GenieApiError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429;
}
/** True when the space does not already hold exactly the suite's questions (and answers). */
function needsWrite(plan) {
    return plan.added.length + plan.updated.length + plan.impossible.length > 0;
}
async function planBenchmarkSync(client, spaceId, states) {
    const space = live_spaceFromApi(await client.getSpace(spaceId));
    const existing = [...(space.document.benchmarks?.questions ?? [])];
    const byText = new Map(existing.map((b) => [normText((0,model_text/* fromLines */.O)(b.question)), b]));
    const plan = { ids: new Map(), added: [], updated: [], impossible: [] };
    for (const qs of states) {
        const q = qs.q;
        const key = normText(q.question);
        const found = byText.get(key);
        if (found) {
            plan.ids.set(qs, found.id);
            if (q.expectedSql !== undefined && normSql(answerOf(found)) !== normSql(q.expectedSql)) {
                const replacement = { ...found, answer: [{ format: 'SQL', content: (0,model_text/* toLines */.P)(q.expectedSql) }] };
                existing[existing.indexOf(found)] = replacement;
                byText.set(key, replacement);
                plan.updated.push(q.question);
            }
            continue;
        }
        if (q.expectedSql === undefined) {
            plan.impossible.push(q.question);
            continue;
        }
        const b = {
            id: convert/* idFor */.zU.benchmark(q.question),
            question: (0,model_text/* toLines */.P)(q.question),
            answer: [{ format: 'SQL', content: (0,model_text/* toLines */.P)(q.expectedSql) }]
        };
        existing.push(b);
        byText.set(key, b);
        plan.ids.set(qs, b.id);
        plan.added.push(q.question);
    }
    if (plan.added.length || plan.updated.length)
        plan.desired = { meta: space.meta, document: (0,canonical/* canonicalizeDocument */._W)({ ...space.document, benchmarks: { questions: existing } }) };
    return plan;
}
/**
 * Makes every question a benchmark question of the space; returns each question's benchmark id.
 * The one place a benchmark writes to a space: refused unless `ctx.allowWrites`.
 */
async function syncBenchmarkQuestions(ctx, states, planned) {
    const plan = planned ?? (await planBenchmarkSync(ctx.client, ctx.spaceId, states));
    const { impossible } = plan;
    if (impossible.length) {
        throw new util_errors/* SpaceOpsError */.Dc(`strategy eval: ${impossible.length} question(s) are not benchmark questions of space ${ctx.spaceId} and have no expected_sql to add them with (${impossible
            .slice(0, 3)
            .map((t) => `"${t}"`)
            .join(', ')}${impossible.length > 3 ? ', …' : ''}); add expected_sql or use ${(0,core_names/* settingText */.Su)(ctx.names ?? core_names/* NEUTRAL_NAMES */.lJ, 'strategy', 'conversation')}`);
    }
    if (!plan.desired)
        return { ids: plan.ids, synced: false };
    const what = `${plan.added.length} question(s) to add and ${plan.updated.length} answer(s) to update in the space's benchmarks`;
    if (!ctx.allowWrites) {
        throw new util_errors/* SpaceOpsError */.Dc(`read-only benchmark run: strategy eval would need ${what} of space ${ctx.spaceId}; nothing was written (use ${(0,core_names/* settingText */.Su)(ctx.names ?? core_names/* NEUTRAL_NAMES */.lJ, 'strategy', 'conversation')}, or ${(0,core_names/* settingText */.Su)(ctx.names ?? core_names/* NEUTRAL_NAMES */.lJ, 'strategy', 'eval')} outside a gate)`);
    }
    let action;
    try {
        action = (await pushSpace(ctx.client, plan.desired, { spaceId: ctx.spaceId, logger: ctx.logger })).action;
    }
    catch (err) {
        if (definiteRefusal(err) || !(err instanceof GenieApiError || err instanceof util_errors/* SpaceOpsError */.Dc))
            throw err;
        // The write's answer may be lost (or a retried PATCH met its own etag): did it go through?
        ctx.logger.warn(`writing the benchmark questions of space ${ctx.spaceId}: ${(0,util_errors/* describeError */.Uc)(err)}; reading the space to see whether the write went through`);
        if (needsWrite(await planBenchmarkSync(ctx.client, ctx.spaceId, states)))
            throw err;
        action = 'updated';
    }
    ctx.logger.info(`space ${ctx.spaceId}: ${action} — ${what.replace(' to add', ' added').replace(' to update', ' updated')} for the eval run`);
    return { ids: plan.ids, synced: true };
}
/**
 * Starts the run, never twice.
 * - Right after the space was written, a read may briefly see the old document (genie-api.md): a
 *   400/404 naming the new questions is tried again, 3 times in all, 2 s apart.
 * - A create whose answer is lost (connection error, timeout, 5xx: "may have been applied") is not
 *   repeated blindly, as space creates are not (deploy/push.ts). The space's eval runs can be
 *   listed (`GET …/eval-runs`, genie-wire-shapes.md GenieListEvalRunsResponse), so the runs that
 *   existed just before the create (`known`) are compared with the runs after it: a new run with
 *   our number of questions and — where it lists results already — exactly our benchmark question
 *   ids is the one the request started, and is adopted. Only when there is none is the create
 *   tried again. Two such new runs (another job started the same questions at the same moment)
 *   cannot be told apart: the create is then reported as failed rather than guessed. Without
 *   `known` (the list could not be read) nothing can be verified, so nothing is tried again. The
 *   docs say nothing of how soon a new run is listed: we wait 1 s × attempt before looking.
 */
async function createRun(ctx, questionIds, justSynced, known) {
    for (let attempt = 1;; attempt++) {
        try {
            return await ctx.client.createEvalRun(ctx.spaceId, questionIds);
        }
        catch (err) {
            if (!(err instanceof GenieApiError))
                throw err;
            if (err.ambiguous) {
                if (!known)
                    throw err;
                ctx.logger.warn(`no clear answer to "create eval run" (${(0,util_errors/* describeError */.Uc)(err)}); looking for the run it may have started`);
                await ctx.sleep(1000 * attempt);
                let found;
                try {
                    found = await findStartedRuns(ctx, questionIds, known);
                }
                catch (lookupErr) {
                    // Cannot tell whether it started: trying again could start a second run.
                    ctx.logger.warn(`looking for the eval run: ${(0,util_errors/* describeError */.Uc)(lookupErr)}`);
                    throw err;
                }
                const [run, ...more] = found;
                if (run && !more.length) {
                    ctx.logger.info(`found eval run ${run.eval_run_id} started by that request`);
                    return run;
                }
                if (run) {
                    ctx.logger.warn(`${found.length} new eval runs of these questions (${found.map((r) => r.eval_run_id).join(', ')}): cannot tell which one that request started`);
                    throw err;
                }
                if (attempt >= CREATE_ATTEMPTS)
                    throw err;
                ctx.logger.info(`no eval run was started; trying again (attempt ${attempt + 1} of ${CREATE_ATTEMPTS})`);
                continue;
            }
            if (!justSynced || attempt >= 3 || (err.status !== 400 && err.status !== 404))
                throw err;
            ctx.logger.debug(`create eval run: ${(0,util_errors/* describeError */.Uc)(err)}; the space was just updated, trying again`);
            await ctx.sleep(2000 * attempt);
        }
    }
}
/** Every eval run of the space, page after page (at most MAX_RUN_PAGES). */
async function listRuns(ctx) {
    const runs = [];
    const tokens = new Set();
    let pageToken;
    for (let pages = 0; pages < MAX_RUN_PAGES; pages++) {
        const page = await ctx.client.listEvalRuns(ctx.spaceId, { pageSize: 100, ...(pageToken !== undefined ? { pageToken } : {}) });
        runs.push(...page.eval_runs);
        const next = page.next_page_token;
        if (next === undefined || next === '' || tokens.has(next))
            break;
        tokens.add(next);
        pageToken = next;
    }
    return runs;
}
const listRunIds = async (ctx) => new Set((await listRuns(ctx)).map((r) => r.eval_run_id));
/** New runs (not in `known`) of exactly these questions. */
async function findStartedRuns(ctx, questionIds, known) {
    const ids = new Set(questionIds);
    const want = [...ids].sort().join(',');
    const found = [];
    for (const r of await listRuns(ctx)) {
        if (known.has(r.eval_run_id) || (r.num_questions !== undefined && r.num_questions !== ids.size))
            continue;
        const results = await ctx.client.listEvalResults(ctx.spaceId, r.eval_run_id);
        if (!results.length || [...new Set(results.map((x) => x.benchmark_question_id))].sort().join(',') === want)
            found.push(r);
    }
    return found;
}
/** Records an `error` attempt (no verdict, with the reason) for each question. */
function recordErrors(ctx, states, round, error, started) {
    const ended = ctx.now();
    for (const qs of states) {
        const attempt = eval_errorAttempt(round, error);
        attempt.started_at = new Date(started).toISOString();
        attempt.duration_ms = ended - started;
        if (qs.record(attempt, started, ended))
            ctx.progress.decided(qs);
    }
}
async function runEvalRuns(ctx, suites, plan) {
    const states = [];
    for (const qs of suites.flatMap((s) => s.questions)) {
        const refused = refusedExpectedSql(qs.q);
        if (refused === undefined) {
            states.push(qs);
            continue;
        }
        const now = ctx.now();
        for (let attempt = 1; !qs.decided; attempt++) {
            const decided = qs.record({ attempt, status: 'error', checks: [], error: refused, duration_ms: 0, rate_limited: 0 }, now, now);
            if (decided)
                ctx.progress.decided(qs);
        }
    }
    if (!states.length)
        return;
    // a plan made for every question holds the refused ones too: plan again for those that remain
    if (states.length !== suites.flatMap((s) => s.questions).length)
        plan = undefined;
    const rounds = Math.max(0, ...states.map((s) => s.q.repeat));
    let ids;
    let synced;
    try {
        ;
        ({ ids, synced } = await syncBenchmarkQuestions(ctx, states, plan));
    }
    catch (err) {
        if (!(err instanceof GenieApiError) || definiteRefusal(err))
            throw err;
        // The space could not be read or written: no run can start; every question is an error.
        ctx.logger.warn(`eval: ${(0,util_errors/* describeError */.Uc)(err)}`);
        const started = ctx.now();
        for (let round = 1; round <= rounds; round++)
            recordErrors(ctx, states.filter((s) => !s.decided && round <= s.q.repeat), round, `no eval run could be started: ${(0,util_errors/* describeError */.Uc)(err)}`, started);
        return;
    }
    for (let round = 1; round <= rounds; round++) {
        const inRound = states.filter((s) => !s.decided && round <= s.q.repeat);
        if (!inRound.length)
            break;
        const questionIds = [...new Set(inRound.map((s) => ids.get(s)))];
        const started = ctx.now();
        for (const s of inRound)
            s.suite.start(started);
        let run;
        try {
            // the runs there before the create, to tell the one it starts should its answer be lost
            let known;
            try {
                known = await listRunIds(ctx);
            }
            catch (err) {
                if (!(err instanceof GenieApiError))
                    throw err;
                ctx.logger.warn(`listing the eval runs of space ${ctx.spaceId}: ${(0,util_errors/* describeError */.Uc)(err)}; a create whose answer is lost cannot be verified, so it will not be tried again`);
            }
            run = await createRun(ctx, questionIds, synced, known);
        }
        catch (err) {
            if (!(err instanceof GenieApiError))
                throw err;
            ctx.logger.warn(`eval run${rounds > 1 ? ` (round ${round} of ${rounds})` : ''} not started: ${(0,util_errors/* describeError */.Uc)(err)}`);
            recordErrors(ctx, inRound, round, `the eval run could not be started: ${(0,util_errors/* describeError */.Uc)(err)}`, started);
            continue;
        }
        ctx.logger.info(`eval run ${run.eval_run_id} started for ${questionIds.length} question(s)${rounds > 1 ? ` (round ${round} of ${rounds})` : ''}`);
        const budget = Math.max(...inRound.map((s) => s.q.timeoutMs)) + questionIds.length * ctx.intervalMs;
        const final = await pollRun(ctx, run, started, started + budget);
        const status = final.eval_run_status ?? 'UNKNOWN';
        if (status !== 'DONE')
            ctx.logger.warn(`eval run ${run.eval_run_id} ended ${status}`);
        const { details, problem } = await readDetails(ctx, run.eval_run_id);
        const ended = ctx.now();
        for (const qs of inRound) {
            const d = details.get(ids.get(qs));
            const attempt = d
                ? attemptFromEval(qs.q, round, d, run.eval_run_id)
                : eval_errorAttempt(round, `eval run ${run.eval_run_id} (${status}) has no result for this question${problem ? `: ${problem}` : ''}`, run.eval_run_id);
            attempt.started_at = new Date(started).toISOString();
            attempt.duration_ms = ended - started;
            if (qs.record(attempt, started, ended))
                ctx.progress.decided(qs);
        }
    }
}
async function pollRun(ctx, run, started, deadline) {
    let current = run;
    let delay = 1000;
    let lastDone = -1;
    while (!TERMINAL_RUN.has(current.eval_run_status ?? 'NOT_STARTED')) {
        const now = ctx.now();
        if (now >= deadline) {
            ctx.logger.warn(`eval run ${run.eval_run_id} still ${current.eval_run_status ?? 'running'} at the end of its time budget; reading the results it has`);
            return current;
        }
        await ctx.sleep(Math.max(1, Math.min(delay, deadline - now)));
        delay = Math.min(delay * 1.5, EVAL_POLL_MAX_MS);
        try {
            current = await ctx.client.getEvalRun(ctx.spaceId, run.eval_run_id);
        }
        catch (err) {
            // The run goes on whether or not we hear of it: look again until the budget is spent.
            if (!(err instanceof GenieApiError))
                throw err;
            ctx.logger.warn(`eval run ${run.eval_run_id}: ${(0,util_errors/* describeError */.Uc)(err)}; polling again`);
            continue;
        }
        const done = current.num_done ?? 0;
        if (done !== lastDone) {
            lastDone = done;
            const total = current.num_questions ?? 0;
            ctx.logger.debug(`eval run ${run.eval_run_id}: ${done}/${total} done, ${current.num_correct ?? 0} correct`);
            const perQuestion = done > 0 ? (ctx.now() - started) / done : undefined;
            const eta = perQuestion !== undefined && total > done ? perQuestion * (total - done) : undefined;
            ctx.progress.emit(eta, undefined, { done: Math.min(done, total), correct: Math.min(current.num_correct ?? 0, done) });
        }
    }
    return current;
}
/** Each question's result details; `problem` says why the list of results could not be read. */
async function readDetails(ctx, runId) {
    const out = new Map();
    let results;
    try {
        results = await ctx.client.listEvalResults(ctx.spaceId, runId);
    }
    catch (err) {
        if (!(err instanceof GenieApiError))
            throw err;
        ctx.logger.warn(`eval run ${runId}: ${(0,util_errors/* describeError */.Uc)(err)}`);
        return { details: out, problem: (0,util_errors/* describeError */.Uc)(err) };
    }
    let i = 0;
    const worker = async () => {
        for (;;) {
            const r = results[i++];
            if (!r)
                return;
            try {
                const d = await ctx.client.getEvalResult(ctx.spaceId, runId, r.result_id);
                out.set(d.benchmark_question_id || r.benchmark_question_id, d);
            }
            catch (err) {
                if (!(err instanceof GenieApiError))
                    throw err;
                ctx.logger.warn(`eval result ${r.result_id}: ${(0,util_errors/* describeError */.Uc)(err)}`);
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, results.length) }, worker));
    return { details: out };
}
function eval_errorAttempt(attempt, error, runId) {
    return { attempt, status: 'error', checks: [], error, duration_ms: 0, rate_limited: 0, ...(runId !== undefined ? { eval_run_id: runId } : {}) };
}
function attemptFromEval(q, attempt, d, runId) {
    const sqlResponse = d.actual_response.find((r) => (r.response_type ?? 'SQL').toUpperCase() === 'SQL' && r.response?.trim());
    const textResponse = d.actual_response.find((r) => r.response_type?.toUpperCase() === 'TEXT' && r.response?.trim());
    const sql = sqlResponse?.response;
    const base = {
        attempt,
        ...(sql !== undefined ? { sql } : {}),
        ...(textResponse?.response !== undefined ? { text: textResponse.response } : {}),
        duration_ms: 0,
        rate_limited: 0,
        eval_run_id: runId,
        result_id: d.result_id,
        ...(d.assessment !== undefined ? { assessment: d.assessment } : {}),
        assessment_reasons: d.assessment_reasons
    };
    const assessment = d.assessment?.toUpperCase();
    const reasons = d.assessment_reasons;
    const onlyTransient = reasons.length > 0 && reasons.every((r) => r === 'TRANSIENT_ERROR');
    if (!assessment || onlyTransient) {
        const why = onlyTransient ? 'Genie could not evaluate it (TRANSIENT_ERROR)' : `no assessment (result status ${d.eval_run_status ?? 'unknown'})`;
        return { ...base, status: 'error', checks: [{ name: 'eval', passed: false, detail: why }], error: why };
    }
    const checks = [];
    if (assessment === 'GOOD')
        checks.push({ name: 'eval', passed: true, detail: `Genie's assessment: GOOD${reasons.length ? ` (${describeReasons(reasons)})` : ''}` });
    else if (assessment === 'NEEDS_REVIEW') {
        checks.push({
            name: 'eval',
            passed: false,
            detail: `NEEDS_REVIEW: needs a manual review in the space${reasons.length ? ` (${describeReasons(reasons)})` : ''}`
        });
    }
    else if (!sql?.trim()) {
        // Genie did not answer with SQL (a text answer, a clarifying question): that is the reason, not
        // the result reasons the eval attaches to it (an EMPTY_RESULT of no SQL at all says nothing).
        const said = textResponse?.response?.replace(/\s+/g, ' ').trim();
        const excerpt = said && said.length > 160 ? `${said.slice(0, 159)}…` : said;
        checks.push({
            name: 'sql',
            passed: false,
            detail: excerpt ? `no SQL: Genie answered with text: "${excerpt}" (eval: ${assessment})` : `no SQL in the eval result (eval: ${assessment})`
        });
    }
    else
        checks.push({ name: 'eval', passed: false, detail: `${assessment}${reasons.length ? `: ${describeReasons(reasons)}` : ''}` });
    if (checks.some((c) => c.name === 'sql'))
        return { ...base, status: 'failed', checks };
    if (!serverSideOnly(q) && (q.expectedTables.length || q.expectedColumns.length || q.expectedContains.length || q.expectedPattern !== undefined)) {
        if (sql?.trim())
            checks.push(...staticChecks(q, sql));
        else
            checks.push({ name: 'sql', passed: false, detail: textResponse?.response ? 'no SQL: Genie answered with text' : 'no SQL in the eval result' });
    }
    return { ...base, status: checks.every((c) => c.passed) ? 'passed' : 'failed', checks };
}

;// CONCATENATED MODULE: ./src/benchmark/rate.ts
const NO_LEASE = { release: () => undefined, cancel: () => undefined };
class TokenBucket {
    ratePerMinute;
    pacing;
    burst;
    marginMs;
    /** `window`: how long a used token stays away (a minute, stretched when the rate is fractional). */
    windowMs;
    now;
    sleep;
    // even
    tokens;
    last;
    // window: when each token taken comes back (Infinity while its request is out)
    returns = [];
    pausedUntil = 0;
    waiters = [];
    pumping = false;
    /** Tokens handed out. */
    taken = 0;
    constructor(options) {
        if (!(options.ratePerMinute > 0) || !Number.isFinite(options.ratePerMinute)) {
            throw new RangeError(`questions per minute must be a positive number, not ${options.ratePerMinute}`);
        }
        this.ratePerMinute = options.ratePerMinute;
        this.pacing = options.pacing ?? 'window';
        this.burst = this.pacing === 'window' ? Math.max(1, Math.floor(options.ratePerMinute)) : Math.max(1, Math.floor(options.burst ?? 1));
        this.marginMs = options.marginMs ?? 250;
        // `burst` tokens per window at `ratePerMinute`: 60 s for a whole rate, longer for 0.5 or 2.5 a minute.
        this.windowMs = (60_000 * this.burst) / this.ratePerMinute;
        this.now = options.now;
        this.sleep = options.sleep;
        this.tokens = this.burst;
        this.last = this.now();
    }
    /** Average milliseconds per token. */
    get intervalMs() {
        return 60_000 / this.ratePerMinute;
    }
    closed;
    /** Refuses every waiter, now and later, with `reason` (the run is over). */
    close(reason) {
        this.closed ??= { reason };
        for (const w of this.waiters.splice(0))
            w.reject(reason);
    }
    /** Resolves with a lease when a token is granted (first come, first served; `first` jumps the queue). */
    take(options = {}) {
        if (this.closed)
            return Promise.reject(this.closed.reason);
        return new Promise((resolve, reject) => {
            if (options.first)
                this.waiters.unshift({ resolve, reject });
            else
                this.waiters.push({ resolve, reject });
            void this.pump();
        });
    }
    /** No token before `untilMs`. Extends, never shortens, a pause. */
    pauseUntil(untilMs) {
        this.refill();
        this.pausedUntil = Math.max(this.pausedUntil, untilMs);
        if (this.pacing === 'even') {
            this.tokens = 0;
            this.last = Math.max(this.last, this.pausedUntil - this.intervalMs);
        }
    }
    /** When the next token could be granted, ignoring waiters (for ETAs). */
    nextTokenAt() {
        const now = this.now();
        let at;
        if (this.pacing === 'even') {
            this.refill();
            at = this.tokens >= 1 ? now : now + (1 - this.tokens) * this.intervalMs;
        }
        else {
            const busy = this.returns.filter((r) => r > now);
            if (busy.length < this.burst)
                at = now;
            else {
                const soonest = Math.min(...busy);
                at = Number.isFinite(soonest) ? soonest : now + this.intervalMs;
            }
        }
        return Math.max(at, this.pausedUntil);
    }
    /** Milliseconds until `n` more tokens will have been granted (0 for n ≤ 0), if each is released at once (for ETAs). */
    timeUntil(n) {
        if (n <= 0)
            return 0;
        const now = this.now();
        const start = Math.max(now, this.pausedUntil);
        if (this.pacing === 'even')
            return Math.max(0, this.nextTokenAt() - now) + (n - 1) * this.intervalMs;
        const busy = this.returns
            .filter((r) => r > start)
            .map((r) => (Number.isFinite(r) ? r : now + this.windowMs + this.marginMs))
            .sort((a, b) => a - b);
        // Each of the `burst` slots is ready at its time, then every window after: the n-th grant is
        // slot (n−1) mod burst, ⌊(n−1)/burst⌋ windows later.
        const slots = [...new Array(Math.max(0, this.burst - busy.length)).fill(start), ...busy].sort((a, b) => a - b);
        const k = n - 1;
        const at = (slots[k % slots.length] ?? start) + Math.floor(k / slots.length) * (this.windowMs + this.marginMs);
        return Math.max(0, Math.max(at, start) - now);
    }
    /** One loop hands out tokens while anyone waits; the token goes to whoever is first when it is ready. */
    async pump() {
        if (this.pumping)
            return;
        this.pumping = true;
        try {
            while (this.waiters.length) {
                let lease;
                try {
                    lease = await this.acquire();
                }
                catch (err) {
                    for (const w of this.waiters.splice(0))
                        w.reject(err);
                    return;
                }
                // A pause may have begun while the token was being fetched (a 429 just came back).
                if (this.now() < this.pausedUntil) {
                    lease.cancel();
                    continue;
                }
                const w = this.waiters.shift();
                if (w)
                    w.resolve(lease);
                else
                    lease.cancel();
            }
        }
        finally {
            this.pumping = false;
        }
    }
    /** Tokens accrue from `last` (which a pause may put in the future). */
    refill() {
        const now = this.now();
        if (now <= this.last)
            return;
        this.tokens = Math.min(this.burst, this.tokens + (now - this.last) / this.intervalMs);
        this.last = now;
    }
    async acquire() {
        for (;;) {
            const now = this.now();
            if (now < this.pausedUntil) {
                await this.sleep(this.pausedUntil - now);
                continue;
            }
            if (this.pacing === 'even') {
                this.refill();
                if (this.tokens >= 1 - 1e-9) {
                    this.tokens = Math.max(0, this.tokens - 1);
                    this.taken++;
                    return NO_LEASE;
                }
                await this.sleep(Math.max(1, Math.ceil((1 - this.tokens) * this.intervalMs)));
                continue;
            }
            this.returns = this.returns.filter((r) => r > now);
            if (this.returns.length < this.burst) {
                this.returns.push(Number.POSITIVE_INFINITY);
                this.taken++;
                let released = false;
                const settle = (back) => {
                    if (released)
                        return;
                    released = true;
                    // Placeholders are all alike: replace any one.
                    const i = this.returns.indexOf(Number.POSITIVE_INFINITY);
                    if (i >= 0)
                        this.returns[i] = back;
                };
                return {
                    release: (at) => settle((at ?? this.now()) + this.windowMs + this.marginMs),
                    cancel: () => settle(Number.NEGATIVE_INFINITY)
                };
            }
            const soonest = Math.min(...this.returns);
            // every token is out with its request unanswered: look again shortly
            await this.sleep(Number.isFinite(soonest) ? Math.max(1, soonest - now) : Math.min(1000, this.intervalMs));
        }
    }
}

;// CONCATENATED MODULE: ./src/benchmark/cleanup.ts

async function cleanUpConversations(client, spaceId, suites, keep, logger) {
    const keepIds = new Set();
    const deleteIds = new Set();
    for (const a of suites.flatMap((s) => s.questions.flatMap((q) => q.attempts))) {
        if (!a.conversation_id)
            continue;
        const failed = a.status === 'failed' || a.status === 'error';
        if (keep === 'all' || (keep === 'failed' && failed))
            keepIds.add(a.conversation_id);
        else
            deleteIds.add(a.conversation_id);
    }
    // a conversation one attempt keeps is never deleted because another attempt named it too
    for (const id of keepIds)
        deleteIds.delete(id);
    let deleted = 0;
    let kept = keepIds.size;
    for (const id of deleteIds) {
        try {
            await client.deleteConversation(spaceId, id);
            deleted++;
        }
        catch (err) {
            kept++;
            logger.warn(`could not delete conversation ${id} of this run: ${(0,util_errors/* describeError */.Uc)(err)}`);
        }
    }
    if (deleted || kept)
        logger.info(`conversations of this run: ${deleted} deleted, ${kept} kept (keeping ${keep})`);
    return { deleted, kept };
}

;// CONCATENATED MODULE: ./src/benchmark/stats.ts
/**
 * The two statistics a benchmark gate needs to tell noise from a change.
 *
 * - `wilsonInterval(k, n)`: the Wilson score interval of a pass rate k/n (Wilson 1927). Unlike the
 *   normal ("Wald") interval it stays inside [0, 1] and is not degenerate at 0/n or n/n, which is
 *   where small benchmark suites live.
 *     centre = (p + z²/2n) / (1 + z²/n),  half = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
 * - `mcnemarExact(b, c)`: the exact (binomial) McNemar test for paired pass/fail outcomes: of the
 *   b + c questions that flipped, b went pass→fail and c fail→pass; under "no change" each flip is
 *   a fair coin, so the two-sided p-value is min(1, 2·P(X ≤ min(b, c))) with X ~ Binomial(b+c, ½).
 *   No flips: p = 1.
 */
const Z_95 = 1.959963984540054;
function wilsonInterval(passed, total, level = 0.95) {
    if (level !== 0.95)
        throw new RangeError('only the 95% interval is implemented');
    if (total <= 0)
        return { level, low: 0, high: 1 };
    const z = Z_95;
    const p = passed / total;
    const z2 = z * z;
    const denom = 1 + z2 / total;
    const centre = (p + z2 / (2 * total)) / denom;
    const half = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / denom;
    return { level, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
/** ln C(n, k), summed exactly enough for the counts of a benchmark suite (n up to a few thousand). */
function logChoose(n, k) {
    let s = 0;
    for (let i = 1; i <= k; i++)
        s += Math.log(n - k + i) - Math.log(i);
    return s;
}
function mcnemarExact(passToFail, failToPass) {
    const n = passToFail + failToPass;
    if (n === 0)
        return 1;
    const k = Math.min(passToFail, failToPass);
    let tail = 0;
    for (let i = 0; i <= k; i++)
        tail += Math.exp(logChoose(n, i) - n * Math.LN2);
    return Math.min(1, 2 * tail);
}

;// CONCATENATED MODULE: ./src/benchmark/state.ts


/**
 * The runner's bookkeeping, shared by both strategies: per question its attempts and whether
 * repeat/min_passes have decided it; per run the progress (n/N decided, passing so far, ETA).
 *
 * A question is decided as soon as min_passes attempts passed, or as soon as so many failed that
 * min_passes can no longer be reached; its remaining attempts are then not asked (they are
 * reported as `skipped`) — questions are the scarce resource (about 5 a minute).
 */
class QuestionState {
    suite;
    q;
    attempts = [];
    decided = false;
    /** The expected result, run once per question. */
    expected;
    firstStart;
    lastEnd;
    constructor(suite, q) {
        this.suite = suite;
        this.q = q;
    }
    get passes() {
        return this.attempts.filter((a) => a.status === 'passed').length;
    }
    get notPassed() {
        return this.attempts.filter((a) => a.status === 'failed' || a.status === 'error').length;
    }
    get passed() {
        return this.passes >= this.q.minPasses;
    }
    /** True when this attempt decided the question (it was not decided before). */
    record(attempt, startedAt, endedAt) {
        this.attempts.push(attempt);
        if (attempt.status !== 'skipped') {
            this.firstStart = Math.min(this.firstStart ?? startedAt, startedAt);
            this.lastEnd = Math.max(this.lastEnd ?? endedAt, endedAt);
            this.suite.touch(startedAt, endedAt);
        }
        if (this.decided)
            return false;
        const asked = this.attempts.filter((a) => a.status !== 'skipped').length;
        const early = !this.q.askAll && (this.passes >= this.q.minPasses || this.notPassed > this.q.repeat - this.q.minPasses);
        if (early || asked >= this.q.repeat) {
            this.decided = true;
            return true;
        }
        return false;
    }
    result() {
        const attempts = [...this.attempts].sort((a, b) => a.attempt - b.attempt);
        const passed = this.passed;
        const someFailed = attempts.some((a) => a.status === 'failed');
        const flaky = someFailed && attempts.some((a) => a.status === 'passed');
        const status = flaky ? 'flaky' : passed ? 'passed' : someFailed ? 'failed' : 'error';
        const asked = attempts.filter((a) => a.status !== 'skipped').length;
        const lastBad = [...attempts].reverse().find((a) => a.status === 'failed' || a.status === 'error');
        const failure = passed || !lastBad ? undefined : lastBad.status === 'error' && lastBad.error ? lastBad.error : (firstFailure(lastBad.checks) ?? lastBad.error);
        return {
            question: this.q.question,
            status,
            passed,
            passes: this.passes,
            attempts_made: asked,
            pass_rate: asked ? this.passes / asked : 0,
            repeat: this.q.repeat,
            min_passes: this.q.minPasses,
            ...(this.q.expectedSql !== undefined ? { expected_sql: this.q.expectedSql } : {}),
            tags: this.q.tags,
            ...(failure !== undefined ? { failure } : {}),
            attempts,
            duration_ms: this.firstStart !== undefined && this.lastEnd !== undefined ? this.lastEnd - this.firstStart : 0
        };
    }
}
class SuiteState {
    suite;
    questions;
    /** Set when the suite's timeout_seconds starts counting (its first question asked). */
    deadline;
    firstStart;
    lastEnd;
    constructor(suite) {
        this.suite = suite;
        this.questions = suite.questions.map((q) => new QuestionState(this, q));
    }
    touch(start, end) {
        this.firstStart = Math.min(this.firstStart ?? start, start);
        this.lastEnd = Math.max(this.lastEnd ?? end, end);
    }
    /** Starts the suite's clock (timeout_seconds) the first time one of its questions is asked. */
    start(now) {
        if (this.deadline === undefined && this.suite.timeoutMs !== undefined)
            this.deadline = now + this.suite.timeoutMs;
    }
    expired(now) {
        return this.deadline !== undefined && now >= this.deadline;
    }
    result() {
        const questions = this.questions.map((q) => q.result());
        const { passed, errors, flaky } = countQuestions(questions);
        return {
            name: this.suite.name,
            ...(this.suite.file !== undefined ? { file: this.suite.file } : {}),
            ...(this.suite.minAccuracy !== undefined ? { min_accuracy: this.suite.minAccuracy } : {}),
            total: questions.length,
            passed,
            failed: questions.length - passed - errors,
            errors,
            accuracy: questions.length ? passed / questions.length : 0,
            flaky,
            confidence_interval: wilsonInterval(passed, questions.length),
            duration_ms: this.firstStart !== undefined && this.lastEnd !== undefined ? this.lastEnd - this.firstStart : 0,
            questions
        };
    }
}
/** passed (min_passes reached, flaky or not), errors (no verdict) and flaky questions. */
function countQuestions(questions) {
    return {
        passed: questions.filter((q) => q.passed).length,
        errors: questions.filter((q) => q.status === 'error').length,
        flaky: questions.filter((q) => q.status === 'flaky').length
    };
}
/** Progress over every question of a run. */
class ProgressTracker {
    total;
    started;
    now;
    sink;
    done = 0;
    passed = 0;
    failed = 0;
    constructor(total, started, now, sink) {
        this.total = total;
        this.started = started;
        this.now = now;
        this.sink = sink;
    }
    /** A question was decided; `etaMs` from the strategy, which knows what is left to ask. */
    decided(q, etaMs) {
        this.done++;
        if (q.passed)
            this.passed++;
        else
            this.failed++;
        this.emit(etaMs, { suite: q.suite.suite.name, question: q.q.question, passed: q.passed });
    }
    /** The highest count of finished questions printed: one line per finished question, never a count twice. */
    shown = 0;
    /**
     * `inRun`: questions an eval run has finished but not yet reported (counted as done, and passed
     * when correct). Nothing is emitted unless more questions are done than the last line said (an
     * eval run's own count comes first; the verdicts read afterwards do not print the counts again).
     */
    emit(etaMs, last, inRun = { done: 0, correct: 0 }) {
        if (!this.sink)
            return;
        const done = Math.min(this.total, this.done + inRun.done);
        if (done <= this.shown)
            return;
        this.shown = done;
        const passed = this.passed + inRun.correct;
        const p = { done, total: this.total, passed, failed: done - passed, elapsedMs: this.now() - this.started };
        if (etaMs !== undefined && Number.isFinite(etaMs) && done < this.total)
            p.etaMs = Math.max(0, Math.round(etaMs));
        if (last)
            p.last = last;
        try {
            this.sink(p);
        }
        catch {
            // a progress printer must never stop a run
        }
    }
}

// EXTERNAL MODULE: ./src/benchmark/options.ts
var options = __webpack_require__(7469);
;// CONCATENATED MODULE: ./src/benchmark/types.ts


/**
 * The benchmark report, schema version 1: what `spaceops benchmark --format json` writes and what
 * `--baseline` reads back. The zod schema is the definition; the TypeScript types are inferred
 * from it. Keys are snake_case and only ever ADDED within a schema version (readers drop unknown
 * keys), so a version 1 baseline stays readable by every later SpaceOps.
 */
const SCHEMA_VERSION = 1;
const CHECK_NAMES = ['sql', 'tables', 'columns', 'contains', 'pattern', 'result', 'eval'];
const CheckResultSchema = schemas/* object */.Ikc({
    /** sql (an SQL answer at all), tables, columns, contains, pattern, result (result-set equivalence), eval (Genie's own assessment). */
    name: schemas/* enum */.k5n(CHECK_NAMES),
    passed: schemas/* boolean */.zMY(),
    /** Why it failed (or what was compared), one line. */
    detail: schemas/* string */.YjP()
});
/**
 * passed / failed: Genie answered and the checks decided. error: no verdict could be reached for a
 * reason that is not the answer's (an API error, expected_sql failing on the warehouse); it counts
 * as not passed. skipped: not asked, because earlier attempts already decided the question.
 */
const ATTEMPT_STATUSES = ['passed', 'failed', 'error', 'skipped'];
const AttemptResultSchema = schemas/* object */.Ikc({
    attempt: schemas/* number */.aig().int(),
    status: schemas/* enum */.k5n(ATTEMPT_STATUSES),
    /** The SQL Genie generated. */
    sql: schemas/* string */.YjP().optional(),
    /** Genie's text answer (or clarifying question). */
    text: schemas/* string */.YjP().optional(),
    checks: schemas/* array */.YOg(CheckResultSchema),
    error: schemas/* string */.YjP().optional(),
    started_at: schemas/* string */.YjP().optional(),
    /** From the accepted question to the verdict (answer latency + scoring). */
    duration_ms: schemas/* number */.aig(),
    /** 429s / rate-limit answers before the question was accepted (never counted against the space). */
    rate_limited: schemas/* number */.aig().int().default(0),
    conversation_id: schemas/* string */.YjP().optional(),
    message_id: schemas/* string */.YjP().optional(),
    eval_run_id: schemas/* string */.YjP().optional(),
    result_id: schemas/* string */.YjP().optional(),
    assessment: schemas/* string */.YjP().optional(),
    assessment_reasons: schemas/* array */.YOg(schemas/* string */.YjP()).optional()
});
/** flaky: some asked attempts passed and some failed (whether it counts as passed is still min_passes'). */
const QUESTION_STATUSES = ['passed', 'failed', 'error', 'flaky'];
const QuestionResultSchema = schemas/* object */.Ikc({
    question: schemas/* string */.YjP(),
    /**
     * passed: at least min_passes attempts passed (and none failed); failed: not passed and some
     * attempt failed; error: not passed and no attempt got a verdict; flaky: attempts both passed and
     * failed — `passed` says whether min_passes was reached.
     */
    status: schemas/* enum */.k5n(QUESTION_STATUSES),
    passed: schemas/* boolean */.zMY(),
    passes: schemas/* number */.aig().int(),
    attempts_made: schemas/* number */.aig().int(),
    /** passes / attempts asked (0 when none was asked). */
    pass_rate: schemas/* number */.aig().optional(),
    repeat: schemas/* number */.aig().int(),
    min_passes: schemas/* number */.aig().int(),
    expected_sql: schemas/* string */.YjP().optional(),
    tags: schemas/* array */.YOg(schemas/* string */.YjP()).default([]),
    /** One line: the first failed check (or error) of the last failed attempt. */
    failure: schemas/* string */.YjP().optional(),
    attempts: schemas/* array */.YOg(AttemptResultSchema),
    duration_ms: schemas/* number */.aig()
});
const IntervalSchema = schemas/* object */.Ikc({ level: schemas/* number */.aig(), low: schemas/* number */.aig(), high: schemas/* number */.aig() });
const SuiteResultSchema = schemas/* object */.Ikc({
    name: schemas/* string */.YjP(),
    file: schemas/* string */.YjP().optional(),
    /** The suite's own min_accuracy (the gate may override it). */
    min_accuracy: schemas/* number */.aig().optional(),
    total: schemas/* number */.aig().int(),
    passed: schemas/* number */.aig().int(),
    failed: schemas/* number */.aig().int(),
    errors: schemas/* number */.aig().int(),
    /** passed / total (0 when total is 0). */
    accuracy: schemas/* number */.aig(),
    /** Questions whose attempts both passed and failed. */
    flaky: schemas/* number */.aig().int().default(0),
    /** The 95% Wilson interval of accuracy (stats.ts). */
    confidence_interval: IntervalSchema.optional(),
    duration_ms: schemas/* number */.aig(),
    questions: schemas/* array */.YOg(QuestionResultSchema)
});

const FlipsSchema = schemas/* object */.Ikc({
    /** Questions paired (in both runs). */
    paired: schemas/* number */.aig().int(),
    pass_to_fail: schemas/* array */.YOg(schemas/* string */.YjP()),
    fail_to_pass: schemas/* array */.YOg(schemas/* string */.YjP()),
    /** Two-sided exact McNemar p-value of the flips (1 when nothing flipped). */
    p_value: schemas/* number */.aig()
});
const ComparisonSchema = FlipsSchema.extend({
    suites: schemas/* array */.YOg(FlipsSchema.extend({ name: schemas/* string */.YjP() })).default([])
});
const GateSuiteSchema = schemas/* object */.Ikc({
    name: schemas/* string */.YjP(),
    accuracy: schemas/* number */.aig(),
    /** What was compared with the threshold: accuracy (point) or the interval's lower bound. */
    gated_value: schemas/* number */.aig().optional(),
    threshold: schemas/* number */.aig().optional(),
    passed: schemas/* boolean */.zMY()
});
const GateResultSchema = schemas/* object */.Ikc({
    passed: schemas/* boolean */.zMY(),
    /** Every reason the gate failed, one line each. */
    reasons: schemas/* array */.YOg(schemas/* string */.YjP()),
    /** Things worth knowing that did not fail the gate (e.g. regressions within --max-regression). */
    notes: schemas/* array */.YOg(schemas/* string */.YjP()).default([]),
    suites: schemas/* array */.YOg(GateSuiteSchema),
    min_accuracy_override: schemas/* number */.aig().optional(),
    baseline: schemas/* string */.YjP().optional(),
    max_regression: schemas/* number */.aig().optional(),
    gate_on: schemas/* enum */.k5n(options/* GATE_ON */.cM).optional(),
    regression_p: schemas/* number */.aig().optional(),
    /** Questions paired with the baseline by text: the flips and the exact McNemar p-value of the change. */
    comparison: ComparisonSchema.optional()
});
const TrendPointSchema = schemas/* object */.Ikc({ started_at: schemas/* string */.YjP(), accuracy: schemas/* number */.aig(), passed: schemas/* number */.aig().int(), questions: schemas/* number */.aig().int() });
const BenchmarkReportSchema = schemas/* object */.Ikc({
    schema_version: schemas/* literal */.euz(SCHEMA_VERSION),
    tool: schemas/* string */.YjP().default('spaceops'),
    tool_version: schemas/* string */.YjP().optional(),
    space_id: schemas/* string */.YjP(),
    strategy: schemas/* enum */.k5n(['eval', 'conversation']),
    warehouse_id: schemas/* string */.YjP().optional(),
    questions_per_minute: schemas/* number */.aig().optional(),
    started_at: schemas/* string */.YjP(),
    finished_at: schemas/* string */.YjP(),
    duration_ms: schemas/* number */.aig(),
    totals: schemas/* object */.Ikc({
        questions: schemas/* number */.aig().int(),
        passed: schemas/* number */.aig().int(),
        failed: schemas/* number */.aig().int(),
        errors: schemas/* number */.aig().int(),
        accuracy: schemas/* number */.aig(),
        /** Questions actually put to Genie (attempts not skipped). */
        attempts: schemas/* number */.aig().int(),
        rate_limited: schemas/* number */.aig().int().default(0),
        flaky: schemas/* number */.aig().int().default(0),
        /** The 95% Wilson interval of accuracy. */
        confidence_interval: IntervalSchema.optional(),
        /** SQL statements run on the warehouse (expected and generated SQL of the result check). */
        statements: schemas/* number */.aig().int().default(0),
        /** Conversations the run started and deleted afterwards / kept (see --keep-conversations). */
        conversations_deleted: schemas/* number */.aig().int().optional(),
        conversations_kept: schemas/* number */.aig().int().optional()
    }),
    suites: schemas/* array */.YOg(SuiteResultSchema),
    /** What the run chose to do differently and why (e.g. conversations instead of eval in a read-only run). */
    notes: schemas/* array */.YOg(schemas/* string */.YjP()).optional(),
    gate: GateResultSchema.optional(),
    /** Earlier runs (oldest first) for the trend chart, from their JSON reports (--trend). */
    trend: schemas/* array */.YOg(TrendPointSchema).optional()
});

;// CONCATENATED MODULE: ./src/benchmark/runner.ts













const DEFAULT_QUESTIONS_PER_MINUTE = 5;
function defaultConcurrency(questionsPerMinute) {
    return Math.min(64, Math.max(2, Math.ceil(questionsPerMinute * 2)));
}
/** The eval-runs endpoint is not there (or not enabled) in this workspace. */
function isEvalUnavailable(err) {
    if (!(err instanceof GenieApiError))
        return false;
    const code = err.errorCode?.toUpperCase() ?? '';
    if (['ENDPOINT_NOT_FOUND', 'FEATURE_DISABLED', 'NOT_IMPLEMENTED'].includes(code))
        return true;
    if (err.status === 404 || err.status === 501)
        return true;
    return (err.status === 400 || err.status === 403) && /feature.*(disabled|not enabled)|not (enabled|available)/i.test(err.apiMessage);
}
async function runBenchmarks(options) {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? realSleep;
    const logger = options.logger ?? silentLogger;
    const rate = options.bucket?.ratePerMinute ?? options.questionsPerMinute ?? DEFAULT_QUESTIONS_PER_MINUTE;
    if (!(rate > 0) || !Number.isFinite(rate))
        throw new util_errors/* SpaceOpsError */.Dc(`questions per minute must be a positive number, not ${rate}`);
    if (options.concurrency !== undefined && !(options.concurrency >= 1))
        throw new util_errors/* SpaceOpsError */.Dc(`concurrency must be at least 1, not ${options.concurrency}`);
    const { client, spaceId } = options;
    const suites = options.suites.map((s) => new SuiteState(s));
    const states = suites.flatMap((s) => s.questions);
    if (!states.length)
        throw new util_errors/* SpaceOpsError */.Dc('no benchmark questions to ask');
    const startedAt = now();
    let strategy = await chooseStrategy(options.strategy ?? 'auto', client, spaceId, states, logger);
    // Only an explicit eval outside a read-only run may write (eval.ts, syncBenchmarkQuestions).
    const allowWrites = options.strategy === 'eval' && !options.readOnly;
    const notes = [];
    let plan;
    if (strategy === 'eval' && !allowWrites) {
        const ro = typeof options.readOnly === 'object' ? options.readOnly : { by: 'read-only run', space: `space ${spaceId}` };
        let note;
        try {
            plan = await planBenchmarkSync(client, spaceId, states);
            if (needsWrite(plan))
                note = `${ro.by}: the eval strategy would write the suite into ${ro.space}; using conversations (read-only)`;
        }
        catch (err) {
            if (!(err instanceof GenieApiError) || definiteRefusal(err))
                throw err;
            note = `${ro.by}: the benchmarks of ${ro.space} could not be read (${(0,util_errors/* describeError */.Uc)(err)}); using conversations (read-only)`;
        }
        if (note !== undefined) {
            logger.info(note);
            notes.push(note);
            strategy = 'conversation';
            plan = undefined;
        }
    }
    // Conversations compare results on a warehouse: the one given, else the space's (this read also
    // says at once when the space does not exist). Eval runs use the space's own.
    let warehouseId = options.warehouseId;
    if (strategy === 'conversation' && warehouseId === undefined && states.some((s) => s.q.expectedSql !== undefined)) {
        const space = await client.getSpace(spaceId, { includeSerializedSpace: false });
        warehouseId = space.warehouse_id || undefined;
        if (!warehouseId)
            logger.warn(`space ${spaceId} has no warehouse: questions with expected_sql cannot be compared${(0,core_names/* viaOption */.Cn)(options.names ?? core_names/* NEUTRAL_NAMES */.lJ, 'warehouse-id', ' (pass ', ')')}`);
    }
    const progress = new ProgressTracker(states.length, startedAt, now, options.onProgress);
    const stats = { rateLimited: 0, statements: 0 };
    const bucket = options.bucket ??
        new TokenBucket({
            ratePerMinute: rate,
            ...(options.pacing !== undefined ? { pacing: options.pacing } : {}),
            ...(options.burst !== undefined ? { burst: options.burst } : {}),
            now,
            sleep
        });
    const statementOptions = {
        now,
        sleep,
        onSent: () => {
            stats.statements++;
        },
        ...(options.statementTimeoutMs !== undefined ? { timeoutMs: options.statementTimeoutMs } : {}),
        ...(options.statementWaitTimeout !== undefined ? { waitTimeout: options.statementWaitTimeout } : {})
    };
    const resultContext = (qs) => {
        const expectedSql = qs.q.expectedSql;
        if (expectedSql === undefined || warehouseId === undefined)
            return undefined;
        const wh = warehouseId;
        return {
            expected: () => (qs.expected ??= runStatement(client, wh, expectedSql, statementOptions)),
            run: (sql) => runStatement(client, wh, sql, statementOptions)
        };
    };
    logger.info(`benchmarking space ${spaceId}: ${states.length} question(s) in ${suites.length} suite(s), strategy ${strategy}` +
        (strategy === 'conversation' ? `, ${rate} question(s) per minute` : ''));
    if (strategy === 'conversation') {
        await runConversations({
            client,
            spaceId,
            bucket,
            concurrency: options.concurrency ?? defaultConcurrency(rate),
            now,
            sleep,
            logger,
            progress,
            resultContext,
            maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
            stats
        }, suites);
    }
    else {
        await runEvalRuns({ client, spaceId, now, sleep, logger, progress, allowWrites, intervalMs: bucket.intervalMs, ...(options.names ? { names: options.names } : {}) }, suites, plan);
    }
    const suiteResults = suites.map((s) => s.result());
    // Deleting the conversations this run started is allowed in a read-only run (a gate): it is
    // cleanup of our own questions, not a write to the space's definition (cleanup.ts).
    const cleanup = strategy === 'conversation' ? await cleanUpConversations(client, spaceId, suiteResults, options.keepConversations ?? 'failed', logger) : undefined;
    const finishedAt = now();
    const questions = suiteResults.flatMap((s) => s.questions);
    const { passed, errors, flaky } = countQuestions(questions);
    return {
        schema_version: SCHEMA_VERSION,
        tool: 'spaceops',
        tool_version: VERSION,
        space_id: spaceId,
        strategy,
        ...(warehouseId !== undefined ? { warehouse_id: warehouseId } : {}),
        ...(strategy === 'conversation' ? { questions_per_minute: rate } : {}),
        started_at: new Date(startedAt).toISOString(),
        finished_at: new Date(finishedAt).toISOString(),
        duration_ms: finishedAt - startedAt,
        totals: {
            questions: questions.length,
            passed,
            failed: questions.length - passed - errors,
            errors,
            accuracy: questions.length ? passed / questions.length : 0,
            attempts: questions.reduce((n, q) => n + q.attempts_made, 0),
            rate_limited: stats.rateLimited,
            flaky,
            confidence_interval: wilsonInterval(passed, questions.length),
            statements: stats.statements,
            ...(cleanup ? { conversations_deleted: cleanup.deleted, conversations_kept: cleanup.kept } : {})
        },
        suites: suiteResults,
        ...(notes.length ? { notes } : {})
    };
}
async function chooseStrategy(choice, client, spaceId, states, logger) {
    if (choice !== 'auto')
        return choice;
    const clientSide = states.filter((s) => !serverSideOnly(s.q));
    if (clientSide.length) {
        logger.debug(`strategy auto: conversation (${clientSide.length} question(s) have checks Genie's eval runs cannot make, or no expected_sql)`);
        return 'conversation';
    }
    try {
        await client.listEvalRuns(spaceId, { pageSize: 1 });
    }
    catch (err) {
        if (isEvalUnavailable(err)) {
            logger.info(`strategy auto: conversation (eval runs are not available in this workspace: ${err instanceof Error ? err.message : String(err)})`);
            return 'conversation';
        }
        throw err;
    }
    logger.debug('strategy auto: eval (every question has expected_sql only, and the workspace has eval runs)');
    return 'eval';
}

// EXTERNAL MODULE: ./src/validate/suite.ts
var suite = __webpack_require__(7850);
;// CONCATENATED MODULE: ./src/benchmark/suites.ts









/**
 * Benchmark suites: the suite format (`benchmarks/*.yaml`, validated by model/suite.ts +
 * validate/suite.ts) and a space definition's own `benchmarks` section (question + SQL answer),
 * which becomes a suite named "<space title> benchmarks" whose expected_sql is each answer.
 *
 * Defaults: repeat 1; min_passes a strict majority of repeat (1 of 1, 2 of 2, 2 of 3, 3 of 4, …);
 * per-question timeout: the question's timeout_seconds, else the suite's question_timeout_seconds,
 * else 10 minutes (Databricks' advice for one Genie answer).
 */
const DEFAULT_QUESTION_TIMEOUT_MS = 10 * 60_000;
function defaultMinPasses(repeat) {
    return Math.floor(repeat / 2) + 1;
}
function suiteFromModel(suite, name, file) {
    const questions = suite.queries.map((q) => {
        const repeat = q.repeat ?? suite.repeat ?? 1;
        const minPasses = Math.min(repeat, q.min_passes ?? suite.min_passes ?? defaultMinPasses(repeat));
        const timeoutS = q.timeout_seconds ?? suite.question_timeout_seconds;
        return {
            question: q.question.trim(),
            expectedTables: q.expected_tables ?? [],
            expectedColumns: q.expected_columns ?? [],
            expectedContains: q.expected_sql_contains ?? [],
            ...(q.expected_sql_pattern !== undefined ? { expectedPattern: q.expected_sql_pattern } : {}),
            ...(q.expected_sql?.trim() ? { expectedSql: q.expected_sql } : {}),
            tags: q.tags ?? [],
            repeat,
            minPasses,
            timeoutMs: timeoutS !== undefined ? timeoutS * 1000 : DEFAULT_QUESTION_TIMEOUT_MS
        };
    });
    return {
        name: suite.name?.trim() || name,
        ...(file !== undefined ? { file } : {}),
        ...(suite.min_accuracy !== undefined ? { minAccuracy: suite.min_accuracy } : {}),
        ...(suite.timeout_seconds !== undefined ? { timeoutMs: suite.timeout_seconds * 1000 } : {}),
        questions
    };
}
/** A space's `benchmarks` section as a suite; undefined when it has none. */
function suiteFromSpace(space, file) {
    const items = space.document.benchmarks?.questions ?? [];
    if (!items.length)
        return undefined;
    const title = space.meta.title?.trim() || (file ? external_node_path_default().basename(file) : 'space');
    return {
        name: `${title} benchmarks`,
        ...(file !== undefined ? { file } : {}),
        questions: items.map((b) => {
            const sql = b.answer.find((a) => a.format.toUpperCase() === 'SQL') ?? b.answer[0];
            const expectedSql = sql ? (0,model_text/* fromLines */.O)(sql.content) : '';
            return {
                question: (0,model_text/* fromLines */.O)(b.question).trim(),
                expectedTables: [],
                expectedColumns: [],
                expectedContains: [],
                ...(expectedSql.trim() ? { expectedSql } : {}),
                tags: [],
                repeat: 1,
                minPasses: 1,
                timeoutMs: DEFAULT_QUESTION_TIMEOUT_MS,
                spaceQuestionId: b.id
            };
        })
    };
}
function located(p) {
    return new util_errors/* SpaceOpsError */.Dc(p.message, {
        location: { file: p.file, ...(p.line !== undefined ? { line: p.line } : {}), ...(p.col !== undefined ? { col: p.col } : {}) }
    });
}
/**
 * Suites from files, directories or globs. A suite file with errors stops everything (one located
 * line); warnings are logged. A space definition is read for its benchmarks only (its other rules
 * are `validate`'s business); one without benchmarks is skipped with a warning, and is an error
 * when nothing else was found.
 */
async function loadSuites(patterns, options = {}) {
    const cwd = options.cwd ?? process.cwd();
    const logger = options.logger ?? silentLogger;
    const files = await (0,paths/* expandDefinitions */.dA)(patterns, cwd);
    const suites = [];
    const skipped = [];
    for (const file of files) {
        const loaded = await (0,load/* loadDefinitionFile */.kE)(file, cwd);
        const fatal = loaded.problems.find((p) => p.severity === 'error');
        if (fatal)
            throw located(fatal);
        if (loaded.suite) {
            const problems = await (0,suite/* validateSuite */.B)(loaded.suite);
            const error = problems.find((p) => p.severity === 'error');
            if (error)
                throw located(error);
            for (const w of problems)
                logger.warn((0,model_problems/* formatProblem */.Vw)(w));
            suites.push(suiteFromModel(loaded.suite.suite, external_node_path_default().basename(file).replace(/\.ya?ml$/i, ''), file));
        }
        else if (loaded.definition) {
            const suite = suiteFromSpace(loaded.definition.space, file);
            if (suite)
                suites.push(suite);
            else {
                skipped.push(file);
                logger.warn(`${file}: the space definition has no benchmarks; skipped`);
            }
        }
    }
    if (!suites.length) {
        throw new util_errors/* SpaceOpsError */.Dc(`no benchmark questions in ${skipped.length ? skipped.join(', ') : patterns.join(', ')}: give suite files (queries:) or a space definition with benchmarks`);
    }
    return uniqueNames(suites);
}
/** Two suites with one name would be confused in reports and baselines: the later ones get their file. */
function uniqueNames(suites) {
    const seen = new Set();
    return suites.map((s) => {
        let name = s.name;
        if (seen.has(name))
            name = `${s.name} (${s.file ?? seen.size})`;
        seen.add(name);
        return name === s.name ? s : { ...s, name };
    });
}
/**
 * Suites are written for the definition's names; an environment of the promotion config maps its
 * catalogs / schemas / tables, so expected tables and expected SQL are remapped the same way.
 */
function remapSuites(suites, mapping) {
    return suites.map((s) => ({
        ...s,
        questions: s.questions.map((q) => ({
            ...q,
            expectedTables: q.expectedTables.map((t) => (0,src_sql/* remapIdentifier */.nl)(t, mapping)),
            ...(q.expectedSql !== undefined ? { expectedSql: (0,src_sql/* remapIdentifiers */.cw)(q.expectedSql, mapping).sql } : {})
        }))
    }));
}
/**
 * `--repeat N`: every question is asked N times — all N, even once the outcome is decided, since
 * the point is measuring noise (pass rates, flaky questions). min_passes becomes a strict majority
 * of N unless the question's own min_passes fits within N.
 */
function applyRepeat(suites, repeat) {
    return suites.map((s) => ({
        ...s,
        questions: s.questions.map((q) => ({
            ...q,
            repeat,
            minPasses: q.repeat === repeat ? q.minPasses : defaultMinPasses(repeat),
            askAll: true
        }))
    }));
}

// EXTERNAL MODULE: ./node_modules/tinyglobby/dist/index.mjs + 1 modules
var tinyglobby_dist = __webpack_require__(3382);
;// CONCATENATED MODULE: ./src/benchmark/gate.ts








const EPS = 1e-9;
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const gate_norm = (s) => s.replace(/\s+/g, ' ').trim().toLowerCase();
function names(items, max = 5) {
    const shown = items.slice(0, max).join('; ');
    return items.length > max ? `${shown}; +${items.length - max} more` : shown;
}
function evaluateGate(report, options = {}) {
    const reasons = [];
    const notes = [];
    const suites = [];
    const lowerBound = options.gateOn === 'lower-bound';
    const words = options.names ?? core_names/* NEUTRAL_NAMES */.lJ;
    const setting = (name) => words.option(name) ?? name;
    for (const s of report.suites) {
        const threshold = options.minAccuracy ?? s.min_accuracy;
        const low = (s.confidence_interval ?? wilsonInterval(s.passed, s.total)).low;
        const value = lowerBound ? low : s.accuracy;
        const ok = threshold === undefined || value + EPS >= threshold;
        if (!ok) {
            reasons.push(lowerBound
                ? `suite "${s.name}": the lower bound of the 95% interval of accuracy, ${pct(low)} (accuracy ${pct(s.accuracy)}, ${s.passed}/${s.total}), is below the threshold ${pct(threshold)}`
                : `suite "${s.name}": accuracy ${pct(s.accuracy)} (${s.passed}/${s.total}) is below the threshold ${pct(threshold)}`);
        }
        suites.push({
            name: s.name,
            accuracy: s.accuracy,
            ...(threshold !== undefined ? { threshold, ...(lowerBound ? { gated_value: value } : {}) } : {}),
            passed: ok
        });
    }
    if (suites.every((s) => s.threshold === undefined) && !options.baseline) {
        notes.push(`no min_accuracy in the suites${(0,core_names/* viaOption */.Cn)(words, 'min-accuracy', ', ', ' not given')}: accuracy is reported, not gated`);
    }
    if (report.totals.questions > 0 && report.totals.errors === report.totals.questions) {
        reasons.push(`no question got a verdict (${report.totals.errors} errors): nothing was measured`);
    }
    let comparison;
    if (options.baseline) {
        const base = options.baseline;
        const label = options.baselineName ?? 'the baseline';
        const allowance = options.maxRegression ?? 0;
        const alpha = options.regressionP;
        const baseSuites = new Map(base.suites.map((s) => [s.name, s]));
        comparison = {
            ...pairFlips(base.suites.flatMap((s) => s.questions), report.suites.flatMap((s) => s.questions)),
            suites: []
        };
        for (const s of report.suites) {
            const b = baseSuites.get(s.name);
            if (!b) {
                notes.push(`suite "${s.name}" is not in ${label}: no regression check`);
                continue;
            }
            const flips = pairFlips(b.questions, s.questions);
            comparison.suites.push({ name: s.name, ...flips });
            const regressed = newlyFailing(b, s);
            const drop = b.accuracy - s.accuracy;
            const which = regressed.length ? `; now failing: ${names(regressed)}` : '';
            const pNote = `McNemar p = ${formatP(flips.p_value)}: ${flips.pass_to_fail.length} pass→fail, ${flips.fail_to_pass.length} fail→pass`;
            if (alpha !== undefined) {
                // The test decides: a drop (more pass→fail than fail→pass) fails only when unlikely to be noise.
                const dropped = flips.pass_to_fail.length > flips.fail_to_pass.length && drop > (options.maxRegression ?? 0) + EPS;
                if (dropped && flips.p_value < alpha) {
                    reasons.push(`suite "${s.name}": accuracy fell from ${pct(b.accuracy)} in ${label} to ${pct(s.accuracy)}, unlikely to be noise (${pNote}, below ${setting('regression-p')} ${alpha})${which}`);
                    const entry = suites.find((x) => x.name === s.name);
                    if (entry)
                        entry.passed = false;
                }
                else if (flips.pass_to_fail.length) {
                    notes.push(`suite "${s.name}": ${flips.pass_to_fail.length} question(s) passed in ${label} and fail now, which may be noise (${pNote}, not below ${setting('regression-p')} ${alpha})`);
                }
                continue;
            }
            if (drop > allowance + EPS) {
                reasons.push(`suite "${s.name}": accuracy fell from ${pct(b.accuracy)} in ${label} to ${pct(s.accuracy)} (${(drop * 100).toFixed(1)} points, more than the allowed ${pct(allowance)})${which}`);
                const entry = suites.find((x) => x.name === s.name);
                if (entry)
                    entry.passed = false;
            }
            else if (regressed.length) {
                const line = `suite "${s.name}": ${regressed.length} question(s) passed in ${label} and fail now: ${names(regressed)}`;
                if (options.maxRegression === undefined) {
                    reasons.push(line);
                    const entry = suites.find((x) => x.name === s.name);
                    if (entry)
                        entry.passed = false;
                }
                else
                    notes.push(`${line} (within ${setting('max-regression')} ${pct(allowance)})`);
            }
        }
        if (base.strategy !== report.strategy)
            notes.push(`${label} was measured with strategy ${base.strategy}, this run with ${report.strategy}`);
    }
    return {
        passed: reasons.length === 0,
        reasons,
        notes,
        suites,
        ...(options.minAccuracy !== undefined ? { min_accuracy_override: options.minAccuracy } : {}),
        ...(options.baseline ? { baseline: options.baselineName ?? 'baseline' } : {}),
        ...(options.maxRegression !== undefined ? { max_regression: options.maxRegression } : {}),
        ...(options.gateOn !== undefined ? { gate_on: options.gateOn } : {}),
        ...(options.regressionP !== undefined ? { regression_p: options.regressionP } : {}),
        ...(comparison ? { comparison } : {})
    };
}
/** p-values as people read them: `0.031`, `< 0.001`, `1`. */
function formatP(p) {
    if (p >= 0.9995)
        return '1';
    if (p < 0.001)
        return '< 0.001';
    return p.toFixed(3);
}
/**
 * Questions of both runs paired by text (case and spacing ignored; a question asked twice is paired
 * once): which went pass→fail and fail→pass, and the exact McNemar p-value of those flips.
 */
function pairFlips(base, current) {
    const before = new Map();
    for (const q of base)
        if (!before.has(gate_norm(q.question)))
            before.set(gate_norm(q.question), q.passed);
    const seen = new Set();
    const passToFail = [];
    const failToPass = [];
    for (const q of current) {
        const key = gate_norm(q.question);
        const was = before.get(key);
        if (was === undefined || seen.has(key))
            continue;
        seen.add(key);
        if (was && !q.passed)
            passToFail.push(q.question);
        if (!was && q.passed)
            failToPass.push(q.question);
    }
    return { paired: seen.size, pass_to_fail: passToFail, fail_to_pass: failToPass, p_value: mcnemarExact(passToFail.length, failToPass.length) };
}
/** Questions that passed in `base` and do not pass in `current` ("question" (why)). */
function newlyFailing(base, current) {
    const passedBefore = new Set(base.questions.filter((q) => q.passed).map((q) => gate_norm(q.question)));
    return current.questions
        .filter((q) => !q.passed && passedBefore.has(gate_norm(q.question)))
        .map((q) => `"${q.question}"${q.failure ? ` (${q.failure.length > 100 ? `${q.failure.slice(0, 99)}…` : q.failure})` : ''}`);
}
/**
 * The trend: earlier reports (the baseline files a workflow keeps), oldest first by started_at,
 * the last `max` of them. Each must be a benchmark report; a file that is not stops the run.
 */
async function readTrend(files, cwd = process.cwd(), max = 10) {
    const points = [];
    for (const f of await expandTrendFiles(files, cwd)) {
        const r = await readBaseline(f, cwd, 'trend report');
        points.push({ started_at: r.started_at, accuracy: r.totals.accuracy, passed: r.totals.passed, questions: r.totals.questions });
    }
    // one run kept under two names (latest.json and its dated copy) is one point
    const unique = [...new Map(points.map((p) => [p.started_at, p])).values()];
    return unique.sort((a, b) => a.started_at.localeCompare(b.started_at)).slice(-max);
}
/**
 * Files, or globs of file names in one folder (`history/*.json`). A glob that matches nothing is
 * no error (the first runs have no history yet); a plain file that is missing is.
 */
async function expandTrendFiles(patterns, cwd) {
    const out = [];
    for (const p of patterns) {
        if (!(0,paths/* isGlob */.fg)(p)) {
            out.push(p);
            continue;
        }
        const dir = external_node_path_default().dirname(p);
        if ((0,paths/* isGlob */.fg)(dir))
            throw new util_errors/* SpaceOpsError */.Dc(`trend ${p}: only the file name may hold a wildcard, not the folder`, { exitCode: 2 });
        // the same glob library as definitions (core/paths.ts), within that one folder
        const names = await (0,tinyglobby_dist.glob)(external_node_path_default().basename(p), { cwd: external_node_path_default().resolve(cwd, dir), onlyFiles: true, deep: 1 }).catch(() => []);
        out.push(...names.sort().map((n) => external_node_path_default().join(dir, n)));
    }
    return [...new Set(out)];
}
/** Reads a report written by an earlier run (schema_version 1). */
async function readBaseline(file, cwd = process.cwd(), what = 'baseline') {
    let text;
    try {
        text = await (0,promises_.readFile)(external_node_path_default().resolve(cwd, file), 'utf8');
    }
    catch (err) {
        const code = err.code;
        throw new util_errors/* SpaceOpsError */.Dc(`cannot read the ${what}: ${code === 'ENOENT' ? 'no such file' : err.message}`, { location: { file } });
    }
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (err) {
        throw new util_errors/* SpaceOpsError */.Dc(`the ${what} is not JSON: ${err.message}`, { location: { file } });
    }
    const version = value?.schema_version;
    if (typeof version === 'number' && version !== 1) {
        throw new util_errors/* SpaceOpsError */.Dc(`the ${what} has schema_version ${version}; this SpaceOps reads version 1`, { location: { file } });
    }
    const parsed = BenchmarkReportSchema.safeParse(value);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? issue.path.map(String).join('.') : '(root)';
        throw new util_errors/* SpaceOpsError */.Dc(`the ${what} is not a SpaceOps benchmark report (schema_version 1): ${where}: ${issue?.message ?? 'invalid'}`, {
            location: { file }
        });
    }
    return parsed.data;
}

;// CONCATENATED MODULE: ./src/benchmark/report.ts


/**
 * The three report formats.
 * - JSON: the report object itself (schema_version 1, types.ts), pretty-printed; also the
 *   `--baseline` format.
 * - Markdown: a headline, a table per suite (passed / failed / accuracy / threshold / result), the
 *   run's notes (e.g. a read-only run that used conversations instead of eval), the gate's reasons
 *   and notes, then every question that did not pass in a collapsible <details> with its expected
 *   and generated SQL in ```sql blocks and its failed checks. For job summaries and PR comments.
 * - JUnit XML: one <testsuite> per suite, one <testcase> per question (<failure> for a failed one,
 *   <error> when no verdict could be had), so CI test reporters list each question.
 */


/** The format a file name implies: .md/.markdown, .json, .xml. */
function formatFromFile(file) {
    const f = file.toLowerCase();
    if (f.endsWith('.md') || f.endsWith('.markdown'))
        return 'markdown';
    if (f.endsWith('.json'))
        return 'json';
    if (f.endsWith('.xml'))
        return 'junit';
    return undefined;
}
/**
 * Pairs each report file with its format: one format per file (in order), or one format for the
 * files whose extension says nothing, else the extension. `names` are how the caller calls the two
 * (`--output`/`--format`, or the action's inputs) so an error names what the user typed.
 */
function planReports(files, formats, names) {
    for (const f of formats) {
        if (!options/* REPORT_FORMATS */.EL.includes(f))
            throw new util_errors/* SpaceOpsError */.Dc(`${names.format} must be markdown, json or junit, not ${f}`, { exitCode: 2 });
    }
    const fmts = formats;
    if (fmts.length > 1 && fmts.length !== files.length)
        throw new util_errors/* SpaceOpsError */.Dc(`give one ${names.format} per ${names.file}, or one ${names.format} for all`, { exitCode: 2 });
    return files.map((file, i) => {
        const format = fmts.length === files.length ? fmts[i] : (formatFromFile(file) ?? fmts[0]);
        if (!format)
            throw new util_errors/* SpaceOpsError */.Dc(`cannot tell the format of ${file}: name it .md, .json or .xml, or pass ${names.format}`, { exitCode: 2 });
        return { file, format };
    });
}
function renderReport(report, format) {
    if (format === 'json')
        return jsonReport(report);
    if (format === 'junit')
        return junitReport(report);
    return markdownReport(report);
}
function jsonReport(report) {
    return `${JSON.stringify(report, null, 2)}\n`;
}
// ---------------------------------------------------------------- Markdown
function formatDurationMs(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    const s = Math.round(ms / 1000);
    if (s < 60)
        return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60)
        return `${m}m ${String(s % 60).padStart(2, '0')}s`;
    return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
/** Escaping for Markdown table cells and inline text. */
function mdText(text) {
    return text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
function html(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r?\n/g, ' ');
}
/** A fenced block whose fence is longer than any backtick run inside. */
function fenced(lang, body) {
    const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(longest + 1);
    return `${fence}${lang}\n${body.replace(/\s+$/, '')}\n${fence}`;
}
function shorten(text, max) {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
/** Whether anything decided this run: a threshold, a baseline, or a gate that failed (e.g. nothing measured). */
function isGated(report) {
    const g = report.gate;
    if (!g)
        return report.suites.some((s) => s.min_accuracy !== undefined);
    return !g.passed || g.baseline !== undefined || g.suites.some((s) => s.threshold !== undefined);
}
const interval = (ci) => (ci ? `${pct(ci.low)}–${pct(ci.high)}` : '—');
function suiteRow(report, s) {
    const g = report.gate?.suites.find((x) => x.name === s.name);
    const threshold = g?.threshold ?? s.min_accuracy;
    const gatedByBaseline = report.gate?.baseline !== undefined;
    const result = g && (threshold !== undefined || gatedByBaseline || !g.passed)
        ? g.passed
            ? '✅ pass'
            : '❌ fail'
        : threshold === undefined
            ? 'not gated'
            : s.accuracy + 1e-9 >= threshold
                ? '✅ pass'
                : '❌ fail';
    const failed = s.total - s.passed;
    const failedCell = s.errors ? `${failed} (${s.errors} error${s.errors === 1 ? '' : 's'})` : String(failed);
    return `| ${mdText(s.name)} | ${s.passed} | ${failedCell} | ${s.flaky} | ${pct(s.accuracy)} | ${interval(s.confidence_interval)} | ${threshold === undefined ? '—' : pct(threshold)} | ${result} |`;
}
/** The attempt whose details explain a failure: the last one that failed or errored. */
function explainingAttempt(q) {
    return [...q.attempts].reverse().find((a) => a.status === 'failed' || a.status === 'error');
}
function questionDetails(s, q) {
    const icon = q.status === 'error' ? '⚠️' : q.status === 'flaky' ? '🎲' : '❌';
    // the reason is said once: in the summary line; the body adds only what it does not say
    const why = q.failure ? ` — ${shorten(q.failure, 140)}` : '';
    const out = [`<details><summary>${icon} <b>${html(s.name)}</b>: ${html(q.question)}${html(why)}</summary>`, ''];
    if (q.repeat > 1 || q.attempts_made > 1)
        out.push(`Attempts: ${q.passes} of ${q.attempts_made} passed (pass rate ${pct(q.pass_rate ?? 0)}; needs ${q.min_passes} of ${q.repeat}).`, '');
    const a = explainingAttempt(q);
    const failed = (a?.checks.filter((c) => !c.passed) ?? []).filter((c) => q.failure !== `${c.name}: ${c.detail}`);
    const noSql = a?.checks.some((c) => c.name === 'sql' && !c.passed) ?? false;
    if (q.expected_sql !== undefined)
        out.push('Expected SQL:', '', fenced('sql', q.expected_sql), '');
    if (a?.sql !== undefined)
        out.push('Generated SQL:', '', fenced('sql', a.sql), '');
    else if (a && !noSql && a.status !== 'error')
        out.push('Generated SQL: none', '');
    // a text answer is quoted by the sql check (cut to one line): the whole text only when it is longer
    if (a?.text !== undefined && a.sql === undefined && !(q.failure ?? '').includes(shorten(a.text, 150)))
        out.push(`Genie said: ${mdText(shorten(a.text, 400))}`, '');
    if (failed.length) {
        out.push(q.failure ? 'Other failed checks:' : 'Failed checks:', '');
        for (const c of failed)
            out.push(`- **${c.name}**: ${mdText(c.detail)}`);
        out.push('');
    }
    if (a?.error !== undefined && a.error !== q.failure && !failed.some((c) => c.detail === a.error))
        out.push(`Error: ${mdText(a.error)}`, '');
    const refs = [a?.conversation_id ? `conversation \`${a.conversation_id}\`` : '', a?.eval_run_id ? `eval run \`${a.eval_run_id}\`` : ''].filter(Boolean);
    if (refs.length)
        out.push(`<sub>${refs.join(' · ')}</sub>`, '');
    out.push('</details>', '');
    return out;
}
/**
 * The trend of the last runs and this one as a Mermaid xychart (GitHub renders ```mermaid blocks
 * in comments and summaries): accuracy in percent per run, labelled by date.
 */
function trendChart(report) {
    const points = [...(report.trend ?? []), { started_at: report.started_at, accuracy: report.totals.accuracy }];
    if (points.length < 2)
        return [];
    const labels = points.map((p, i) => (i === points.length - 1 ? '"now"' : `"${p.started_at.slice(5, 16).replace('T', ' ')}"`));
    const values = points.map((p) => (p.accuracy * 100).toFixed(1));
    return [
        `#### Accuracy over the last ${points.length} runs`,
        '',
        '```mermaid',
        'xychart-beta',
        '    title "Accuracy (%)"',
        `    x-axis [${labels.join(', ')}]`,
        '    y-axis "accuracy %" 0 --> 100',
        `    line [${values.join(', ')}]`,
        '```',
        ''
    ];
}
function comparisonLines(report) {
    const c = report.gate?.comparison;
    if (!c)
        return [];
    const list = (items) => items
        .slice(0, 10)
        .map((q) => `- ${mdText(q)}`)
        .concat(items.length > 10 ? [`- … ${items.length - 10} more`] : []);
    const out = [
        `#### Against ${mdText(report.gate?.baseline ?? 'the baseline')}`,
        '',
        `${c.paired} question(s) paired by text: ${c.pass_to_fail.length} pass→fail, ${c.fail_to_pass.length} fail→pass; exact McNemar p = ${formatP(c.p_value)}${report.gate?.regression_p !== undefined ? ` (the gate fails a drop only below ${report.gate.regression_p})` : ''}.`,
        ''
    ];
    if (c.pass_to_fail.length)
        out.push('Pass → fail:', '', ...list(c.pass_to_fail), '');
    if (c.fail_to_pass.length)
        out.push('Fail → pass:', '', ...list(c.fail_to_pass), '');
    return out;
}
function markdownReport(report, options = {}) {
    const t = report.totals;
    const gate = report.gate;
    const gated = isGated(report);
    const icon = gated ? (gate && !gate.passed ? '❌' : '✅') : 'ℹ️';
    const ci = t.confidence_interval ? ` · 95% interval ${interval(t.confidence_interval)}` : '';
    const cost = [
        `${t.attempts} question${t.attempts === 1 ? '' : 's'} asked`,
        `${t.statements} SQL statement${t.statements === 1 ? '' : 's'} on the warehouse`,
        `wall time ${formatDurationMs(report.duration_ms)}`,
        t.conversations_deleted !== undefined
            ? `${t.conversations_deleted} conversation${t.conversations_deleted === 1 ? '' : 's'} deleted, ${t.conversations_kept ?? 0} kept`
            : ''
    ]
        .filter(Boolean)
        .join(' · ');
    const lines = [
        `### ${icon} ${options.title ?? 'SpaceOps benchmark'}: ${t.passed} of ${t.questions} question${t.questions === 1 ? '' : 's'} passed (${pct(t.accuracy)})${ci}${gated ? '' : ' · not gated'}`,
        '',
        [
            `Space \`${report.space_id}\``,
            `strategy ${report.strategy}`,
            report.questions_per_minute !== undefined ? `${report.questions_per_minute} questions/min` : '',
            t.flaky ? `${t.flaky} flaky` : '',
            t.rate_limited ? `${t.rate_limited} rate-limit wait${t.rate_limited === 1 ? '' : 's'} (not counted against the space)` : ''
        ]
            .filter(Boolean)
            .join(' · '),
        '',
        `Cost: ${cost}`,
        '',
        '| Suite | Passed | Failed | Flaky | Accuracy | 95% interval | Threshold | Result |',
        '|---|---:|---:|---:|---:|---:|---:|---|',
        ...report.suites.map((s) => suiteRow(report, s)),
        ''
    ];
    if (report.notes?.length)
        lines.push(...report.notes.map((n) => `> ${mdText(n)}`), '');
    if (gate && !gate.passed) {
        lines.push('**Gate failed:**', '', ...gate.reasons.map((r) => `- ${mdText(r)}`), '');
    }
    if (gate?.notes.length)
        lines.push(...gate.notes.map((n) => `> ${mdText(n)}`), '');
    lines.push(...comparisonLines(report), ...trendChart(report));
    const flaky = report.suites.flatMap((s) => s.questions.filter((q) => q.status === 'flaky').map((q) => ({ s, q })));
    if (flaky.length) {
        lines.push(`#### Flaky questions (${flaky.length}): passed in some attempts, failed in others`, '');
        for (const { s, q } of flaky)
            lines.push(...questionDetails(s, q));
    }
    const bad = report.suites.flatMap((s) => s.questions.filter((q) => !q.passed && q.status !== 'flaky').map((q) => ({ s, q })));
    if (bad.length) {
        lines.push(`#### Questions that did not pass (${bad.length})`, '');
        for (const { s, q } of bad)
            lines.push(...questionDetails(s, q));
    }
    return lines
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .replace(/\s*$/, '\n');
}
// ---------------------------------------------------------------- JUnit XML
/** XML 1.0 text/attribute escaping; characters XML cannot carry are dropped. */
function xmlEscape(text) {
    return text
        .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&apos;');
}
function attr(name, value) {
    return `${name}="${xmlEscape(String(value)).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')}"`;
}
const seconds = (ms) => (ms / 1000).toFixed(3);
function failureBody(q) {
    const a = explainingAttempt(q);
    const parts = [];
    if (q.repeat > 1)
        parts.push(`attempts: ${q.passes} of ${q.attempts_made} passed (pass rate ${pct(q.pass_rate ?? 0)}; needs ${q.min_passes} of ${q.repeat})${q.status === 'flaky' ? ', flaky' : ''}`);
    for (const c of a?.checks.filter((x) => !x.passed) ?? [])
        parts.push(`${c.name}: ${c.detail}`);
    if (a?.error !== undefined)
        parts.push(`error: ${a.error}`);
    if (q.expected_sql !== undefined)
        parts.push(`expected SQL:\n${q.expected_sql.trim()}`);
    if (a?.sql !== undefined)
        parts.push(`generated SQL:\n${a.sql.trim()}`);
    else if (a?.text !== undefined)
        parts.push(`Genie said:\n${a.text.trim()}`);
    return parts.join('\n\n');
}
function junitReport(report) {
    const t = report.totals;
    const lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites ${attr('name', 'SpaceOps benchmark')} ${attr('tests', t.questions)} ${attr('failures', t.failed)} ${attr('errors', t.errors)} ${attr('time', seconds(report.duration_ms))} ${attr('timestamp', report.started_at)}>`
    ];
    for (const s of report.suites) {
        const threshold = report.gate?.suites.find((x) => x.name === s.name)?.threshold ?? s.min_accuracy;
        lines.push(`  <testsuite ${attr('name', s.name)} ${attr('tests', s.total)} ${attr('failures', s.failed)} ${attr('errors', s.errors)} ${attr('skipped', 0)} ${attr('time', seconds(s.duration_ms))} ${attr('timestamp', report.started_at)}>`, '    <properties>', `      <property ${attr('name', 'space_id')} ${attr('value', report.space_id)}/>`, `      <property ${attr('name', 'strategy')} ${attr('value', report.strategy)}/>`, `      <property ${attr('name', 'accuracy')} ${attr('value', pct(s.accuracy))}/>`, ...(s.confidence_interval ? [`      <property ${attr('name', 'confidence_interval_95')} ${attr('value', interval(s.confidence_interval))}/>`] : []), ...(s.flaky ? [`      <property ${attr('name', 'flaky')} ${attr('value', s.flaky)}/>`] : []), ...(threshold !== undefined ? [`      <property ${attr('name', 'min_accuracy')} ${attr('value', pct(threshold))}/>`] : []), ...(s.file !== undefined ? [`      <property ${attr('name', 'file')} ${attr('value', s.file)}/>`] : []), '    </properties>');
        for (const q of s.questions) {
            const open = `    <testcase ${attr('name', q.question)} ${attr('classname', s.name)} ${attr('time', seconds(q.duration_ms))}`;
            if (q.passed) {
                const sql = [...q.attempts].reverse().find((a) => a.status === 'passed')?.sql;
                lines.push(sql !== undefined ? `${open}>\n      <system-out>${xmlEscape(sql.trim())}</system-out>\n    </testcase>` : `${open}/>`);
                continue;
            }
            const tag = q.status === 'error' ? 'error' : 'failure';
            const a = explainingAttempt(q);
            const type = a?.checks.find((c) => !c.passed)?.name ?? (q.status === 'error' ? 'error' : 'failure');
            lines.push(`${open}>`, `      <${tag} ${attr('message', q.failure ?? 'did not pass')} ${attr('type', type)}>${xmlEscape(failureBody(q))}</${tag}>`, '    </testcase>');
        }
        lines.push('  </testsuite>');
    }
    lines.push('</testsuites>');
    return `${lines.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./src/benchmark/run.ts






async function benchmarkJob(job) {
    const loaded = await loadSuites(job.suites, { cwd: job.cwd, logger: job.logger });
    const mapped = job.mapping ? remapSuites(loaded, job.mapping) : loaded;
    const suites = job.repeat !== undefined ? applyRepeat(mapped, job.repeat) : mapped;
    const baseline = job.baseline !== undefined ? await readBaseline(job.baseline, job.cwd) : undefined;
    const words = job.names ?? core_names/* NEUTRAL_NAMES */.lJ;
    const setting = (name) => words.option(name) ?? name;
    if (job.maxRegression !== undefined && baseline === undefined)
        throw new util_errors/* SpaceOpsError */.Dc(`${setting('max-regression')} needs ${setting('baseline')} (the report to compare with)`, { exitCode: 2 });
    if (job.regressionP !== undefined && baseline === undefined)
        throw new util_errors/* SpaceOpsError */.Dc(`${setting('regression-p')} needs ${setting('baseline')} (the report to compare with)`, { exitCode: 2 });
    const trend = job.trend?.length ? await readTrend(job.trend, job.cwd) : undefined;
    const report = await runBenchmarks({
        ...(job.names !== undefined ? { names: job.names } : {}),
        client: job.client,
        spaceId: job.spaceId,
        suites,
        logger: job.logger,
        ...(job.strategy !== undefined ? { strategy: job.strategy } : {}),
        ...(job.questionsPerMinute !== undefined ? { questionsPerMinute: job.questionsPerMinute } : {}),
        ...(job.concurrency !== undefined ? { concurrency: job.concurrency } : {}),
        ...(job.warehouseId !== undefined ? { warehouseId: job.warehouseId } : {}),
        ...(job.onProgress !== undefined ? { onProgress: job.onProgress } : {}),
        ...(job.keepConversations !== undefined ? { keepConversations: job.keepConversations } : {}),
        ...(job.now !== undefined ? { now: job.now } : {}),
        ...(job.sleep !== undefined ? { sleep: job.sleep } : {})
    });
    report.gate = evaluateGate(report, {
        ...(job.names !== undefined ? { names: job.names } : {}),
        ...(job.minAccuracy !== undefined ? { minAccuracy: job.minAccuracy } : {}),
        ...(baseline !== undefined ? { baseline, baselineName: job.baseline } : {}),
        ...(job.maxRegression !== undefined ? { maxRegression: job.maxRegression } : {}),
        ...(job.gateOn !== undefined ? { gateOn: job.gateOn } : {}),
        ...(job.regressionP !== undefined ? { regressionP: job.regressionP } : {})
    });
    if (trend)
        report.trend = trend;
    return report;
}
/** `[3/20] 3 passed, 0 failed · ETA 1m 05s · ✓ "How many orders?"` */
function formatProgress(p) {
    const parts = [`[${p.done}/${p.total}] ${p.passed} passed, ${p.failed} failed`, `elapsed ${formatDurationMs(p.elapsedMs)}`];
    if (p.etaMs !== undefined)
        parts.push(`ETA ${formatDurationMs(p.etaMs)}`);
    if (p.last)
        parts.push(`${p.last.passed ? '✓' : '✗'} ${p.last.suite}: "${p.last.question.length > 80 ? `${p.last.question.slice(0, 79)}…` : p.last.question}"`);
    return parts.join(' · ');
}
/** One line for logs: `accuracy 85.0% (17/20), gate passed [95% interval 64.0%–94.8%; 1 flaky]`. */
function formatOutcome(report) {
    const t = report.totals;
    const gate = !report.gate || !isGated(report) ? 'not gated' : report.gate.passed ? 'gate passed' : `gate FAILED: ${report.gate.reasons.join('; ')}`;
    const extra = [
        t.confidence_interval ? `95% interval ${pct(t.confidence_interval.low)}–${pct(t.confidence_interval.high)}` : '',
        t.flaky ? `${t.flaky} flaky` : ''
    ].filter(Boolean);
    return `accuracy ${pct(t.accuracy)} (${t.passed}/${t.questions}), ${gate}${extra.length ? ` [${extra.join('; ')}]` : ''}`;
}
/** "0.8", "80%" → 0.8; undefined when empty; throws a one-line error naming the option. */
function parseFraction(value, name) {
    if (value === undefined || value.trim() === '')
        return undefined;
    const t = value.trim();
    const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
    if (!Number.isFinite(n) || n < 0 || n > 1)
        throw new util_errors/* SpaceOpsError */.Dc(`${name} must be a fraction between 0 and 1 (or a percentage), not "${value}"`, { exitCode: 2 });
    return n;
}
function parsePositive(value, name, options = {}) {
    if (value === undefined || value.trim() === '')
        return undefined;
    const n = Number(value.trim());
    if (!Number.isFinite(n) || n <= 0 || (options.integer && !Number.isInteger(n))) {
        throw new SpaceOpsError(`${name} must be a positive ${options.integer ? 'whole ' : ''}number, not "${value}"`, { exitCode: 2 });
    }
    return n;
}


;// CONCATENATED MODULE: ./src/benchmark/index.ts
/**
 * Benchmarks: a space's accuracy on Genie, measured as fast as Genie's limits allow, and gated.
 *
 *   const suites = await loadSuites(['benchmarks/'], { cwd })
 *   const report = await runBenchmarks({ client, spaceId, suites, strategy: 'auto', onProgress })
 *   report.gate = evaluateGate(report, { minAccuracy, baseline })
 *   writeFile('report.xml', renderReport(report, 'junit'))
 *
 * suites.ts (loading), runner.ts (strategy choice, report), conversation.ts (asking Genie, paced by
 * rate.ts), eval.ts (Genie's eval runs), score.ts + compare.ts + statements.ts (verdicts),
 * gate.ts, report.ts, run.ts (what the CLI and the action share).
 */













;// CONCATENATED MODULE: ./src/promote/gate.ts




async function benchmarkGate(config) {
    // load (and so validate) the suites before anything is asked
    const suites = await loadSuites(config.paths, { cwd: config.cwd, logger: config.logger });
    const names = config.names ?? core_names/* NEUTRAL_NAMES */.lJ;
    const minAccuracy = parseFraction(config.minAccuracy, names.option('min-accuracy') ?? 'min-accuracy');
    return async ({ client, spaceId, warehouseId, environment, phase, mapping }) => {
        const report = await runBenchmarks({
            names,
            client: client,
            spaceId,
            suites: remapSuites(suites, mapping),
            logger: config.logger,
            // A gate measures the environment; it never writes into it (eval gives way to conversations).
            readOnly: { by: 'gate', space: `${environment}'s space` },
            ...(warehouseId ? { warehouseId } : {}),
            ...(config.questionsPerMinute ? { questionsPerMinute: config.questionsPerMinute } : {})
        });
        report.gate = evaluateGate(report, { names, ...(minAccuracy !== undefined ? { minAccuracy } : {}) });
        const markdown = markdownReport(report, { title: `Benchmarks on ${environment} (${phase === 'before' ? 'before the deploy' : 'after the deploy'})` });
        config.onReport?.(environment, phase, markdown);
        return { passed: report.gate.passed, summary: formatOutcome(report), reportMarkdown: markdown };
    };
}

;// CONCATENATED MODULE: ./src/action/promote.ts






















/**
 * mode: promote — `spaceops promote` for every definition matched, to `target-env`. The plan is
 * posted like mode diff; backups go to `backup-dir`, default $RUNNER_TEMP/spaceops/backups (upload
 * them as an artifact, see examples/workflows); `post-deploy-gate`, `write-ids`, `skip-benchmark`
 * as the flags of the same names; the step fails when any promotion is blocked or rolled back.
 */
async function promoteMode(rt, inputs, secrets) {
    const target = inputs['target-env'];
    if (!target)
        throw new util_errors/* SpaceOpsError */.Dc('mode promote needs input target-env (an environment of the promotion config)');
    const configFile = inputs.config ?? 'config/promotion.yaml';
    const config = await (0,promote_config.loadPromotionConfig)(configFile, rt.cwd, core_names/* ACTION_NAMES */.G);
    const writeIds = inputs['write-ids'] ?? false;
    const files = (await (0,paths/* expandDefinitions */.dA)(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f));
    const logger = actionLogger(rt, secrets);
    const reports = [];
    const gate = inputs.benchmark && !inputs['skip-benchmark']
        ? await benchmarkGate({
            paths: inputs.benchmark
                .split(/[\n,]/)
                .map((s) => s.trim())
                .filter(Boolean),
            ...(inputs['min-accuracy'] !== undefined ? { minAccuracy: String(inputs['min-accuracy']) } : {}),
            cwd: rt.cwd,
            logger,
            names: core_names/* ACTION_NAMES */.G,
            onReport: (_env, _phase, markdown) => reports.push(markdown)
        })
        : undefined;
    const workDir = rt.env.RUNNER_TEMP ? external_node_path_default().join(rt.env.RUNNER_TEMP, 'spaceops') : external_node_path_default().join(rt.cwd, '.spaceops');
    const backupDir = inputs['backup-dir'] ? external_node_path_default().resolve(rt.cwd, inputs['backup-dir']) : external_node_path_default().join(workDir, 'backups');
    // the host/token inputs belong to the target; every other environment is reached by its own variables
    const connect = actionConnector(rt, inputs, secrets, config, target);
    const expansion = actionExpansion(rt, inputs, secrets, config);
    // apply a saved plan: every definition must be in it, and be as it was planned
    const saved = inputs.plan ? await readPlanFile(inputs.plan, rt.cwd, target) : undefined;
    // up to `concurrency` definitions at a time, each through the whole flow (gate, lock, backup,
    // write, verify, records) as alone; one listing per environment and one lock per records folder
    // for the run; definitions of one title one after another; results in definition order
    const indexes = new RunIndexes();
    const locks = new RunLocks(() => indexes.invalidate());
    const sameSpace = new pool/* KeyedMutex */.yA();
    const results = await (0,pool/* mapConcurrent */._k)(files, inputs.concurrency ?? pool/* DEFAULT_CONCURRENCY */.WH, async (file, i) => {
        try {
            const { definition } = await (0,validate/* readDefinition */.Ud)(file, { cwd: rt.cwd, strict: true });
            const planned = saved && inputs.plan ? { file: inputs.plan, planned: plannedFor(saved, file, inputs.plan), createdAt: saved.created_at } : undefined;
            // write-ids edits the config: each definition starts from the file as it is now
            const current = writeIds && i > 0 ? await (0,promote_config.loadPromotionConfig)(configFile, rt.cwd, core_names/* ACTION_NAMES */.G) : config;
            const result = await sameSpace.run(definition.space.meta.title ?? '', () => promote({
                definitionFile: file,
                space: definition.space,
                config: current,
                target,
                env: expansion,
                connect,
                logger,
                names: core_names/* ACTION_NAMES */.G,
                now: () => new Date(),
                cwd: rt.cwd,
                force: inputs.force ?? false,
                definition,
                skipPreflight: inputs['skip-preflight'] ?? false,
                dryRun: inputs['dry-run'] ?? false,
                run: runInfo(rt.env, 'action'),
                ...(inputs['state-path'] ? { statePath: inputs['state-path'] } : {}),
                lock: lockSettings(rt.env, inputs['lock-timeout'], core_names/* ACTION_NAMES */.G),
                containsSecret: (t) => secrets.redact(t) !== t,
                writeIds,
                backupDir,
                ...(gate ? { gate } : {}),
                postDeployGate: inputs['post-deploy-gate'] ?? false,
                definitionsInRepo: files.length,
                indexes,
                locks,
                ...(planned ? { plan: planned } : {})
            }));
            return { file, result };
        }
        catch (err) {
            return { file, error: secrets.redact((0,util_errors/* describeError */.Uc)(err)) };
        }
    });
    const force = core_names/* ACTION_NAMES */.G.option('force') ?? 'force';
    for (const { file, result } of results) {
        if (!result)
            continue;
        if (result.diff.changes.length)
            rt.infoLines(renderText([{ definition: file, title: result.title, target, status: 'changed', diff: result.diff }]).trimEnd());
        for (const s of result.skipped)
            rt.warning(`${file}: skipped ${s} (${force})`, { title: 'SpaceOps: forced' });
        if (result.preflightSkipped)
            rt.warning(`${file}: skip-preflight: the target preflight was not run for ${target}`, { title: 'SpaceOps: preflight skipped' });
        (0,annotations/* annotateProblems */.$)(rt, result.preflight?.findings ?? []);
        // a reason is stated once in the log: in the step's failure below
        rt.info(`${file}: ${result.status}${result.spaceId ? ` (space ${result.spaceId})` : ''}`);
    }
    const plans = results.map(({ file, result, error }) => result ? promotionPlan(file, result) : { definition: file, title: file, target, status: 'error', error: error ?? 'failed' });
    // the reasons are in the plan above the table: the table says only what happened
    const table = [
        `| Definition | Result | Space id | Backup |`,
        `|---|---|---|---|`,
        ...results.map(({ file, result }) => `| ${(0,summary.md)(file)} | ${result ? result.status : 'error'} | ${result?.spaceId ?? '—'} | ${result?.backup ? (0,summary.md)(external_node_path_default().relative(rt.cwd, result.backup)) : '—'} |`)
    ].join('\n');
    const forcedLines = results.flatMap(({ file, result }) => (result?.skipped ?? []).map((s) => `- ${(0,summary.md)(file)}: skipped ${(0,summary.md)(s)}`));
    const forced = forcedLines.length ? [`**Forced** (${force}): checks that would have blocked were skipped`, '', ...forcedLines].join('\n') : '';
    const title = `SpaceOps promote to ${target}${inputs['dry-run'] ? ' (dry run)' : ''}`;
    await publishReport(rt, inputs, secrets, {
        kind: 'promote',
        target,
        levels: ['full', 'summary', 'counts'].map((detail) => [renderMarkdown(plans, { detail, title }), table, ...(forced ? [forced] : []), ...(detail === 'full' ? reports : [])].join('\n\n'))
    });
    await (0,core_files/* ensureDir */.A0)(workDir);
    const planPath = external_node_path_default().join(workDir, `promote-${target}.json`);
    await (0,promises_.writeFile)(planPath, `${JSON.stringify(planFileOf(target, inputs['dry-run'] ?? false, results, new Date()), null, 2)}\n`);
    const ids = Object.fromEntries(results.filter((r) => r.result?.spaceId).map((r) => [r.file, r.result?.spaceId]));
    const last = results[results.length - 1]?.result?.spaceId;
    if (last)
        rt.setOutput('space-id', last);
    rt.setOutput('space-ids', JSON.stringify(ids));
    rt.setOutput('plan-path', planPath);
    rt.setOutput('backup-dir', backupDir);
    const failed = results.filter((r) => !r.result || !wentThrough(r.result));
    if (failed.length)
        rt.setFailed(`${failed.length} promotion(s) to ${target} did not go through: ${failed.map((f) => `${f.file}: ${f.result?.reason ?? f.error}`).join('; ')}`);
    return failed.length === 0;
}

;// CONCATENATED MODULE: ./src/promote/locate.ts






async function spaceInEnvironment(client, o) {
    if (o.spaceId)
        return { spaceId: o.spaceId, mapping: mappingOf((0,promote_config.resolveEnvironment)(o.config, o.environment, o.env)) };
    if (!o.definition)
        throw new util_errors/* SpaceOpsError */.Dc(`which space in ${o.environment}? give a space id or a definition`);
    const { file, space } = o.definition;
    const r = renderFor(o.config, space, file, o.environment, o.env, o.onlySpace ?? true);
    // the space its deploy record binds it to (so a renamed definition is still found), else by title
    const folder = recordsFolder({ statePath: r.envc.state_path, parentPath: r.space.meta.parent_path });
    const record = folder ? await readRecord(client, folder, (0,promote_config.spaceKey)(file)).catch(() => undefined) : undefined;
    const live = await locateSpace(client, r.space, r.settings.space_id, record?.space_id ?? undefined);
    const title = r.space.meta.title ?? file;
    if (!live) {
        const where = r.space.meta.parent_path ? ` in ${r.space.meta.parent_path}` : '';
        throw new util_errors/* SpaceOpsError */.Dc(`${o.environment} has no space "${title}"${where} for ${file}: promote it there first, or give the space id`);
    }
    return { spaceId: live.space_id, title: live.title ?? title, mapping: mappingOf(r.envc) };
}

;// CONCATENATED MODULE: ./src/action/benchmark.ts














/**
 * mode: benchmark — `spaceops benchmark` in a workflow.
 *
 * Inputs: `space-id` (else, with `target-env`, the space of `definition` in that environment of the
 * promotion config, as `spaceops benchmark <definition> --env`), `benchmark` (suite files,
 * directories or globs, newline or comma separated; a space definition means its benchmarks),
 * `min-accuracy`, `warehouse-id`, `questions-per-minute`, `concurrency`, `benchmark-strategy`
 * (auto | eval | conversation), `baseline` (a JSON report), `max-regression`, `regression-p`,
 * `trend` (earlier JSON reports for the chart), `repeat`, `gate-on`, `keep-conversations`, `reports` (files to
 * write: .md, .json, .xml = JUnit) with `report-format` (as --output / --format).
 * Outputs: `accuracy` (0–1), `passed`, `failed` (questions), `space-id`, `report-path` (the JSON
 * report, under $RUNNER_TEMP, else `.spaceops/` in the workspace). The Markdown report goes to the
 * job summary; a failed gate fails the step (after the reports and outputs are written).
 */
async function benchmarkMode(rt, inputs, secrets) {
    const target = inputs['target-env'];
    if (!inputs['space-id'] && !target)
        throw new util_errors/* SpaceOpsError */.Dc('mode benchmark needs input space-id (the space to measure), or target-env to measure the space of definition in that environment of the promotion config');
    const suites = (inputs.benchmark ?? '')
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean);
    if (!suites.length)
        throw new util_errors/* SpaceOpsError */.Dc('mode benchmark needs input benchmark: suite files, directories or globs (e.g. benchmarks/*.yaml)');
    if (inputs['report-format'].length && !inputs.reports.length)
        throw new util_errors/* SpaceOpsError */.Dc('input report-format goes with input reports (the files to write)');
    const reports = planReports(inputs.reports, inputs['report-format'], { file: 'input reports', format: 'input report-format' });
    const logger = actionLogger(rt, secrets);
    const { client, spaceId, mapping } = await benchmarkTarget(rt, inputs, secrets);
    const report = await benchmarkJob({
        client,
        spaceId,
        suites,
        cwd: rt.cwd,
        strategy: inputs['benchmark-strategy'] ?? 'auto',
        logger,
        names: core_names/* ACTION_NAMES */.G,
        onProgress: (p) => rt.info(formatProgress(p)),
        ...(mapping ? { mapping } : {}),
        ...(inputs['questions-per-minute'] !== undefined ? { questionsPerMinute: inputs['questions-per-minute'] } : {}),
        ...(inputs.concurrency !== undefined ? { concurrency: inputs.concurrency } : {}),
        ...(inputs['warehouse-id'] ? { warehouseId: inputs['warehouse-id'] } : {}),
        ...(inputs['min-accuracy'] !== undefined ? { minAccuracy: inputs['min-accuracy'] } : {}),
        ...(inputs.baseline !== undefined ? { baseline: inputs.baseline } : {}),
        ...(inputs['max-regression'] !== undefined ? { maxRegression: inputs['max-regression'] } : {}),
        ...(inputs['regression-p'] !== undefined ? { regressionP: inputs['regression-p'] } : {}),
        ...(inputs.repeat !== undefined ? { repeat: inputs.repeat } : {}),
        ...(inputs['gate-on'] !== undefined ? { gateOn: inputs['gate-on'] } : {}),
        ...(inputs['keep-conversations'] !== undefined ? { keepConversations: inputs['keep-conversations'] } : {}),
        ...(inputs.trend.length ? { trend: inputs.trend } : {})
    });
    for (const r of reports) {
        await (0,core_files/* writeFileAtomic */.Zf)(external_node_path_default().resolve(rt.cwd, r.file), renderReport(report, r.format), r.file);
        rt.info(`wrote ${r.file} (${r.format})`);
    }
    const dir = rt.env.RUNNER_TEMP?.trim() ? rt.env.RUNNER_TEMP : external_node_path_default().join(rt.cwd, '.spaceops');
    const reportPath = external_node_path_default().join(dir, `benchmark-${spaceId.replace(/[^\w.-]/g, '_')}.json`);
    await (0,core_files/* writeFileAtomic */.Zf)(reportPath, jsonReport(report));
    rt.setOutput('accuracy', String(Number(report.totals.accuracy.toFixed(6))));
    rt.setOutput('passed', String(report.totals.passed));
    rt.setOutput('failed', String(report.totals.questions - report.totals.passed));
    rt.setOutput('report-path', reportPath);
    rt.setOutput('space-id', spaceId);
    const full = markdownReport(report);
    const cut = full.indexOf('<details>');
    await publishReport(rt, inputs, secrets, {
        kind: 'benchmark',
        target: spaceId,
        levels: [full, cut > 0 ? `${full.slice(0, cut).trimEnd()}\n` : full, `### Benchmarks\n\n${formatOutcome(report)}\n`]
    });
    rt.info(`space ${spaceId}: ${formatOutcome(report)}; report ${reportPath}`);
    for (const n of report.gate?.notes ?? [])
        rt.info(`note: ${n}`);
    if (report.gate && !report.gate.passed) {
        rt.setFailed(`benchmark gate failed: ${report.gate.reasons.join('; ')}`);
        return false;
    }
    return true;
}
/**
 * The space to measure and the client to reach it: `space-id` on the workspace of the inputs, or
 * — with `target-env` and the promotion config — on that environment's workspace, `space-id` or
 * else the space `definition` has there, with the environment's name mappings for the suites.
 */
async function benchmarkTarget(rt, inputs, secrets) {
    const target = inputs['target-env'];
    const configFile = inputs.config ?? 'config/promotion.yaml';
    const given = inputs['space-id'];
    if (!target || (given && !(0,external_node_fs_.existsSync)(external_node_path_default().resolve(rt.cwd, configFile)))) {
        if (!given)
            throw new util_errors/* SpaceOpsError */.Dc('mode benchmark needs input space-id');
        return { client: actionClient(rt, inputs, secrets), spaceId: given };
    }
    const config = await (0,promote_config.loadPromotionConfig)(configFile, rt.cwd, core_names/* ACTION_NAMES */.G);
    const client = environmentClient(rt, inputs, secrets, config, target);
    const where = { config, environment: target, env: actionExpansion(rt, inputs, secrets, config) };
    if (given)
        return { client, ...(await spaceInEnvironment(client, { ...where, spaceId: given })) };
    const files = (await (0,paths/* expandDefinitions */.dA)(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f));
    const [file] = files;
    if (!file || files.length !== 1) {
        throw new util_errors/* SpaceOpsError */.Dc(`mode benchmark without space-id measures the space of one definition in ${target}, but definition matches ${files.length} files: point definition at one file, or give space-id`);
    }
    const { definition } = await (0,validate/* readDefinition */.Ud)(file, { cwd: rt.cwd });
    const found = await spaceInEnvironment(client, { ...where, definition: { file, space: definition.space } });
    rt.info(`${file} in ${target}: space ${found.spaceId} "${found.title ?? ''}"`);
    return { client, spaceId: found.spaceId, mapping: found.mapping };
}

;// CONCATENATED MODULE: ./src/action/restore.ts







/**
 * mode: restore — `spaceops restore <backup>` in a workflow: put a backup taken by promote back
 * into its space. The connection is `target-env`'s (from the promotion config) when given, else the
 * inputs / DATABRICKS_* variables; it must be the workspace the backup came from, and `target-env`
 * the environment it records (`checkRestoreTarget`, as the CLI). The step itself is the confirmation
 * the CLI asks for on a terminal. Outputs: `space-id`.
 */
async function restoreMode(rt, inputs, secrets) {
    const file = inputs.backup;
    if (!file)
        throw new util_errors/* SpaceOpsError */.Dc('mode restore needs input backup: the backup file promote wrote (in backup-dir)');
    const backup = await loadBackup(file, rt.cwd);
    const target = inputs['target-env'];
    const client = target
        ? environmentClient(rt, inputs, secrets, await (0,promote_config.loadPromotionConfig)(inputs.config ?? 'config/promotion.yaml', rt.cwd, core_names/* ACTION_NAMES */.G), target)
        : actionClient(rt, inputs, secrets);
    checkRestoreTarget(backup, { host: client.host, ...(target ? { environment: target } : {}) });
    await restoreBackup(client, backup);
    rt.info(`restored space ${backup.spaceId} from ${file}`);
    rt.setOutput('space-id', backup.spaceId);
    await rt.appendSummary(`### SpaceOps restore\n\nRestored space ${backup.spaceId} "${(0,summary.md)(backup.title ?? '')}"${backup.environment ? ` in ${backup.environment}` : ''} from ${(0,summary.md)(file)}.\n`);
    return true;
}

;// CONCATENATED MODULE: ./src/preview/cleanup.ts



function timeOf(v) {
    if (v === undefined)
        return undefined;
    const t = typeof v === 'number' ? (v < 1e11 ? v * 1000 : v) : Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
}
async function cleanupPreviews(o) {
    if (o.pr === undefined && o.maxAgeMs === undefined)
        throw new Error('cleanupPreviews needs a pull request or an age');
    const previews = [];
    for await (const space of o.client.listSpaces()) {
        const pr = previewNumber(space.parent_path, o.roots);
        if (pr === undefined || !(space.title.endsWith(previewTitle('', pr)) || space.title.endsWith(previewTitle('', pr, 'base'))))
            continue;
        previews.push({ space, pr });
    }
    const result = { trashed: [], kept: 0, failed: [] };
    const now = o.now().getTime();
    for (const { space, pr } of previews) {
        let reason;
        if (o.pr !== undefined) {
            if (pr !== o.pr)
                continue;
            reason = `pull request #${pr} closed`;
        }
        else {
            const created = timeOf(space.create_time) ?? timeOf(space.update_time);
            if (created === undefined) {
                o.logger.warn(`preview ${space.space_id} "${space.title}": the workspace gives no create_time or update_time, so its age is unknown; left in place`);
                result.kept++;
                continue;
            }
            const age = now - created;
            if (age <= o.maxAgeMs) {
                result.kept++;
                continue;
            }
            reason = `${Math.floor(age / 86_400_000)} day(s) old`;
        }
        try {
            const conversations = await deleteConversations(o.client, space.space_id);
            await o.client.trashSpace(space.space_id);
            await deleteRecords(o, space.parent_path);
            result.trashed.push({ spaceId: space.space_id, title: space.title, pr, conversations, reason });
        }
        catch (err) {
            result.failed.push(`${space.space_id} "${space.title}": ${(0,util_errors/* describeError */.Uc)(err)}`);
        }
    }
    return result;
}
/** Every conversation of a space (every user's), page by page; returns how many were deleted. */
async function deleteConversations(client, spaceId) {
    const ids = [];
    const seen = new Set();
    let pageToken;
    for (;;) {
        const page = await client.listConversations(spaceId, { includeAll: true, pageSize: 100, ...(pageToken ? { pageToken } : {}) });
        for (const c of page.conversations) {
            const id = c.conversation_id;
            if (id)
                ids.push(id);
        }
        const next = page.next_page_token;
        if (!next || seen.has(next))
            break;
        seen.add(next);
        pageToken = next;
    }
    for (const id of ids)
        await client.deleteConversation(spaceId, id);
    return ids.length;
}
async function deleteRecords(o, folder) {
    const records = recordsFolder({ parentPath: folder });
    if (!records)
        return;
    for (const key of o.keys.flatMap((k) => [previewKey(k), previewKey(k, 'base')])) {
        try {
            await o.client.deleteWorkspaceFile(recordFile(records, key));
        }
        catch (err) {
            o.logger.warn(`could not delete the preview record ${recordFile(records, key)}: ${(0,util_errors/* describeError */.Uc)(err)}`);
        }
    }
}

// EXTERNAL MODULE: ./src/preview/age.ts
var age = __webpack_require__(795);
;// CONCATENATED MODULE: ./src/preview/measure.ts





/** The first `limit` questions of the suites, in order (suites left empty are dropped). */
function capSuites(suites, limit) {
    let left = limit;
    let dropped = 0;
    const out = [];
    for (const s of suites) {
        const asked = s.questions.reduce((n, q) => n + q.repeat, 0);
        if (asked <= left) {
            out.push(s);
            left -= asked;
            continue;
        }
        const kept = [];
        for (const q of s.questions) {
            if (q.repeat <= left) {
                kept.push(q);
                left -= q.repeat;
            }
            else
                dropped++;
        }
        if (kept.length)
            out.push({ ...s, questions: kept });
    }
    return { suites: out, dropped };
}
const questionsOf = (suites) => suites.reduce((n, s) => n + s.questions.reduce((m, q) => m + q.repeat, 0), 0);
function previewBucket(o) {
    return new TokenBucket({ ratePerMinute: o.questionsPerMinute ?? DEFAULT_QUESTIONS_PER_MINUTE, now: o.now ?? Date.now, sleep: o.sleep ?? realSleep });
}
/** The face's word for the question cap. */
const capName = (names = core_names/* NEUTRAL_NAMES */.lJ) => names.option('max-questions') ?? 'the question cap';
async function measurePreview(o) {
    const versions = o.baseSpaceId ? 2 : 1;
    let suites = [...o.suites];
    let capped = 0;
    if (o.maxQuestions !== undefined) {
        const per = Math.floor(o.maxQuestions / versions);
        const cut = capSuites(suites, per);
        suites = cut.suites;
        capped = cut.dropped;
        if (capped)
            o.logger.info(`${capName(o.names)} ${o.maxQuestions}: ${per} question(s) per version; ${capped} left out`);
    }
    const bucket = o.bucket ?? previewBucket(o);
    const run = (spaceId, which, space) => runBenchmarks({
        client: o.client,
        spaceId,
        suites,
        logger: o.logger,
        bucket,
        // measuring never writes into either space (eval gives way to conversations)
        readOnly: { by: 'preview', space },
        ...(o.warehouseId ? { warehouseId: o.warehouseId } : {}),
        ...(o.onProgress ? { onProgress: (p) => o.onProgress?.(which, p) } : {}),
        ...(o.now ? { now: o.now } : {}),
        ...(o.sleep ? { sleep: o.sleep } : {})
    });
    const base = o.baseSpaceId ? await run(o.baseSpaceId, 'base', `the base's space ${o.baseSpaceId}`) : undefined;
    const pr = await run(o.previewSpaceId, 'pr', `the preview ${o.previewSpaceId}`);
    const flips = base
        ? pairFlips(base.suites.flatMap((s) => s.questions), pr.suites.flatMap((s) => s.questions))
        : undefined;
    return { pr, ...(base ? { base } : {}), ...(flips ? { flips } : {}), asked: pr.totals.attempts + (base?.totals.attempts ?? 0), capped };
}

;// CONCATENATED MODULE: ./src/preview/run.ts













/** The space's suites: its `benchmarks/` folder, else the benchmarks in the definition. */
function suitesOf(cwd, file) {
    const dir = external_node_path_default().posix.join(external_node_path_default().posix.dirname(file), 'benchmarks');
    return (0,external_node_fs_.existsSync)(external_node_path_default().resolve(cwd, dir)) ? dir : file;
}
async function previewSpaces(o) {
    const bucket = previewBucket(o.questionsPerMinute !== undefined ? { questionsPerMinute: o.questionsPerMinute } : {});
    let budget = o.maxQuestions;
    let asked = 0;
    const outcomes = [];
    for (const file of o.files) {
        try {
            const { definition } = await (0,validate/* readDefinition */.Ud)(file, { cwd: o.cwd, strict: true });
            const r = renderFor(o.config, definition.space, file, o.environment, o.expansion, o.onlySpace);
            const deploy = (rendered, of) => deployPreview({
                client: o.client,
                rendered,
                definitionFile: file,
                key: (0,promote_config.spaceKey)(file),
                pr: o.pr,
                of,
                environment: o.environment,
                run: o.run,
                logger: o.logger,
                now: () => new Date(),
                sleep: (ms) => new Promise((res) => setTimeout(res, ms)),
                ...(o.lock ? { lock: o.lock } : {}),
                ...(o.containsSecret ? { containsSecret: o.containsSecret } : {})
            });
            const deployed = await deploy(r.space, 'pr');
            o.info(`${file}: preview ${deployed.spaceId} "${deployed.title}" ${deployed.action} in ${deployed.folder}`);
            const base = { definition: file, title: deployed.title, spaceId: deployed.spaceId, action: deployed.action };
            const suites = await loadSuites([suitesOf(o.cwd, file)], { cwd: o.cwd, logger: o.logger }).catch((err) => {
                if (err instanceof util_errors/* SpaceOpsError */.Dc && /^no benchmark questions/.test(err.message))
                    return undefined;
                throw err;
            });
            if (!suites) {
                outcomes.push({ status: 'deployed', ...base, reason: 'No benchmark questions for this space: the preview is deployed, not measured.' });
                continue;
            }
            if (budget !== undefined && budget < 1) {
                outcomes.push({ status: 'deployed', ...base, reason: `Not measured: ${capName(o.names)} was used up by the spaces before this one.` });
                continue;
            }
            const deployedBase = await spaceInEnvironment(o.client, {
                config: o.config,
                environment: o.environment,
                env: o.expansion,
                definition: { file, space: definition.space },
                onlySpace: o.onlySpace
            }).then((s) => ({ spaceId: s.spaceId, label: `${o.environment} space ${s.spaceId}` }), (err) => {
                if (!(err instanceof util_errors/* SpaceOpsError */.Dc))
                    throw err;
                o.info(`${file}: ${(0,util_errors/* describeError */.Uc)(err)}`);
                return undefined;
            });
            let baseSpace = deployedBase;
            if (!baseSpace && o.baseDefinition) {
                const text = await o.baseDefinition(file);
                const loaded = text === undefined ? undefined : (0,load/* loadDefinitionText */.hN)(file, text);
                const invalid = loaded?.problems.find((p) => p.severity === 'error');
                if (!loaded)
                    o.info(`${file}: the base branch has no such file`);
                else if (!loaded.definition || invalid)
                    o.info(`${file}: the base branch's version is not a valid definition (${invalid?.message ?? 'not a space'})`);
                else {
                    const b = await deploy(renderFor(o.config, loaded.definition.space, file, o.environment, o.expansion, o.onlySpace).space, 'base');
                    o.info(`${file}: preview of the base ${b.spaceId} "${b.title}" ${b.action}`);
                    baseSpace = { spaceId: b.spaceId, label: `the base branch, preview ${b.spaceId}` };
                }
            }
            if (!baseSpace)
                o.info(`${file}: no base to compare with: the pull request's version is measured alone`);
            const m = await measurePreview({
                client: o.client,
                previewSpaceId: deployed.spaceId,
                ...(baseSpace ? { baseSpaceId: baseSpace.spaceId } : {}),
                suites: remapSuites(suites, mappingOf(r.envc)),
                logger: o.logger,
                bucket,
                ...(budget !== undefined ? { maxQuestions: budget } : {}),
                ...(o.names ? { names: o.names } : {}),
                onProgress: (which, p) => o.info(`${which === 'pr' ? 'this PR' : 'base'}: ${formatProgress(p)}`)
            });
            asked += m.asked;
            if (budget !== undefined)
                budget -= m.asked;
            outcomes.push({ status: 'measured', ...base, base: baseSpace?.label ?? o.environment, measurement: m });
        }
        catch (err) {
            const text = (0,util_errors/* describeError */.Uc)(err);
            outcomes.push({ status: 'error', definition: file, error: o.redact ? o.redact(text) : text });
        }
    }
    return { outcomes, asked };
}
/** The folders previews live under: each definition's folder in the preview environment. */
async function previewRoots(o) {
    const roots = new Set();
    for (const file of o.files) {
        const { definition } = await (0,validate/* readDefinition */.Ud)(file, { cwd: o.cwd });
        const folder = renderFor(o.config, definition.space, file, o.environment, o.expansion, o.files.length === 1).space.meta.parent_path;
        if (folder)
            roots.add(folder);
    }
    return [...roots];
}

;// CONCATENATED MODULE: ./src/preview/base.ts



/**
 * The base branch's version of a definition, for a preview of the base when the preview
 * environment has no space for it: `GET /repos/{owner}/{repo}/contents/{path}?ref=<base sha>`
 * (a workflow's checkout holds only the pull request's merge commit). A file the base does not
 * have (a space the pull request adds) is undefined: there is no base to compare with. The API
 * gives the content of files up to 1 MB in `content` (base64); a larger one is an error here.
 */
const base_ContentSchema = schemas/* object */.Ikc({ type: schemas/* literal */.euz('file'), encoding: schemas/* literal */.euz('base64'), content: schemas/* string */.YjP() });
function baseDefinitionReader(client, repo, ref) {
    return async (file) => {
        const path = file.replace(/^\.\//, '');
        try {
            const res = await githubRequest(client, 'GET /repos/{owner}/{repo}/contents/{path}', { owner: repo.owner, repo: repo.repo, path, ref });
            const parsed = base_ContentSchema.safeParse(res.data);
            if (!parsed.success)
                throw new util_errors/* SpaceOpsError */.Dc(`the base branch's ${path} (at ${ref.slice(0, 7)}) is not a file GitHub returns the content of (over 1 MB, or a folder)`);
            return Buffer.from(parsed.data.content.replace(/\s+/g, ''), 'base64').toString('utf8');
        }
        catch (err) {
            if (err instanceof GitHubApiError && err.status === 404)
                return undefined;
            throw err;
        }
    };
}

;// CONCATENATED MODULE: ./src/preview/render.ts




/**
 * The preview section of the pull request's sticky comment, composed after the plan: per space the
 * accuracy of the PR's version next to the base's (with 95% Wilson intervals), the questions that
 * flipped either way, and whether the difference is more than noise (exact McNemar on the flips,
 * at 5%). Untrusted text (titles, questions) goes through `printable` and inline code.
 */
const NOISE_ALPHA = 0.05;
const code = (s) => `\`${(0,printable/* printable */.g$)(s).replace(/`/g, "'")}\``;
/** Untrusted text as inline Markdown: printable, no HTML, no emphasis, links or table breaks. */
const markdownText = (s) => (0,printable/* printable */.g$)(s)
    .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c])
    .replace(/[|\\`*_[\]]/g, (c) => `\\${c}`);
const render_text = markdownText;
const quote = (s) => `“${render_text(s)}”`;
function accuracy(r) {
    const t = r.totals;
    const ci = t.confidence_interval ?? wilsonInterval(t.passed, t.questions);
    return `**${pct(t.accuracy)}** (${t.passed}/${t.questions}; 95% interval ${pct(ci.low)}–${pct(ci.high)})`;
}
/** One line: is the difference more than noise? */
function verdict(m) {
    const f = m.flips;
    if (!f || !m.base)
        return 'no base to compare with';
    const b = f.pass_to_fail.length;
    const c = f.fail_to_pass.length;
    if (b + c === 0)
        return 'no question changed its outcome: no difference';
    const dir = c > b ? 'better' : c < b ? 'worse' : 'no net change';
    if (f.p_value < NOISE_ALPHA && c !== b)
        return `**${dir}, more than noise** (exact McNemar p = ${formatP(f.p_value)} on ${b + c} flipped question(s))`;
    return `${dir === 'no net change' ? 'no net change' : `${dir}, but within noise`} (exact McNemar p = ${formatP(f.p_value)} on ${b + c} flipped question(s); not below ${NOISE_ALPHA})`;
}
function renderPreviewMarkdown(outcomes, o) {
    const lines = [`### Preview of PR #${o.pr} in ${o.environment}`, ''];
    if (o.note)
        lines.push(o.note, '');
    for (const out of outcomes) {
        if (out.status === 'error') {
            lines.push(`- ${code(out.definition)}: preview failed: ${render_text(out.error)}`);
            continue;
        }
        lines.push(`#### ${render_text(out.title)}`, '', `${code(out.definition)} → preview space ${code(out.spaceId)} (${out.action})`, '');
        if (out.status === 'deployed') {
            lines.push(out.reason, '');
            continue;
        }
        const m = out.measurement;
        lines.push('| version | accuracy |', '|---|---|');
        if (m.base)
            lines.push(`| base (${render_text(out.base)}) | ${accuracy(m.base)} |`);
        lines.push(`| this PR | ${accuracy(m.pr)} |`, '');
        lines.push(`Difference: ${verdict(m)}.`, '');
        if (m.flips && o.detail !== 'summary') {
            for (const q of m.flips.fail_to_pass)
                lines.push(`- ✅ now passes: ${quote(q)}`);
            for (const q of m.flips.pass_to_fail)
                lines.push(`- ❌ now fails: ${quote(q)}`);
            if (m.flips.fail_to_pass.length + m.flips.pass_to_fail.length)
                lines.push('');
        }
        if (m.capped)
            lines.push(`${m.capped} question(s) per version left out by ${capName(o.names)}.`, '');
    }
    lines.push(`${o.asked} question(s) asked of Genie for this preview.`, '');
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/action/preview.ts
















/**
 * mode: preview — the plan of mode diff, and for each space the pull request touches its preview:
 * the PR's version deployed as a temporary space of the preview environment (preview/preview.ts),
 * measured with the space's suites next to the base's version (the space deployed there), in the
 * one sticky comment. A pull request from a fork gets the plan and a note, never a preview.
 *
 * mode: preview-cleanup — on a closed pull request, its previews are trashed; elsewhere (the
 * nightly drift workflow), every preview older than `preview-max-age` (default 7 days).
 */
const FORK_NOTE = 'No preview: this pull request comes from a fork, and GitHub gives workflows of a fork no secrets. Previews run only for pull requests from this repository; the plan above is all a fork gets.';
const configFileOf = (inputs) => inputs.config ?? 'config/promotion.yaml';
async function previewMode(rt, inputs, secrets) {
    const ctx = workflowContext(rt);
    const pr = ctx?.pullRequest;
    if (!ctx || !pr)
        throw new util_errors/* SpaceOpsError */.Dc("mode preview runs on a pull_request event: it deploys and measures the pull request's version of each space it touches");
    // the config is read (and a preview environment after the first refused) before any request
    const config = await (0,promote_config.loadPromotionConfig)(configFileOf(inputs), rt.cwd);
    const environment = (0,promote_config.previewEnvironment)(config);
    const planInputs = { ...inputs, 'target-env': inputs['target-env'] ?? environment, config: configFileOf(inputs) };
    return diffMode(rt, planInputs, secrets, async ({ selected, all }) => {
        const section = (outcomes, asked, note) => (detail) => renderPreviewMarkdown(outcomes, {
            pr: pr.number,
            environment,
            asked,
            ...(note ? { note } : {}),
            detail: detail === 'full' ? 'full' : 'summary',
            names: core_names/* ACTION_NAMES */.G
        });
        if (pr.isFork) {
            rt.notice(FORK_NOTE, { title: 'SpaceOps: no preview' });
            return { section: section([], 0, FORK_NOTE), ok: true };
        }
        const { outcomes, asked } = selected.length
            ? await previewSpaces({
                // the preview environment's host and credentials, decided where every mode's are
                client: actionConnector(rt, planInputs, secrets, config, environment)(environment).client,
                config,
                environment,
                expansion: actionExpansion(rt, planInputs, secrets, config),
                pr: pr.number,
                files: selected,
                onlySpace: all.length === 1,
                cwd: rt.cwd,
                run: runInfo(rt.env, 'action'),
                logger: actionLogger(rt, secrets),
                info: (line) => rt.info(line),
                lock: lockSettings(rt.env, inputs['lock-timeout']),
                containsSecret: (t) => secrets.redact(t) !== t,
                redact: (t) => secrets.redact(t),
                ...(inputs['github-token']
                    ? {
                        baseDefinition: baseDefinitionReader(createOctokit(inputs['github-token'], { fetch: globalThis.fetch, baseUrl: ctx.apiUrl }), ctx.repo, pr.baseSha)
                    }
                    : {}),
                ...(inputs['questions-per-minute'] !== undefined ? { questionsPerMinute: inputs['questions-per-minute'] } : {}),
                ...(inputs['preview-max-questions'] !== undefined ? { maxQuestions: inputs['preview-max-questions'] } : {}),
                names: core_names/* ACTION_NAMES */.G
            })
            : { outcomes: [], asked: 0 };
        rt.setOutput('preview-space-ids', JSON.stringify(Object.fromEntries(outcomes.flatMap((o) => (o.status === 'error' ? [] : [[o.definition, o.spaceId]])))));
        rt.setOutput('questions-asked', String(asked));
        rt.info(`preview: ${asked} question(s) asked of Genie`);
        const errors = outcomes.filter((o) => o.status === 'error');
        if (errors.length)
            rt.setFailed(`${errors.length} preview(s) failed: ${errors.map((e) => `${e.definition}: ${e.status === 'error' ? e.error : ''}`).join('; ')}`);
        return { section: section(outcomes, asked), ok: errors.length === 0 };
    });
}
async function previewCleanupMode(rt, inputs, secrets) {
    const pr = workflowContext(rt)?.pullRequest;
    if (pr?.isFork) {
        rt.info('this pull request comes from a fork: it has no previews to clean up');
        return true;
    }
    const config = await (0,promote_config.loadPromotionConfig)(configFileOf(inputs), rt.cwd);
    const environment = (0,promote_config.previewEnvironment)(config);
    const expansion = actionExpansion(rt, inputs, secrets, config);
    const files = (await (0,paths/* expandDefinitions */.dA)(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f));
    const roots = await previewRoots({ config, environment, expansion, files, cwd: rt.cwd });
    if (!roots.length) {
        rt.info(`no definition has a folder in ${environment}: there are no previews to clean up`);
        return true;
    }
    const { client } = actionConnector(rt, inputs, secrets, config, environment)(environment);
    const maxAgeMs = pr ? undefined : (inputs['preview-max-age'] ?? age/* DEFAULT_PREVIEW_MAX_AGE_MS */.L);
    const logger = actionLogger(rt, secrets);
    const result = await cleanupPreviews({
        client,
        roots,
        keys: files.map(promote_config.spaceKey),
        ...(pr ? { pr: pr.number } : { maxAgeMs: maxAgeMs }),
        now: () => new Date(),
        logger
    });
    // each face prints the result once (the CLI on stdout)
    for (const t of result.trashed)
        logger.info(`trashed preview ${t.spaceId} "${t.title}" (${t.reason}; ${t.conversations} conversation(s) deleted)`);
    const what = pr ? `of pull request #${pr.number}` : `older than ${Math.round(maxAgeMs / 3_600_000)}h`;
    rt.info(`${result.trashed.length} preview(s) ${what} trashed in ${environment}${pr ? '' : `, ${result.kept} kept`}`);
    rt.setOutput('previews-trashed', String(result.trashed.length));
    if (result.trashed.length) {
        await rt.appendSummary([
            `### SpaceOps previews trashed in ${environment}`,
            '',
            ...result.trashed.map((t) => `- \`${t.spaceId}\` ${markdownText(t.title)} (${t.reason}; ${t.conversations} conversation(s) deleted)`),
            ''
        ].join('\n'));
    }
    if (result.failed.length) {
        rt.setFailed(`${result.failed.length} preview(s) could not be trashed: ${result.failed.join('; ')}`);
        return false;
    }
    return true;
}

;// CONCATENATED MODULE: ./src/benchmark/preflight.ts




async function preflightSuites(client, suites, options) {
    const problems = [];
    for (const s of suites) {
        for (const [i, q] of s.suite.queries.entries()) {
            if (q.expected_sql === undefined || !q.expected_sql.trim() || !(0,src_sql/* checkReadOnly */.ZA)(q.expected_sql).readOnly)
                continue;
            const pos = s.source.locate(['queries', i, 'expected_sql']);
            const warn = (rule, message) => problems.push({ severity: 'warning', rule, message, file: s.file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: `queries.${i}.expected_sql` });
            try {
                const result = await runStatement(client, options.warehouseId, q.expected_sql, {
                    now: options.now ?? Date.now,
                    sleep: options.sleep ?? realSleep,
                    timeoutMs: options.timeoutMs ?? 120_000,
                    rowLimit: 1
                });
                if (!result.rows.length) {
                    warn('empty-expected-result', `the expected_sql of "${q.question.trim()}" returns no rows on warehouse ${options.warehouseId}: Genie's eval reports it as EMPTY_GOOD_SQL and any empty answer would match it`);
                }
            }
            catch (err) {
                warn('expected-sql-fails', `the expected_sql of "${q.question.trim()}" fails on warehouse ${options.warehouseId}: ${(0,util_errors/* describeError */.Uc)(err)}`);
            }
        }
    }
    return problems;
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var lib_core = __webpack_require__(143);
;// CONCATENATED MODULE: ./src/networked.ts
/**
 * Everything of the action that talks HTTP (the Genie client and its undici, Octokit,
 * @actions/core's OIDC client), behind ONE dynamic import: `node dist/index.cjs` evaluates none of
 * it until a mode that needs it runs, and the bundle keeps one copy of it (one chunk beside
 * dist/index.cjs, since every lazy load goes through this module).
 */











/***/ })

};
;