"use strict";
exports.id = 323;
exports.ids = [323];
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


/***/ })

};
;