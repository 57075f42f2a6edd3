// Jest runs in ESM mode (NODE_OPTIONS=--experimental-vm-modules) because
// @actions/core 3 and @actions/github 9 are ESM-only.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // @actions/workflow-parser imports its JSON schemas without an import attribute, which Jest's
    // ESM mode deprecates: hand them over as CommonJS instead (__tests__/workflows/schemas/).
    '^\\.\\./(workflow|action)-v1\\.0\\.min\\.json$': '<rootDir>/__tests__/workflows/schemas/$1.cjs',
    '^(\\.{1,2}/.*)\\.js$': '$1'
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testTimeout: 30000,
  maxWorkers: 2
}
