import type { ComplexityEstimator } from "graphql-query-complexity";
import { MAX_ISSUE_ASSIGNEES, MAX_ISSUE_LABELS } from "../github/create-issue.service";
import { MAX_REACH_PAGES, MAX_SSO_NAMES } from "../github/key-reach-reader";
import { DEFAULT_PAGE } from "../github/search.service";
import { DEFAULT_MAX_COMMENTS } from "../github/thread.service";

const PAGE = 100;

/**
 * Connections per item in the gateway's upstream fragments (schema/github/fragments.graphql, threads.graphql),
 * which GitHub counts as one request each when it prices a document. test/unit/github-costs.test.ts checks
 * them against GitHub's formula as the emulator applies it to the very documents the gateway sends.
 */
export const CONNECTIONS_PER_ITEM = {
  /** labels, assignees, comments { totalCount } */
  issue: 3,
  /** labels, latestReviews, reviewRequests, commits(last: 1) */
  pullRequest: 4,
  /** both `... on` branches of a thread: each has labels, assignees, comments and a fourth list */
  thread: 8,
} as const;

/**
 * GitHub's price of a document: the requests needed to fill every connection as if full, over 100, at least
 * 1 ("Rate limits and query limits for the GraphQL API"). Rounded up here, so the estimate never falls short.
 */
export const githubPoints = (connectionRequests: number): number => Math.max(1, Math.ceil(connectionRequests / PAGE));

/** A list or search of `first` items with `perItem` connections each: the list is one request, its items' connections the rest. */
const listPoints = (first: unknown, perItem: number) => githubPoints(1 + (typeof first === "number" && first > 0 ? Math.min(first, PAGE) : DEFAULT_PAGE) * perItem);

/** A thread is its item plus one request per 100 comments, at most; each is a document of its own, 1 point or more. */
const threadCost = (maxComments: unknown) => 1 + Math.ceil((typeof maxComments === "number" && maxComments >= 0 ? maxComments : DEFAULT_MAX_COMMENTS) / PAGE);

/**
 * What each field can spend on GitHub at most, before batching folds look-ups together: the larger of the
 * upstream requests it can make (each costs at least a point) and GitHub's points for the documents it
 * causes. It is what a query counts against QUERY_MAX_COST and the tenant's rate limit. A list of 100 full
 * pull requests is one request but 5 points by GitHub's formula; a look-up is a share of a batched
 * document, a point at most when sent alone. Fields not listed make no upstream call themselves.
 */
const COST: Record<string, (args: Record<string, unknown>) => number> = {
  "GitHub.viewer": () => 1,
  "GitHub.rateLimit": () => 1,
  "GitHub.issue": () => 1,
  "GitHub.pullRequest": () => 1,
  // The labels named are looked up first (one request), then the list.
  "GitHub.issues": (args) => Math.max(Array.isArray(args.labels) && args.labels.length > 0 ? 2 : 1, listPoints(args.first, CONNECTIONS_PER_ITEM.issue)),
  "GitHub.searchIssues": (args) => listPoints(args.first, CONNECTIONS_PER_ITEM.issue),
  "GitHub.pullRequests": (args) => listPoints(args.first, CONNECTIONS_PER_ITEM.pullRequest),
  "GitHub.searchCode": () => 1,
  "GitHub.issueThread": (args) => threadCost(args.maxComments),
  "GitHub.issueThreads": (args) => (Array.isArray(args.refs) ? args.refs.length : 1) * threadCost(args.maxComments),
  // The repository, each label and each assignee are looked up, then the issue is created; an unknown label
  // costs one more look-up (the repository's labels, for suggestions). Names past GitHub's bounds are refused
  // before any look-up (create-issue.service.ts), so the count stops there: such a request is BAD_USER_INPUT.
  "Mutation.createGitHubIssue": (args) => {
    const input = (args.input ?? {}) as { labels?: unknown; assignees?: unknown };
    const count = (names: unknown, max: number) => (Array.isArray(names) ? Math.min(names.length, max) : 0);
    return 3 + count(input.labels, MAX_ISSUE_LABELS) + count(input.assignees, MAX_ISSUE_ASSIGNEES);
  },
  // The key is checked with GitHub, then what it reaches is read: pages of repositories, SSO organizations named.
  "Mutation.connectIntegration": () => 1 + MAX_REACH_PAGES + MAX_SSO_NAMES,
  "Mutation.renewIntegration": () => 1 + MAX_REACH_PAGES + MAX_SSO_NAMES,
};

export const upstreamCostEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) =>
  (COST[`${type.name}.${field.name}`]?.(args) ?? 0) + childComplexity;
