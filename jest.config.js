/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/build/', '/dist/', '/cdk.out/'], // <rootDir>/build/ only: test/cluster/build/ holds tests
  // Network and VM tests spawn real processes; give them room, but every test bounds its own waits.
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
