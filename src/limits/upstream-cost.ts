import type { ComplexityEstimator } from "graphql-query-complexity";
import { DEFAULT_MAX_COMMENTS } from "../github/thread.service";

const PAGE = 100;
/** A thread is its item plus one request per 100 comments, at most. */
const threadCost = (maxComments: unknown) => 1 + Math.ceil((typeof maxComments === "number" && maxComments >= 0 ? maxComments : DEFAULT_MAX_COMMENTS) / PAGE);

/**
 * The most GitHub requests each field can make, before batching folds look-ups together: what a query
 * costs against QUERY_MAX_COST and the tenant's rate limit. Fields not listed make none themselves.
 */
const COST: Record<string, (args: Record<string, unknown>) => number> = {
  "GitHub.viewer": () => 1,
  "GitHub.rateLimit": () => 1,
  "GitHub.issue": () => 1,
  "GitHub.pullRequest": () => 1,
  "GitHub.issues": () => 1,
  "GitHub.searchIssues": () => 1,
  "GitHub.pullRequests": () => 1,
  "GitHub.searchCode": () => 1,
  "GitHub.issueThread": (args) => threadCost(args.maxComments),
  "GitHub.issueThreads": (args) => (Array.isArray(args.refs) ? args.refs.length : 1) * threadCost(args.maxComments),
  // The repository's labels and assignees are looked up, then the issue is created.
  "Mutation.createGitHubIssue": () => 2,
  // The key is checked with GitHub (and its owners listed) before it is stored.
  "Mutation.connectIntegration": () => 2,
  "Mutation.renewIntegration": () => 2,
};

export const upstreamCostEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) =>
  (COST[`${type.name}.${field.name}`]?.(args) ?? 0) + childComplexity;
