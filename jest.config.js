const { availableParallelism } = require("node:os");

/** @type {import('jest').Config} */
module.exports = {
  // Jest's default (one worker less than the cores) is a single worker on CI's 2 cores, and the suite then
  // takes most of CI's 10 minutes; test files spend much of their time waiting on PostgreSQL, the emulator
  // and Chromium, so two workers there halve it. At most 4: each worker's files open their own databases.
  maxWorkers: Math.min(4, Math.max(2, availableParallelism() - 1)),
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  setupFiles: ["reflect-metadata"],
  // PostgreSQL and Chromium are checked once, before any test file: a missing one stops the run in seconds.
  globalSetup: "<rootDir>/test/support/prerequisites.ts",
  transform: {
    // useESM: on Node 24.9+ Jest loads "type": "module" packages (jose, @octokit/*) as native ES modules,
    // so their transform must stay ESM; on older Node Jest asks for CommonJS and still gets it.
    "^.+\\.[tj]s$": ["ts-jest", { tsconfig: "tsconfig.jest.json", useESM: true }],
  },
  // ESM-only packages that Jest must transform to load from CommonJS tests.
  transformIgnorePatterns: [
    "node_modules/(?!(@octokit|universal-user-agent|before-after-hook|jose|fast-content-type-parse|json-with-bigint|content-type)/)",
  ],
  testTimeout: 30000,
};
