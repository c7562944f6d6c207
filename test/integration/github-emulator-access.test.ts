import { startGitHubEmulator, seedSampleData, SAMPLE, type GitHubEmulator } from "../../github-emulator";
import { graphqlFailure, octokitClient, postGraphql, SAMPLE_NOW } from "../../github-emulator/test-helpers";

// createIssue, key permissions and repository visibility over GraphQL.

const CLASSIC = "ghp_emulatorAccessClassic000000000000001";
const READ_ONLY = "github_pat_11EMULATOR0_readOnlyKey0000000000000000002";
const NO_ISSUES = "github_pat_11EMULATOR0_noIssuesKey0000000000000000003";
const WEBSHOP_ONLY = "github_pat_11EMULATOR0_webshopOnly0000000000000000004";
let emulator: GitHubEmulator;

beforeAll(async () => {
  emulator = await startGitHubEmulator({
    keys: [
      { token: CLASSIC, login: "octocat", scopes: ["repo"] },
      { token: READ_ONLY, login: "alice", resourceOwner: "acme", permissions: { issues: "read", pull_requests: "read", contents: "read", metadata: "read" } },
      { token: NO_ISSUES, login: "bob", resourceOwner: "acme", permissions: { pull_requests: "read", metadata: "read" } },
      { token: WEBSHOP_ONLY, login: "carol", repositories: ["acme/webshop"] },
    ],
  });
  seedSampleData(emulator.store, { now: SAMPLE_NOW });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.clearRequests());

type Ids = { repository: { id: string; label: { id: string }; other: { id: string } }; alice: { id: string }; mona: { id: string } };
const IDS = `{ repository(owner: "acme", name: "webshop") { id label(name: "bug") { id } other: label(name: "needs triage") { id } }
  alice: user(login: "alice") { id } mona: user(login: "mona") { id } }`;
const CREATE = `mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue {
  id number title body state url author { login } labels(first: 10) { nodes { name } } assignees(first: 10) { nodes { login } } } } }`;

describe("createIssue", () => {
  it("creates an issue with label and assignee IDs, costs 1 and is recorded as a mutation", async () => {
    const { gql } = octokitClient(emulator, CLASSIC);
    const ids = await gql<Ids>(IDS);
    const before = emulator.store.issuesOf(emulator.store.repository("acme", "webshop")!.databaseId).length;
    type Created = { createIssue: { issue: { id: string; number: number; title: string; body: string; state: string; url: string; author: { login: string }; labels: { nodes: Array<{ name: string }> }; assignees: { nodes: Array<{ login: string }> } } } };
    const data = await gql<Created>(CREATE, { input: {
      repositoryId: ids.repository.id, title: "Checkout shows the wrong currency", body: "Prices show USD for EU visitors.",
      labelIds: [ids.repository.label.id, ids.repository.other.id], assigneeIds: [ids.alice.id, ids.mona.id],
    } });
    const issue = data.createIssue.issue;
    expect(issue).toMatchObject({
      title: "Checkout shows the wrong currency", body: "Prices show USD for EU visitors.", state: "OPEN", author: { login: "octocat" },
      labels: { nodes: [{ name: "bug" }, { name: "needs triage" }] }, assignees: { nodes: [{ login: "alice" }, { login: "mona" }] },
    });
    expect(issue.number).toBe(SAMPLE.issues.webshop.returnsPortal + 1); // the next number after the highest
    expect(issue.url).toBe(`https://github.com/acme/webshop/issues/${issue.number}`);
    expect(emulator.store.issuesOf(emulator.store.repository("acme", "webshop")!.databaseId)).toHaveLength(before + 1);
    const again = await gql<{ node: { title: string } }>("query($id: ID!) { node(id: $id) { ... on Issue { title } } }", { id: issue.id });
    expect(again.node.title).toBe("Checkout shows the wrong currency");
    const mutation = emulator.requests.find((r) => r.query === CREATE);
    expect(mutation).toMatchObject({ status: 200, cost: 1, isMutation: true });
    expect(emulator.requests.filter((r) => r.query !== CREATE).every((r) => r.isMutation === false)).toBe(true);
  });

  it("answers unknown node IDs with NOT_FOUND and creates nothing", async () => {
    const { gql } = octokitClient(emulator, CLASSIC);
    const ids = await gql<Ids>(IDS);
    const count = emulator.store.allIssuesAndPullRequests().length;
    const badLabel = await graphqlFailure(gql(CREATE, { input: { repositoryId: ids.repository.id, title: "x", labelIds: ["LA_kgDOAAAAAA"] } }));
    expect(badLabel.data).toEqual({ createIssue: null });
    expect(badLabel.errors?.[0]).toMatchObject({ type: "NOT_FOUND", path: ["createIssue"], message: "Could not resolve to a node with the global id of 'LA_kgDOAAAAAA'" });
    const badRepo = await graphqlFailure(gql(CREATE, { input: { repositoryId: "R_notAnId", title: "x" } }));
    expect(badRepo.errors?.[0]).toMatchObject({ type: "NOT_FOUND", message: "Could not resolve to a node with the global id of 'R_notAnId'" });
    expect(emulator.store.allIssuesAndPullRequests()).toHaveLength(count);
  });

  it("refuses a fine-grained key without issues=write with FORBIDDEN and x-accepted-github-permissions", async () => {
    const ids = await octokitClient(emulator, CLASSIC).gql<Ids>(IDS);
    const raw = await postGraphql(emulator, { query: CREATE, variables: { input: { repositoryId: ids.repository.id, title: "nope" } } }, READ_ONLY);
    expect(raw.status).toBe(200);
    expect(raw.headers.get("x-accepted-github-permissions")).toBe("issues=write");
    expect(raw.json.data).toEqual({ createIssue: null });
    expect(raw.json.errors).toEqual([expect.objectContaining({
      type: "FORBIDDEN", message: "Resource not accessible by personal access token", path: ["createIssue"],
    })]);
    expect(emulator.store.allIssuesAndPullRequests().some((i) => i.title === "nope")).toBe(false);
  });
});

describe("key permissions and repository visibility", () => {
  it("refuses a private repository's issues to a fine-grained key without the issues permission", async () => {
    const raw = await postGraphql(emulator, { query: `{ repository(owner: "acme", name: "webshop") { name
      issue(number: 1) { title } pullRequest(number: ${SAMPLE.pullRequests.approvedPassing}) { title } } }` }, NO_ISSUES);
    expect(raw.json.data).toEqual({ repository: { name: "webshop", issue: null, pullRequest: { title: "Escape + in login e-mails" } } });
    expect(raw.json.errors).toEqual([expect.objectContaining({ type: "FORBIDDEN", path: ["repository", "issue"] })]);
    expect(raw.headers.get("x-accepted-github-permissions")).toBe("issues=read");
    // Public repositories stay readable by every key.
    const docs = await octokitClient(emulator, NO_ISSUES).gql<{ repository: { issue: { title: string } } }>(
      '{ repository(owner: "acme", name: "docs") { issue(number: 1) { title } } }');
    expect(docs.repository.issue.title).toBe("Broken link in the login guide");
  });

  it("answers a private repository outside the key's list exactly like a missing one", async () => {
    const { gql } = octokitClient(emulator, WEBSHOP_ONLY);
    const error = await graphqlFailure(gql(`{
      a: repository(owner: "acme", name: "webshop") { nameWithOwner }
      b: repository(owner: "acme", name: "api") { nameWithOwner }
      c: repository(owner: "acme", name: "missing") { nameWithOwner }
      d: repository(owner: "acme", name: "docs") { nameWithOwner } }`));
    expect(error.data).toEqual({ a: { nameWithOwner: "acme/webshop" }, b: null, c: null, d: { nameWithOwner: "acme/docs" } });
    expect(error.errors?.map((e) => [e.path, e.message])).toEqual([
      [["b"], "Could not resolve to a Repository with the name 'acme/api'."],
      [["c"], "Could not resolve to a Repository with the name 'acme/missing'."],
    ]);
    const apiIssue = await octokitClient(emulator, CLASSIC).gql<{ repository: { issue: { id: string } } }>(
      '{ repository(owner: "acme", name: "api") { issue(number: 1) { id } } }');
    const node = await graphqlFailure(gql("query($id: ID!) { node(id: $id) { id } }", { id: apiIssue.repository.issue.id }));
    expect(node.errors?.[0]).toMatchObject({ type: "NOT_FOUND", path: ["node"] });
  });

  it("filters search results to what the key can see", async () => {
    type S = { search: { issueCount: number; nodes: Array<{ repository: { nameWithOwner: string } }> } };
    const q = '{ search(type: ISSUE, query: "is:issue", first: 100) { issueCount nodes { ... on Issue { repository { nameWithOwner } } } } }';
    const limited = await octokitClient(emulator, WEBSHOP_ONLY).gql<S>(q);
    const full = await octokitClient(emulator, CLASSIC).gql<S>(q);
    const repos = (s: S) => [...new Set(s.search.nodes.map((n) => n.repository.nameWithOwner))].sort();
    expect(repos(limited)).toEqual(["acme/docs", "acme/webshop", "mona/dotfiles"]);
    expect(repos(full)).toEqual(["acme/api", "acme/docs", "acme/webshop", "mona/dotfiles"]);
    expect(limited.search.issueCount).toBe(full.search.issueCount - Object.keys(SAMPLE.issues.api).length);
  });
});
