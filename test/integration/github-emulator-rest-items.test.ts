import { startGitHubEmulator, seedSampleData, SAMPLE, type GitHubEmulator } from "../../github-emulator";
import { assertAnswer, findOperation } from "../../github-emulator/openapi";
import { SAMPLE_NOW } from "../../github-emulator/test-helpers";

// The emulator's REST routes for one issue or pull request (github-emulator/rest-items.ts), over real HTTP:
// each answer matches GitHub's OpenAPI description (checked again here, on the client side), a repository the
// key cannot see is a 404 exactly like a missing one, lists page as GitHub documents, and every call draws on
// the `core` budget.

const KEY = "ghp_emulatorRestItemsKey0000000000000001";
const PUBLIC_ONLY = "ghp_emulatorRestItemsPublic000000000002";
const STRANGER = "ghp_emulatorRestItemsStranger0000000003";
const NO_ISSUES = "github_pat_11EMULATOR0_restItemsNoIssues000000000004";
const { webshop } = SAMPLE.repos;
const REPO = `/repos/${webshop.owner}/${webshop.name}`;
const P = SAMPLE.pullRequests;
let emulator: GitHubEmulator;

interface Fetched { status: number; headers: Headers; body: unknown }

async function get(path: string, token = KEY): Promise<Fetched> {
  const response = await fetch(`${emulator.url}${path}`, { headers: { authorization: `token ${token}` } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
}

/**
 * The body matches the schema declared for its status (the server checked it too) and, unless `undeclared`,
 * the status is one the operation declares (GitHub's description declares only 200 for some lists' 404s).
 */
function expectConforms(path: string, answer: Fetched, undeclared = false): void {
  const op = findOperation("GET", path.split("?")[0]);
  if (!op) throw new Error(`no operation for GET ${path}`);
  if (!undeclared) expect(Object.keys(op.spec.responses ?? {})).toContain(String(answer.status));
  expect(() => assertAnswer(op, { status: answer.status, headers: { "content-type": answer.headers.get("content-type") ?? "" }, body: answer.body }, false)).not.toThrow();
}

async function conforming(path: string, token = KEY): Promise<Fetched> {
  const answer = await get(path, token);
  expect({ path, status: answer.status }).toEqual({ path, status: 200 });
  expectConforms(path, answer);
  return answer;
}

const obj = (body: unknown) => body as Record<string, unknown>;
const list = (body: unknown) => body as Array<Record<string, unknown>>;

beforeAll(async () => {
  emulator = await startGitHubEmulator({
    keys: [
      { token: KEY, login: "octocat", scopes: ["repo", "read:org"] },
      { token: PUBLIC_ONLY, login: "octocat", scopes: ["public_repo"] },
      { token: STRANGER, login: "stranger", scopes: ["repo"] },
      { token: NO_ISSUES, login: "octocat", resourceOwner: "acme", permissions: { pull_requests: "read", metadata: "read" } },
    ],
  });
  seedSampleData(emulator.store, { now: SAMPLE_NOW });
});
afterAll(() => emulator.close());

describe("answers match GitHub's OpenAPI description", () => {
  it("an issue, and a pull request's number read as an issue", async () => {
    const issue = obj((await conforming(`${REPO}/issues/${SAMPLE.issues.webshop.returnsPortal}`)).body);
    expect(issue).toMatchObject({ number: 123, state: "open", comments: 250, locked: false });
    expect(issue).not.toHaveProperty("pull_request");
    const asIssue = obj((await conforming(`${REPO}/issues/${P.approvedPassing}`)).body);
    expect(asIssue).toMatchObject({ number: P.approvedPassing, pull_request: { html_url: `https://github.com/acme/webshop/pull/${P.approvedPassing}` } });
  });

  it("a pull request, with its requested users and teams, and its reviews", async () => {
    const pr = obj((await conforming(`${REPO}/pulls/${P.reviewRequired}`)).body);
    expect(pr).toMatchObject({ number: P.reviewRequired, draft: false, merged: false, mergeable: true, mergeable_state: "blocked" });
    expect(list(pr.requested_reviewers).map((u) => u.login)).toEqual(["dave"]);
    expect(list(pr.requested_teams).map((t) => t.slug)).toEqual([SAMPLE.teams.frontend]);
    const reviewed = obj((await conforming(`${REPO}/pulls/${P.changesRequestedAndApproved}`)).body);
    const reviews = list((await conforming(`${REPO}/pulls/${P.changesRequestedAndApproved}/reviews`)).body);
    expect(reviews.map((r) => [r.user && obj(r.user).login, r.state])).toEqual([["bob", "CHANGES_REQUESTED"], ["carol", "APPROVED"]]);
    expect(reviews.map((r) => r.commit_id)).toEqual([obj(reviewed.head).sha, obj(reviewed.head).sha]);
  });

  it("the head commit's checks: passing Actions check run, and no commit status (so the combined state is pending)", async () => {
    const pr = obj((await conforming(`${REPO}/pulls/${P.approvedPassing}`)).body);
    const sha = (pr.head as { sha: string }).sha;
    const runs = obj((await conforming(`${REPO}/commits/${sha}/check-runs?page=1&per_page=30`)).body);
    expect(runs).toMatchObject({ total_count: 1, check_runs: [{ head_sha: sha, status: "completed", conclusion: "success", name: "ci" }] });
    const status = obj((await conforming(`${REPO}/commits/${sha}/status`)).body);
    expect(status).toMatchObject({ state: "pending", total_count: 0, statuses: [], sha });
    // By branch name too; a pull request without checks has none; a ref the emulator does not know is a 404.
    expect(obj((await conforming(`${REPO}/commits/fix%2Flogin-plus/check-runs`)).body)).toMatchObject({ total_count: 1, check_runs: [{ head_sha: sha }] });
    expect(obj((await conforming(`${REPO}/commits/readme/check-runs`)).body)).toMatchObject({ total_count: 0, check_runs: [] });
    expect((await get(`${REPO}/commits/${"0".repeat(40)}/status`)).status).toBe(404);
  });

  it("the REST node_id is the GraphQL ID: GitHub's MCP server's follow-up nodes() query finds the issue", async () => {
    const issue = obj((await conforming(`${REPO}/issues/${SAMPLE.issues.webshop.loginPlusSign}`)).body);
    // issue_read's enrichment (bench/README.md), without the fields GitHub's 2025 schema lacks.
    const query = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Issue { id
      closedByPullRequestsReferences(first: 5, includeClosedPrs: true) { totalCount nodes { number } } } } }`;
    const response = await fetch(emulator.graphqlUrl, { method: "POST", headers: { authorization: `bearer ${KEY}`, "content-type": "application/json" }, body: JSON.stringify({ query, variables: { ids: [issue.node_id] } }) });
    const answer = (await response.json()) as { data?: unknown; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ nodes: [{ id: issue.node_id, closedByPullRequestsReferences: { totalCount: 1, nodes: [{ number: P.approvedPassing }] } }] });
  });
});

describe("a repository the key cannot see is a 404, like a missing one", () => {
  const paths = [`${REPO}/issues/1`, `${REPO}/issues/1/comments`, `${REPO}/pulls/${P.approvedPassing}`, `${REPO}/pulls/${P.approvedPassing}/reviews`, `${REPO}/commits/readme/status`, `${REPO}/commits/readme/check-runs`];

  it.each([["a classic key without `repo`", PUBLIC_ONLY], ["a user outside the organization", STRANGER]])("%s", async (_name, token) => {
    for (const path of paths) {
      const hidden = await get(path, token);
      const missing = await get(path.replace("/webshop/", "/no-such-repo/"), token);
      expect({ path, status: hidden.status, body: hidden.body }).toEqual({ path, status: 404, body: missing.body });
      expectConforms(path, hidden, true);
    }
  });

  it("a missing issue or pull request is a 404; an issue's number is not a pull request", async () => {
    expect((await get(`${REPO}/issues/999`)).status).toBe(404);
    expect((await get(`${REPO}/pulls/${SAMPLE.issues.webshop.darkMode}`)).status).toBe(404);
    expect(obj((await get(`${REPO}/pulls/999/reviews`)).body)).toMatchObject({ message: "Not Found", documentation_url: "https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request" });
  });

  it("a fine-grained key without Issues reads pull requests but gets 403 naming issues=read for an issue", async () => {
    const refused = await get(`${REPO}/issues/1`, NO_ISSUES);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-accepted-github-permissions")).toBe("issues=read");
    expect((await get(`${REPO}/pulls/${P.approvedPassing}`, NO_ISSUES)).status).toBe(200);
  });
});

describe("lists page as GitHub documents; every call is charged to core", () => {
  const comments = `${REPO}/issues/${SAMPLE.manyComments.number}/comments`;

  it("30 a page by default, a link header to the next and last pages, 100 at most", async () => {
    const first = await conforming(comments);
    expect(list(first.body)).toHaveLength(30);
    const link = first.headers.get("link") ?? "";
    expect(link).toContain(`${comments}?page=2>; rel="next"`);
    expect(link).toContain(`${comments}?page=9>; rel="last"`);
    expect(link).not.toContain('rel="prev"');
    const last = await conforming(`${comments}?per_page=100&page=3`);
    expect(list(last.body)).toHaveLength(50);
    expect(last.headers.get("link")).toBe(`<${emulator.url}${comments}?per_page=100&page=2>; rel="prev", <${emulator.url}${comments}?per_page=100&page=1>; rel="first"`);
    expect(list((await conforming(`${comments}?per_page=500`)).body)).toHaveLength(100);
  });

  it("each answer draws one point of core, as its headers say", async () => {
    const before = emulator.rateLimitOf(KEY, "core").used;
    const answer = await get(`${REPO}/pulls/${P.approvedPassing}`);
    expect(answer.headers.get("x-ratelimit-resource")).toBe("core");
    expect(emulator.rateLimitOf(KEY, "core").used).toBe(before + 1);
    expect(Number(answer.headers.get("x-ratelimit-used"))).toBe(before + 1);
    // Undeclared parameters are refused like the other routes' (422).
    expect((await get(`${REPO}/issues/1?per_page=2`)).status).toBe(422);
  });
});
