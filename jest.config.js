const { boxSuites } = require('./scripts/box-suites');

/** `MULTINIC_JEST_SET=main`: every suite but the local-cluster ones, which scripts/test.js runs after, one at a time. */
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const withoutBox = process.env.MULTINIC_JEST_SET === 'main' ? boxSuites(__dirname).map((f) => `^${escape(f)}$`) : [];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  // <rootDir>/build/ only: test/cluster/build/ holds tests
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/build/', '/dist/', '/cdk.out/', ...withoutBox],
  // Network and VM tests spawn real processes; give them room, but every test bounds its own waits.
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
