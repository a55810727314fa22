/**
 * One Jest run for the whole repository: unit tests beside the code (`*.spec.ts`) and end-to-end
 * tests in test/ (`*.e2e-spec.ts`). NestJS 12 ships ES modules, which Jest's CommonJS runtime cannot
 * load, so SWC compiles them too (and our TypeScript, with decorator metadata for Nest's DI).
 */
const swc = ['@swc/jest', require('./test/support/swc-options')];

module.exports = {
  rootDir: __dirname,
  // Node's, plus the count of responses held against the OpenAPI document (test/support/checked-http.ts).
  testEnvironment: '<rootDir>/test/support/response-tally-environment.ts',
  roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@electric-sql)/)'],
  moduleNameMapper: {
    '^@chime/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@chime/event-log$': '<rootDir>/libs/event-log/src/index.ts',
    '^@chime/client$': '<rootDir>/libs/client/src/index.ts',
  },
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  // A worker keeps what every test file it ran left on its heap (each file loads Nest, TypeORM and a
  // server anew): after twenty end-to-end files one held 800 MB. A process that large is slow to
  // exit, and Jest gives a worker 500 ms at the end of the run before it kills it ("A worker process
  // has failed to exit gracefully", once in every run). A worker past this is replaced between files.
  workerIdleMemoryLimit: '500MB',
};
