// @actions/workflow-parser's action schema, for Jest (see jest.config.js).
const { readFileSync } = require('node:fs')
const path = require('node:path')
module.exports = JSON.parse(readFileSync(path.join(__dirname, '../../../node_modules/@actions/workflow-parser/dist/action-v1.0.min.json'), 'utf8'))
