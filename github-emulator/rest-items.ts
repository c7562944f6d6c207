import { createHash } from "node:crypto";
import { Access, acceptedPermission, fullNameOf } from "./access";
import { NOT_ACCESSIBLE } from "./errors";
import type { RegisteredKey } from "./key-registry";
import { checkRunsJson, combinedStatusJson, commitOf } from "./rest-commits";
import type { RestRoute, RouteResult } from "./rest-handler";
import { commentJson, issueJson, pullRequestJson, reviewJson } from "./rest-item-json";
import { pageOf } from "./rest-paging";
import type { EmulatorStore, PullRequestRecord, RepositoryRecord } from "./store";
import type { PermissionName } from "./types";

// REST routes for one issue or pull request, what GitHub's MCP server reads per tool call (bench/README.md):
// an issue, its comments, a pull request, its reviews, and its head commit's combined status and check runs.
// A repository the key cannot see answers 404 exactly like a missing one, decided by the same Access as the
// GraphQL side (access.ts); every answer is checked against GitHub's OpenAPI description (rest-handler.ts).

const SAML_MESSAGE = "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.";
const REPO = "^/repos/([^/]+)/([^/]+)";

const DOCS = {
  issue: "https://docs.github.com/rest/issues/issues#get-an-issue",
  comments: "https://docs.github.com/rest/issues/comments#list-issue-comments",
  pull: "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
  reviews: "https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request",
  status: "https://docs.github.com/rest/commits/statuses#get-the-combined-status-for-a-specific-reference",
  checkRuns: "https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference",
} as const;

const notFound = (docs: string): RouteResult => ({ status: 404, body: { message: "Not Found", documentation_url: docs, status: "404" } });

/**
 * The repository named in the path, or GitHub's refusal: 403 with `x-github-sso` for a SAML SSO organization
 * the key is not authorised for (GitHub's REST authentication docs), 404 for a missing or invisible one.
 */
function visibleRepository(params: string[], key: RegisteredKey, store: EmulatorStore, docs: string): { access: Access; repo: RepositoryRecord } | RouteResult {
  const [owner, name] = params.map((p) => decodeURIComponent(p));
  const access = new Access(key, store);
  const sso = access.ssoBlock(owner);
  if (sso) {
    const request = createHash("sha1").update(key.token).digest("hex").slice(0, 20);
    return {
      status: 403,
      headers: { "x-github-sso": `required; url=https://github.com/orgs/${sso.login}/sso?authorization_request=${request}` },
      body: { message: SAML_MESSAGE, documentation_url: "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/" },
    };
  }
  const repo = store.repository(owner, name);
  return repo && access.canSee(repo) ? { access, repo } : notFound(docs);
}

/** A fine-grained key without the permission: 403 naming it in `x-accepted-github-permissions`, as GitHub answers. */
function unreadable(access: Access, repo: RepositoryRecord, permission: PermissionName, docs: string): RouteResult | undefined {
  if (access.canRead(repo, permission)) return undefined;
  return {
    status: 403,
    headers: { "x-accepted-github-permissions": acceptedPermission(permission, "read") },
    body: { message: NOT_ACCESSIBLE, documentation_url: docs, status: "403" },
  };
}

const isRefusal = (value: object): value is RouteResult => "status" in value;
const listUrl = (base: string, repo: RepositoryRecord, rest: string) => `${base}/repos/${fullNameOf(repo)}${rest}`;

/** The issue or pull request numbered in the path, once the key may read it (issues or pull_requests permission). */
function readableItem(params: string[], key: RegisteredKey, store: EmulatorStore, docs: string) {
  const found = visibleRepository(params, key, store, docs);
  if (isRefusal(found)) return found;
  const item = store.issueOrPullRequest(found.repo.databaseId, Number(params[2]));
  if (!item) return notFound(docs);
  return unreadable(found.access, found.repo, item.__typename === "PullRequest" ? "pull_requests" : "issues", docs) ?? { ...found, item };
}

function readablePullRequest(params: string[], key: RegisteredKey, store: EmulatorStore, docs: string) {
  const found = readableItem(params, key, store, docs);
  if (isRefusal(found)) return found;
  return found.item.__typename === "PullRequest" ? { ...found, pr: found.item as PullRequestRecord } : notFound(docs);
}

export const ITEM_ROUTES: RestRoute[] = [
  {
    method: "GET",
    pattern: new RegExp(`${REPO}/issues/(\\d+)/?$`),
    docs: DOCS.issue,
    handle: (_request, key, { store }, params) => {
      const found = readableItem(params, key, store, DOCS.issue);
      return isRefusal(found) ? found : { status: 200, body: issueJson(found.item, found.repo, store) };
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`${REPO}/issues/(\\d+)/comments/?$`),
    docs: DOCS.comments,
    handle: (request, key, { store }, params) => {
      const found = readableItem(params, key, store, DOCS.comments);
      if (isRefusal(found)) return found;
      // `since`: comments updated at or after it (GitHub's parameter description), oldest first.
      const since = request.search.get("since");
      const comments = store.commentsOf(found.repo.databaseId, found.item.number)
        .filter((c) => since === null || c.updatedAt.getTime() >= Date.parse(since));
      const page = pageOf(comments, request.search, listUrl(request.base, found.repo, `/issues/${found.item.number}/comments`));
      return { status: 200, headers: page.headers, body: page.items.map((c) => commentJson(c, found.repo, store)) };
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`${REPO}/pulls/(\\d+)/?$`),
    docs: DOCS.pull,
    handle: (_request, key, { store }, params) => {
      const found = readablePullRequest(params, key, store, DOCS.pull);
      return isRefusal(found) ? found : { status: 200, body: pullRequestJson(found.pr, found.repo, store) };
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`${REPO}/pulls/(\\d+)/reviews/?$`),
    docs: DOCS.reviews,
    handle: (request, key, { store }, params) => {
      const found = readablePullRequest(params, key, store, DOCS.reviews);
      if (isRefusal(found)) return found;
      // Chronological; a pending review only to its author, as on the GraphQL side.
      const reviews = store.reviewsOf(found.pr.databaseId).filter((r) => r.state !== "PENDING" || r.authorLogin === key.user.login);
      const page = pageOf(reviews, request.search, listUrl(request.base, found.repo, `/pulls/${found.pr.number}/reviews`));
      return { status: 200, headers: page.headers, body: page.items.map((r) => reviewJson(r, found.pr, found.repo, store)) };
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`${REPO}/commits/([^/]+)/status/?$`),
    docs: DOCS.status,
    handle: (request, key, { store }, params) => {
      const found = visibleRepository(params, key, store, DOCS.status);
      if (isRefusal(found)) return found;
      const commit = commitOf(found.repo, decodeURIComponent(params[2]), store);
      if (!commit) return notFound(DOCS.status);
      const url = listUrl(request.base, found.repo, `/commits/${encodeURIComponent(params[2])}/status`);
      return combinedStatusJson(commit, found.repo, store, request.search, url);
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`${REPO}/commits/([^/]+)/check-runs/?$`),
    docs: DOCS.checkRuns,
    handle: (request, key, { store }, params) => {
      const found = visibleRepository(params, key, store, DOCS.checkRuns);
      if (isRefusal(found)) return found;
      const commit = commitOf(found.repo, decodeURIComponent(params[2]), store);
      if (!commit) return notFound(DOCS.checkRuns);
      const url = listUrl(request.base, found.repo, `/commits/${encodeURIComponent(params[2])}/check-runs`);
      return checkRunsJson(commit, found.repo, request.search, url);
    },
  },
];
