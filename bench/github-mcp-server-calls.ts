import { graphql } from "@octokit/graphql";
import { request } from "@octokit/request";
import { BENCH } from "../github-emulator/bench-data";
import type { Item } from "./world";

// The upstream calls github/github-mcp-server makes for the tool calls an agent needs to do what one of
// this gateway's tools does, replayed with Octokit against the emulator with the same key. Counted from its
// source at commit 64a49f34d076b6f5917dae1424521d43c7bcae84 (bench/README.md has the table): one REST call
// per go-github method a handler calls, in the handler's order, with its default paging (page 1, 30 a page).
// Its own process (the Go MCP server between the agent and GitHub) is left out, so this side is, if
// anything, faster than the real server.

/**
 * issue_read `get`'s enrichment (fetchIssueReadEnrichment, pkg/github/issues.go): one GraphQL nodes() query
 * for the issue's node ID. The server also asks for issueFieldValues(first: 25), parent, subIssuesSummary
 * and orderByState: true, which GitHub's 2025 schema lacks and the emulator therefore refuses (as an older
 * GitHub Enterprise Server would); without them GitHub's formula gives the same price (2 connection requests
 * or 1: either way 1 point), and the call is the same one round trip.
 */
const ISSUE_READ_ENRICHMENT = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Issue { id
  closedByPullRequestsReferences(first: 5, includeClosedPrs: true) { totalCount nodes { number title state url author { login } repository { nameWithOwner } } } } } }`;

/** What OptionalPaginationParams gives a call that names no page (pkg/github/params.go). */
const DEFAULT_PAGE = { page: 1, per_page: 30 } as const;

export interface GitHubMcpServerWay {
  /** IssueThreadContext's work: issue_read `get` and `get_comments`, called at once as an agent may. */
  issueThread(item: Item): Promise<void>;
  /** PullRequestReviewStatus's work: pull_request_read `get`, `get_reviews`, `get_status` and `get_check_runs`, at once. */
  reviewStatus(item: Item): Promise<void>;
}

export function githubMcpServerWay(emulatorUrl: string, key: string): GitHubMcpServerWay {
  const rest = request.defaults({ baseUrl: emulatorUrl, headers: { authorization: `token ${key}` } });
  const gql = graphql.defaults({ baseUrl: emulatorUrl, headers: { authorization: `token ${key}` } });
  const repo = (item: Item) => ({ owner: BENCH.owner, repo: item.repo });

  // pkg/github/issues.go, IssueRead's handler: GetIssue (Issues.Get, then the enrichment) and GetIssueComments (Issues.ListComments).
  const issueRead = {
    async get(item: Item) {
      const issue = await rest("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...repo(item), issue_number: item.number });
      if (issue.data.number !== item.number) throw new Error(`issue_read get: ${item.repo}#${item.number} came back as #${issue.data.number}`);
      await gql(ISSUE_READ_ENRICHMENT, { ids: [issue.data.node_id] });
    },
    async getComments(item: Item) {
      await rest("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo(item), issue_number: item.number, ...DEFAULT_PAGE });
    },
  };

  // pkg/github/pullrequests.go, PullRequestRead's handler.
  const pullRequest = (item: Item) => rest("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo(item), pull_number: item.number });
  const pullRequestRead = {
    // GetPullRequest: PullRequests.Get.
    async get(item: Item) {
      const pr = await pullRequest(item);
      if (pr.data.number !== item.number) throw new Error(`pull_request_read get: ${item.repo}#${item.number} came back as #${pr.data.number}`);
    },
    // GetPullRequestReviews: PullRequests.ListReviews.
    async getReviews(item: Item) {
      await rest("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...repo(item), pull_number: item.number, ...DEFAULT_PAGE });
    },
    // GetPullRequestStatus: PullRequests.Get for the head SHA, then Repositories.GetCombinedStatus (no paging options).
    async getStatus(item: Item) {
      const pr = await pullRequest(item);
      await rest("GET /repos/{owner}/{repo}/commits/{ref}/status", { ...repo(item), ref: pr.data.head.sha });
    },
    // GetPullRequestCheckRuns: PullRequests.Get for the head SHA, then Checks.ListCheckRunsForRef.
    async getCheckRuns(item: Item) {
      const pr = await pullRequest(item);
      await rest("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...repo(item), ref: pr.data.head.sha, ...DEFAULT_PAGE });
    },
  };

  return {
    async issueThread(item) {
      await Promise.all([issueRead.get(item), issueRead.getComments(item)]);
    },
    async reviewStatus(item) {
      // Pending reviewers, draft and mergeability come with `get`; reviews with `get_reviews` (REST has no review
      // decision: the agent reads it from them); checks need both kinds GitHub has, commit statuses and check runs,
      // which the gateway's one roll-up (statusCheckRollup) covers.
      await Promise.all([pullRequestRead.get(item), pullRequestRead.getReviews(item), pullRequestRead.getStatus(item), pullRequestRead.getCheckRuns(item)]);
    },
  };
}
