import { startGitHubEmulator, seedSampleData, SAMPLE, type EmulatorKey, type GitHubEmulator } from "../../github-emulator";
import { SAMPLE_NOW } from "../../github-emulator/test-helpers";

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { type?: string; message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

async function postGraphql(on: GitHubEmulator, token: string, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(on.graphqlUrl, { method: "POST", headers: { authorization: `bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer["body"] };
}

// What real keys carry (github-emulator/README.md, "Keys"): classic scopes, fine-grained permissions with
// one resource owner and granted repositories, pending approval, SAML SSO; and GitHub's partial answers,
// resource limits and secondary limits met by themselves. Raw HTTP, so every status and header shows.

const GUIDE = { issues: "write", pull_requests: "write", contents: "read", metadata: "read" } as const;
const KEYS = {
  repoOnly: { token: "ghp_keysRepoOnly000000000000000000000001", login: "mona", scopes: ["repo"] },
  repoOrg: { token: "ghp_keysRepoOrg0000000000000000000000002", login: "mona", scopes: ["repo", "read:org"] },
  publicOnly: { token: "ghp_keysPublicOnly0000000000000000000003", login: "mona", scopes: ["public_repo"] },
  stranger: { token: "ghp_keysStranger00000000000000000000004", login: "stranger", scopes: ["repo", "read:org"] },
  fine: { token: "github_pat_keysFine_0000000000000000000005", login: "mona", resourceOwner: "acme", permissions: GUIDE },
  fineMembers: { token: "github_pat_keysFineMembers_000000000000006", login: "mona", resourceOwner: "acme", permissions: { ...GUIDE, members: "read" } },
  fineOwn: { token: "github_pat_keysFineOwn_0000000000000000007", login: "mona", permissions: GUIDE },
  pending: { token: "github_pat_keysPending_0000000000000000008", login: "mona", resourceOwner: "acme", pendingApproval: true, permissions: GUIDE },
  oneRepo: { token: "github_pat_keysOneRepo_0000000000000000009", login: "mona", repositories: ["acme/webshop"], permissions: GUIDE },
  ssoNo: { token: "ghp_keysSsoNotAuthorised0000000000000010", login: "mona", scopes: ["repo", "read:org"] },
  ssoYes: { token: "ghp_keysSsoAuthorised000000000000000011", login: "mona", scopes: ["repo", "read:org"], ssoAuthorized: ["globex"] },
} satisfies Record<string, EmulatorKey>;

let emulator: GitHubEmulator;
const gql = (key: keyof typeof KEYS, query: string, variables?: Record<string, unknown>) => postGraphql(emulator, KEYS[key].token, query, variables);

beforeAll(async () => {
  emulator = await startGitHubEmulator({ keys: Object.values(KEYS) });
  seedSampleData(emulator.store, { now: SAMPLE_NOW });
  // globex enforces SAML SSO; mona works there too.
  emulator.store.addOrganization({ login: "globex", members: ["mona"], samlSso: true });
  emulator.store.addRepository({ owner: "globex", name: "portal", isPrivate: true });
  emulator.store.addIssue({ owner: "globex", repo: "portal", title: "Globex bug", labels: ["bug"] });
});
afterAll(() => emulator.close());

const REVIEWERS = `query($n: Int!) { repository(owner: "acme", name: "webshop") { pullRequest(number: $n) { title
  reviewRequests(first: 10) { nodes { requestedReviewer { __typename ... on User { login } ... on Team { slug } } } } } } }`;

describe("what a key sees of repositories", () => {
  const webshop = `{ repository(owner: "acme", name: "webshop") { name } }`;
  const docs = `{ repository(owner: "acme", name: "docs") { name } }`;

  it("a classic key reads private repositories only with `repo`, and never more than its user", async () => {
    expect((await gql("repoOnly", webshop)).body.data).toEqual({ repository: { name: "webshop" } });
    const publicOnly = await gql("publicOnly", webshop);
    expect(publicOnly.body.errors?.[0]).toMatchObject({ type: "NOT_FOUND", path: ["repository"] });
    expect((await gql("publicOnly", docs)).body.data).toEqual({ repository: { name: "docs" } });
    // The key has `repo`, but its user is not in acme: the private repository does not exist for it.
    expect((await gql("stranger", webshop)).body.errors?.[0]).toMatchObject({ type: "NOT_FOUND" });
  });

  it("a fine-grained key reaches only its resource owner's private repositories, and only granted ones", async () => {
    expect((await gql("fine", webshop)).body.data).toEqual({ repository: { name: "webshop" } });
    // Its resource owner is mona: acme's private repositories are out of reach, its public ones are not.
    expect((await gql("fineOwn", webshop)).body.errors?.[0]).toMatchObject({ type: "NOT_FOUND" });
    expect((await gql("fineOwn", docs)).body.data).toEqual({ repository: { name: "docs" } });
    // Granted one repository: the others answer NOT_FOUND, not FORBIDDEN.
    expect((await gql("oneRepo", webshop)).body.data).toEqual({ repository: { name: "webshop" } });
    const api = await gql("oneRepo", `{ repository(owner: "acme", name: "api") { name } }`);
    expect(api.body.errors?.[0]).toMatchObject({ type: "NOT_FOUND", message: "Could not resolve to a Repository with the name 'acme/api'." });
  });

  it("a fine-grained key awaiting approval reads public resources only, and writes nothing", async () => {
    expect((await gql("pending", `{ viewer { login } }`)).body.data).toEqual({ viewer: { login: "mona" } });
    expect((await gql("pending", webshop)).body.errors?.[0]).toMatchObject({ type: "NOT_FOUND" });
    const docsRepo = await gql("pending", `{ repository(owner: "acme", name: "docs") { id } }`);
    expect(docsRepo.body.data).toMatchObject({ repository: { id: expect.any(String) } });
    const create = await gql("pending", `mutation($id: ID!) { createIssue(input: { repositoryId: $id, title: "x" }) { issue { number } } }`,
      { id: (docsRepo.body.data as { repository: { id: string } }).repository.id });
    expect(create.body.errors?.[0]).toMatchObject({ type: "FORBIDDEN", path: ["createIssue"] });
  });
});

describe("teams are read through the organization", () => {
  it("without read:org (classic) or Members (fine-grained) a requested team is null with FORBIDDEN at its path, the rest answered", async () => {
    for (const key of ["repoOnly", "fine"] as const) {
      const r = await gql(key, REVIEWERS, { n: SAMPLE.pullRequests.reviewRequired });
      expect(r.status).toBe(200);
      const pr = (r.body.data as { repository: { pullRequest: { title: string; reviewRequests: { nodes: unknown[] } } } }).repository.pullRequest;
      expect(pr.title).toBe("Add a wishlist");
      expect(pr.reviewRequests.nodes).toEqual([{ requestedReviewer: { __typename: "User", login: "dave" } }, { requestedReviewer: null }]);
      expect(r.body.errors).toEqual([expect.objectContaining({
        type: "FORBIDDEN", message: "Resource not accessible by personal access token",
        path: ["repository", "pullRequest", "reviewRequests", "nodes", 1, "requestedReviewer"],
      })]);
    }
    expect((await gql("fine", REVIEWERS, { n: SAMPLE.pullRequests.reviewRequired })).headers.get("x-accepted-github-permissions")).toBe("members=read");
  });

  it("with read:org or Members the team is answered", async () => {
    for (const key of ["repoOrg", "fineMembers"] as const) {
      const r = await gql(key, REVIEWERS, { n: SAMPLE.pullRequests.reviewRequired });
      expect(r.body.errors).toBeUndefined();
      expect(JSON.stringify(r.body.data)).toContain(`"slug":"${SAMPLE.teams.frontend}"`);
    }
  });

  it("answers an enterprise team as EnterpriseTeam (GitHub's 2026 schema), which the 2025 schema cannot name", async () => {
    const r = await postGraphql(emulator, KEYS.repoOrg.token, `{ repository(owner: "acme", name: "api") { pullRequest(number: ${SAMPLE.otherPullRequests.apiEnterpriseReview}) {
      reviewRequests(first: 10) { nodes { requestedReviewer { __typename ... on User { login } ... on Team { slug } } } } } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(JSON.stringify(r.body.data)).toContain('{"requestedReviewer":{"__typename":"EnterpriseTeam"}}');
  });
});

describe("INSUFFICIENT_SCOPES and SAML SSO", () => {
  it("refuses a whole document selecting a field the classic key's scopes do not cover, with data null", async () => {
    const r = await gql("repoOnly", `{ viewer { login organizations(first: 10) { nodes { login } } } }`);
    expect(r.status).toBe(200);
    expect(r.body.data).toBeNull();
    expect(r.body.errors?.[0]).toMatchObject({
      type: "INSUFFICIENT_SCOPES",
      message: expect.stringContaining("The 'organizations' field requires one of the following scopes: ['read:org', 'write:org', 'admin:org', 'user'], but your token has only been granted the: ['repo'] scopes."),
    });
    expect((await gql("repoOrg", `{ viewer { organizations(first: 10) { nodes { login } } } }`)).body.errors).toBeUndefined();
    expect((await gql("fine", `{ organization(login: "acme") { name } }`)).body.errors).toBeUndefined(); // fine-grained keys have no scopes to check
  });

  it("refuses an SSO organization's resources to a key not authorised for it, with saml_failure and x-github-sso", async () => {
    const r = await gql("ssoNo", `{ viewer { login } repository(owner: "globex", name: "portal") { name } }`);
    expect(r.body.data).toEqual({ viewer: { login: "mona" }, repository: null });
    expect(r.body.errors?.[0]).toMatchObject({ type: "FORBIDDEN", path: ["repository"], extensions: { saml_failure: true }, message: expect.stringContaining("SAML enforcement") });
    expect(r.headers.get("x-github-sso")).toMatch(/^required; url=https:\/\/github\.com\/orgs\/globex\/sso\?authorization_request=/);
    expect((await gql("ssoYes", `{ repository(owner: "globex", name: "portal") { name } }`)).body.data).toEqual({ repository: { name: "portal" } });
  });

  it("leaves an SSO organization's items out of search, and names it by ID in REST lists", async () => {
    const count = async (key: keyof typeof KEYS) => (await gql(key, `{ search(type: ISSUE, query: "Globex bug", first: 5) { issueCount } }`)).body.data;
    expect(await count("ssoNo")).toEqual({ search: { issueCount: 0 } });
    expect(await count("ssoYes")).toEqual({ search: { issueCount: 1 } });
    const list = await fetch(`${emulator.url}/user/repos?per_page=100`, { headers: { authorization: `token ${KEYS.ssoNo.token}` } });
    const names = ((await list.json()) as { full_name: string }[]).map((r) => r.full_name);
    expect(names).toContain("acme/webshop");
    expect(names).not.toContain("globex/portal");
    expect(list.headers.get("x-github-sso")).toBe(`partial-results; organizations=${emulator.store.organization("globex")!.databaseId}`);
    const globexId = emulator.store.organization("globex")!.databaseId;
    const named = await fetch(`${emulator.url}/organizations?since=${globexId - 1}&per_page=1`, { headers: { authorization: `token ${KEYS.ssoNo.token}` } });
    expect(((await named.json()) as { login: string }[])[0].login).toBe("globex");
  });

  it("lists a fine-grained key's granted repositories in GET /user/repos", async () => {
    const list = await fetch(`${emulator.url}/user/repos?per_page=100`, { headers: { authorization: `token ${KEYS.oneRepo.token}` } });
    const repos = (await list.json()) as { full_name: string; private: boolean }[];
    expect(repos.filter((r) => r.private).map((r) => r.full_name)).toEqual(["acme/webshop"]);
    expect(list.headers.get("x-github-sso")).toBeNull();
  });
});

describe("limits GitHub applies by itself, not as injected faults", () => {
  it("answers a document past the resource limit with partial data and RESOURCE_LIMITS_EXCEEDED", async () => {
    const small = await startGitHubEmulator({ keys: [KEYS.repoOrg], resourceLimit: 40 });
    try {
      seedSampleData(small.store, { now: SAMPLE_NOW });
      const r = await postGraphql(small, KEYS.repoOrg.token, `{
        a: repository(owner: "acme", name: "webshop") { name }
        b: repository(owner: "acme", name: "webshop") { issue(number: 123) { comments(first: 100) { nodes { body } } } } }`);
      expect(r.status).toBe(200);
      // What was resolved before the budget ran out stays; the field past it is null (nodes is nullable).
      expect(r.body.data).toEqual({ a: { name: "webshop" }, b: { issue: { comments: { nodes: null } } } });
      expect(r.body.errors?.[0]).toMatchObject({ type: "RESOURCE_LIMITS_EXCEEDED", message: "Resource limits for this query exceeded.", path: ["b", "issue", "comments", "nodes"] });
    } finally {
      await small.close();
    }
  });

  it("refuses concurrent requests past the limit with a 403 secondary limit, without retry-after", async () => {
    const small = await startGitHubEmulator({ keys: [KEYS.repoOrg], secondaryLimits: { concurrent: 2 }, latencyMs: 0 });
    try {
      small.fail({ kind: "delay", ms: 300, times: 2 });
      const answers = await Promise.all([0, 1, 2].map(async (i) => {
        await new Promise((r) => setTimeout(r, i * 30));
        return postGraphql(small, KEYS.repoOrg.token, "{ viewer { login } }");
      }));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 403]);
      const refused = answers.find((a) => a.status === 403)!;
      expect(JSON.stringify(refused.body)).toContain("secondary rate limit");
      expect(refused.headers.get("retry-after")).toBeNull();
    } finally {
      await small.close();
    }
  });

  it("counts GraphQL points a minute (a mutation 5) and content creation, refusing what does not fit", async () => {
    const small = await startGitHubEmulator({ keys: [KEYS.repoOrg], secondaryLimits: { graphqlPointsPerMinute: 8, contentPerMinute: 1 } });
    try {
      seedSampleData(small.store, { now: SAMPLE_NOW });
      const id = ((await postGraphql(small, KEYS.repoOrg.token, `{ repository(owner: "acme", name: "webshop") { id } }`)).body.data as { repository: { id: string } }).repository.id;
      const create = (title: string) => postGraphql(small, KEYS.repoOrg.token, `mutation($id: ID!, $t: String!) { createIssue(input: { repositoryId: $id, title: $t }) { issue { number } } }`, { id, t: title });
      expect((await create("first")).body.errors).toBeUndefined(); // 1 + 5 points
      const second = await create("second"); // 11 points would pass 8: refused whole
      expect(second.status).toBe(403);
      expect(small.store.allIssuesAndPullRequests().some((i) => i.title === "second")).toBe(false);
    } finally {
      await small.close();
    }
    const content = await startGitHubEmulator({ keys: [KEYS.repoOrg], secondaryLimits: { contentPerMinute: 1 } });
    try {
      seedSampleData(content.store, { now: SAMPLE_NOW });
      const id = ((await postGraphql(content, KEYS.repoOrg.token, `{ repository(owner: "acme", name: "webshop") { id } }`)).body.data as { repository: { id: string } }).repository.id;
      const create = (title: string) => postGraphql(content, KEYS.repoOrg.token, `mutation($id: ID!, $t: String!) { createIssue(input: { repositoryId: $id, title: $t }) { issue { number } } }`, { id, t: title });
      expect((await create("one")).body.errors).toBeUndefined();
      const again = await create("two");
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ data: { createIssue: null }, errors: [{ type: "UNPROCESSABLE", path: ["createIssue"], message: "was submitted too quickly" }] });
      expect(content.store.allIssuesAndPullRequests().some((i) => i.title === "two")).toBe(false);
    } finally {
      await content.close();
    }
  });
});
