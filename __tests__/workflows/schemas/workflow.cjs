// @actions/workflow-parser's workflow schema, for Jest (see jest.config.js).
const { readFileSync } = require('node:fs')
const path = require('node:path')
module.exports = JSON.parse(readFileSync(path.join(__dirname, '../../../node_modules/@actions/workflow-parser/dist/workflow-v1.0.min.json'), 'utf8'))
