import type { ComplexityEstimator } from "graphql-query-complexity";
import { DEFAULT_PAGE } from "./item-search";
import { DEFAULT_MAX_COMMENTS } from "./item-thread";
import { MAX_REACH_PAGES, MAX_SSO_NAMES } from "./key-reach-reader";

// What a field can spend on GitHub at most, before batching folds look-ups together: the larger of the
// upstream requests it can make (each costs at least a point) and GitHub's points for the documents it
// causes. Each resolver field that calls GitHub declares it as its type-graphql `complexity`, built from the
// arithmetic here; graphql-query-complexity adds it up (src/limits/query-limits.ts) against QUERY_MAX_COST
// and the tenant's rate limit. A list of 100 full pull requests is one request but 5 points by GitHub's
// formula; a look-up is a share of a batched document, a point at most when sent alone. A field without
// `complexity` makes no upstream call itself and counts only what it selects.

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

/**
 * A list or search of `first` items with `perItem` connections each: the list is one request, its items'
 * connections the rest. `first` is the caller's argument as given: anything but a positive number is priced
 * as the default page (such a request is refused before it is sent, or is the default), more than a page as
 * a page.
 */
export const listPoints = (first: unknown, perItem: number): number =>
  githubPoints(1 + (typeof first === "number" && first > 0 ? Math.min(first, PAGE) : DEFAULT_PAGE) * perItem);

/** A thread is its item plus one request per 100 comments, at most; each is a document of its own, 1 point or more. */
export const threadCost = (maxComments: unknown): number =>
  1 + Math.ceil((typeof maxComments === "number" && maxComments >= 0 ? maxComments : DEFAULT_MAX_COMMENTS) / PAGE);

/** Checking a key with GitHub, then reading what it reaches: pages of repositories, SSO organizations named. */
export const KEY_CHECK_COST = 1 + MAX_REACH_PAGES + MAX_SSO_NAMES;

/**
 * A field's `complexity` when its own cost depends on its arguments: that cost plus what its selection costs
 * (graphql-query-complexity adds the selection itself only for a number).
 */
export const costFromArgs =
  (own: (args: Record<string, unknown>) => number): ComplexityEstimator =>
  ({ args, childComplexity }) =>
    own(args) + childComplexity;
