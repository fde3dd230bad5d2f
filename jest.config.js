// One Jest run, two projects: unit specs beside the code, e2e suites under test/.
// ts-jest transpiles only (isolatedModules); `npm run typecheck` does the type checking.
const moduleNameMapper = {
  '^@mes/common$': '<rootDir>/libs/common/src',
  '^@mes/mes-users$': '<rootDir>/libs/mes-users/src',
  '^@mes/mes-plant$': '<rootDir>/libs/mes-plant/src',
  '^@mes/mes-database$': '<rootDir>/libs/mes-database/src',
  '^@mes/aim-auth$': '<rootDir>/libs/aim-auth/src',
  '^@mes/background-user$': '<rootDir>/libs/background-user/src',
  '^@mes/mes-swagger$': '<rootDir>/libs/mes-swagger/src',
  '^@mes/web-api-client$': '<rootDir>/libs/web-api-client/src',
  '^@mes/mes-methods$': '<rootDir>/libs/mes-methods/src',
  '^@mes/mes-transactions$': '<rootDir>/libs/mes-transactions/src',
  '^@mes/mes-direct-access$': '<rootDir>/libs/mes-direct-access/src',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: false }],
  // content-disposition 3 (required by @fastify/static, which serves Swagger UI) is ESM only:
  // plain node loads it, Jest's CommonJS runtime cannot, so ts-jest turns it into CommonJS.
  '/node_modules/content-disposition/.+\\.js$': [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true }, diagnostics: false },
  ],
};
const transformIgnorePatterns = ['/node_modules/(?!content-disposition/)'];
const common = { rootDir: __dirname, moduleFileExtensions: ['js', 'json', 'ts'], transform, transformIgnorePatterns, moduleNameMapper, testEnvironment: 'node' };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      testTimeout: 60000,
    },
  ],
};
