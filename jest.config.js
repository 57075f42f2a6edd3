// Jest runs in ESM mode (NODE_OPTIONS=--experimental-vm-modules) because
// @actions/core 3 and @actions/github 9 are ESM-only.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testTimeout: 30000,
  maxWorkers: 2
}
