// One Jest run, two projects: unit specs beside the code, e2e suites under test/.
// ts-jest transpiles only (isolatedModules); `npm run typecheck` does the type checking.
const moduleNameMapper = {
  '^@mes-web-api/common$': '<rootDir>/libs/common/src',
  '^@mes-web-api/mes-users$': '<rootDir>/libs/mes-users/src',
  '^@mes-web-api/mes-plant$': '<rootDir>/libs/mes-plant/src',
  '^@mes-web-api/mes-database$': '<rootDir>/libs/mes-database/src',
  '^@mes-web-api/aim-auth$': '<rootDir>/libs/aim-auth/src',
  '^@mes-web-api/background-user$': '<rootDir>/libs/background-user/src',
  '^@mes-web-api/mes-swagger$': '<rootDir>/libs/mes-swagger/src',
  '^@mes-web-api/web-api-client$': '<rootDir>/libs/web-api-client/src',
  '^@mes-web-api/mes-methods$': '<rootDir>/libs/mes-methods/src',
  '^@mes-web-api/mes-transactions$': '<rootDir>/libs/mes-transactions/src',
  '^@mes-web-api/mes-direct-access$': '<rootDir>/libs/mes-direct-access/src',
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
