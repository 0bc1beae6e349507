import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'cdk.out/**', 'node_modules/**', 'imports/**', '**/*.generated.ts', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    rules: {},
  },
  {
    files: ['test/**/*.ts'],
    plugins: { jest },
    rules: {
      // A matcher that is never called asserts nothing (cdk8s-plus once shipped `.toBeDefined;`).
      'jest/valid-expect': 'error',
      'jest/no-focused-tests': 'error',
      'jest/no-identical-title': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'assert*'] }],
      'jest/no-disabled-tests': 'error',
      'jest/valid-title': 'error',
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      // lib/ is the pure core: no CDK, no cdk8s.
      'no-restricted-imports': ['error', { patterns: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk8s', 'cdk8s-plus-*', '../charts/*', '../infra/*', '**/charts/**', '**/infra/**'] }],
    },
  },
  {
    files: ['charts/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['aws-cdk-lib', 'aws-cdk-lib/*', '**/infra/**'] }] },
  },
  {
    files: ['infra/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['cdk8s', 'cdk8s-plus-*', '**/charts/**'] }] },
  },
);
