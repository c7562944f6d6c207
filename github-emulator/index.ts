// A GitHub API emulator for tests, the benchmark and the demo: a real HTTP server that validates
// GraphQL documents against GitHub's published schema and copies GitHub's auth, cost, rate-limit
// and failure behaviour. See README.md for what it reproduces.

export { startGitHubEmulator } from "./server";
export { seedSampleData, SAMPLE, RETURNS_PORTAL_BODY } from "./sample-data";
export { seedBenchData, BENCH } from "./bench-data";
export { ADMIN_PREFIX, handleAdmin } from "./admin-routes";
export type { RecordedRequestView, RequestsReport } from "./admin-routes";
export { MAX_SEARCH_RESULTS } from "./issue-search";
export { MAX_CODE_QUERY } from "./code-search";
export { EmulatorStore } from "./store";
export { encodeNodeId, decodeNodeId } from "./node-id";
export { paginate, encodeCursor, decodeCursor } from "./connection";
export { MAX_DEPTH, MAX_NODES, MAX_PAGE_SIZE } from "./query-analysis";
export type {
  EmulatorKey, EmulatorOptions, Fault, GitHubEmulator, KeyType, PermissionLevel, PermissionName, RateLimitResource,
  RateLimitState, RecordedRequest,
} from "./types";
export type { IssueOrPullRequestRecord } from "./store";
export type * from "./store-records";
