/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  setupFiles: ["reflect-metadata"],
  transform: {
    "^.+\\.[tj]s$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }],
  },
  // ESM-only packages that Jest must transform to load from CommonJS tests.
  transformIgnorePatterns: [
    "node_modules/(?!(@octokit|universal-user-agent|before-after-hook|jose|fast-content-type-parse|json-with-bigint|content-type)/)",
  ],
  testTimeout: 30000,
};
