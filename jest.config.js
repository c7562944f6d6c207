/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  setupFiles: ["reflect-metadata"],
  // PostgreSQL and Chromium are checked once, before any test file: a missing one stops the run in seconds.
  globalSetup: "<rootDir>/test/support/prerequisites.ts",
  transform: {
    "^.+\\.[tj]s$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }],
  },
  // ESM-only packages that Jest must transform to load from CommonJS tests.
  transformIgnorePatterns: [
    "node_modules/(?!(@octokit|universal-user-agent|before-after-hook|jose|fast-content-type-parse|json-with-bigint|content-type)/)",
  ],
  testTimeout: 30000,
};
