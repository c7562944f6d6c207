import { createHash } from "node:crypto";
import { fullNameOf } from "./access";
import { repositoryJson, simpleUserJson } from "./code-search";
import { nodeIdWithPrefix } from "./node-id";
import { gitHubDateTime } from "./resolver-kit";
import { baseOidOf } from "./resolvers-pull-request";
import type { RouteResult } from "./rest-handler";
import { pageOf } from "./rest-paging";
import type { EmulatorStore, PullRequestRecord, RepositoryRecord, StatusState } from "./store";

// A commit's checks over REST: GET .../commits/{ref}/status (commit statuses, combined) and
// GET .../commits/{ref}/check-runs. The emulator keeps one roll-up state per pull request head (what GraphQL's
// `statusCheckRollup { state }` answers); REST shows it as the one kind of check that state can come from
// (README, "Where GitHub's documents say nothing"): SUCCESS, FAILURE and PENDING as one GitHub Actions check
// run, ERROR and EXPECTED (states only commit statuses have) as one commit status. So a head whose checks
// passed has no commit status, and its combined status reads "pending" with total_count 0, as on GitHub for a
// repository that uses Actions only: why GitHub's MCP server offers get_status and get_check_runs both.

const API = "https://api.github.com";
const WEB = "https://github.com";
const CONTEXT = "ci";

export interface Commit {
  sha: string;
  /** The pull request whose head this commit is; only a head carries checks here. */
  head?: PullRequestRecord;
}

/**
 * A ref the emulator knows: a pull request's head (by SHA or branch, an open one first) or a base branch
 * (by name or the SHA the GraphQL side gives it). It keeps no other history, so any other ref is unknown (404).
 */
export function commitOf(repo: RepositoryRecord, ref: string, store: EmulatorStore): Commit | undefined {
  const prs = store.pullRequestsOf(repo.databaseId);
  const head = prs.find((pr) => pr.headOid === ref)
    ?? prs.filter((pr) => pr.headRefName === ref).sort((a, b) => Number(b.state === "OPEN") - Number(a.state === "OPEN"))[0];
  if (head) return { sha: head.headOid, head };
  const base = prs.find((pr) => pr.baseRefName === ref || baseOidOf(pr) === ref);
  if (base) return { sha: baseOidOf(base) };
  if (ref === repo.defaultBranch) return { sha: createHash("sha1").update(`${repo.databaseId}/${ref}`).digest("hex") };
  return undefined;
}

const when = (pr: PullRequestRecord) => ({ created: gitHubDateTime(pr.createdAt), updated: gitHubDateTime(pr.updatedAt) });

/** GitHub's combined state: failure if any status is error or failure; pending if there are none or one is pending; else success. */
function combinedState(states: readonly string[]): string {
  if (states.some((s) => s === "error" || s === "failure")) return "failure";
  return states.length === 0 || states.includes("pending") ? "pending" : "success";
}

const STATUS_OF: Partial<Record<StatusState, string>> = { ERROR: "error", EXPECTED: "pending" };

/** "Combined Commit Status", its statuses paged like a list. */
export function combinedStatusJson(commit: Commit, repo: RepositoryRecord, store: EmulatorStore, search: URLSearchParams, pageUrl: string): RouteResult {
  const pr = commit.head;
  const state = pr?.checkState ? STATUS_OF[pr.checkState] : undefined;
  const statusesUrl = `${API}/repos/${fullNameOf(repo)}/statuses/${commit.sha}`;
  const statuses = pr && state ? [{
    url: statusesUrl, avatar_url: null, id: pr.databaseId, node_id: nodeIdWithPrefix("SC", pr.databaseId), state,
    description: state === "error" ? "The check errored." : "Waiting for status to be reported", target_url: null,
    context: CONTEXT, created_at: when(pr).created, updated_at: when(pr).updated,
  }] : [];
  const page = pageOf(statuses, search, pageUrl);
  return {
    status: 200,
    headers: page.headers,
    body: {
      state: combinedState(statuses.map((s) => s.state)), statuses: page.items, sha: commit.sha, total_count: statuses.length,
      repository: repositoryJson(repo, store), commit_url: `${API}/repos/${fullNameOf(repo)}/commits/${commit.sha}`,
      url: `${API}/repos/${fullNameOf(repo)}/commits/${commit.sha}/status`,
    },
  };
}

const RUN_OF: Partial<Record<StatusState, { status: string; conclusion: string | null }>> = {
  SUCCESS: { status: "completed", conclusion: "success" },
  FAILURE: { status: "completed", conclusion: "failure" },
  PENDING: { status: "in_progress", conclusion: null },
};

/** The GitHub Actions app as GitHub's API shows it on every check run it created. */
const ACTIONS_APP = {
  id: 15368, slug: "github-actions", node_id: "MDM6QXBwMTUzNjg=", owner: simpleUserJson("github", 9919, "Organization"),
  name: "GitHub Actions", description: "Automate your workflow from idea to production", external_url: "https://help.github.com/en/actions",
  html_url: "https://github.com/apps/github-actions", created_at: "2018-07-30T09:30:17Z", updated_at: "2024-04-10T20:33:16Z",
  permissions: { actions: "write", checks: "write", contents: "write", metadata: "read", pull_requests: "write", statuses: "write" },
  events: ["check_run", "check_suite", "pull_request", "push", "workflow_dispatch"],
};

/** "check_runs" of a ref, filtered by `check_name` and `status` as documented, paged. */
export function checkRunsJson(commit: Commit, repo: RepositoryRecord, search: URLSearchParams, pageUrl: string): RouteResult {
  const pr = commit.head;
  const run = pr?.checkState ? RUN_OF[pr.checkState] : undefined;
  const repoUrl = `${API}/repos/${fullNameOf(repo)}`;
  const ref = (name: string, sha: string) => ({ ref: name, sha, repo: { id: repo.databaseId, url: repoUrl, name: repo.name } });
  const runs = pr && run ? [{
    id: pr.databaseId, head_sha: commit.sha, node_id: nodeIdWithPrefix("CR", pr.databaseId), external_id: "",
    url: `${repoUrl}/check-runs/${pr.databaseId}`, html_url: `${WEB}/${fullNameOf(repo)}/runs/${pr.databaseId}`,
    details_url: `${WEB}/${fullNameOf(repo)}/runs/${pr.databaseId}`, status: run.status, conclusion: run.conclusion,
    started_at: when(pr).created, completed_at: run.status === "completed" ? when(pr).updated : null,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${repoUrl}/check-runs/${pr.databaseId}/annotations` },
    name: CONTEXT, check_suite: { id: pr.databaseId }, app: ACTIONS_APP,
    pull_requests: pr.state === "OPEN"
      ? [{ id: pr.databaseId, number: pr.number, url: `${repoUrl}/pulls/${pr.number}`, head: ref(pr.headRefName, pr.headOid), base: ref(pr.baseRefName, baseOidOf(pr)) }]
      : [],
  }] : [];
  const name = search.get("check_name");
  const status = search.get("status");
  const chosen = runs.filter((r) => (name === null || r.name === name) && (status === null || r.status === status));
  const page = pageOf(chosen, search, pageUrl);
  return { status: 200, headers: page.headers, body: { total_count: chosen.length, check_runs: page.items } };
}
