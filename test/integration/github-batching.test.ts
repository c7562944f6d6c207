import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect, Toggle } from "../support/operations";

const key = classicKey("acme-bot");
const REPOS = ["webshop", "api", "docs", "infra", "mobile"];
type Issue = { number: number; title: string; repository: string } | null;

describe("the github namespace batches look-ups through DataLoader", () => {
  let h: Harness;
  let token: string;
  const prs: Record<string, number> = {};
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [key] });
    const s = h.emulator.store;
    for (const repo of REPOS) {
      s.addRepository({ owner: "acme", name: repo });
      for (let i = 0; i < 10; i++) s.addIssue({ owner: "acme", repo, title: `${repo} issue ${i}`, labels: i % 3 === 0 ? ["bug"] : [] });
    }
    prs.approved = s.addPullRequest({ owner: "acme", repo: "webshop", title: "Approved", reviewDecision: "APPROVED", checkState: "SUCCESS" }).number;
    prs.failing = s.addPullRequest({ owner: "acme", repo: "api", title: "Failing", reviewDecision: "REVIEW_REQUIRED", checkState: "FAILURE" }).number;
    const admin = await h.token("acme", "admin");
    expect((await h.gql(admin, Connect, { token: key.token })).body.errors).toBeUndefined();
    token = await h.token("acme", "service", "assistant");
  });
  afterAll(() => h?.close());

  const upstreamSince = (mark: number) => h.emulator.requests.slice(mark).filter((r) => r.path.endsWith("/graphql"));

  it("an item's connections are asked of GitHub only when the query selects a field that needs them, however it is spelled", async () => {
    const sent = async (query: string) => {
      const mark = h.emulator.requests.length;
      const r = await h.gql(token, query);
      expect(r.body.errors).toBeUndefined();
      return upstreamSince(mark).map((u) => u.query ?? "").join("\n");
    };
    const core = await sent(`{ github { issue(owner: "acme", repo: "webshop", number: 1) { title } pullRequest(owner: "acme", repo: "api", number: ${prs.failing}) { title mergedAt } } }`);
    expect(core).not.toMatch(/labels\(|assignees\(|latestReviews\(|reviewRequests\(/);
    // Through a named fragment, an inline fragment, and a list's nodes: each reaches a field marked as needing connections.
    const viaFragment = await sent(`query { github { issue(owner: "acme", repo: "webshop", number: 2) { ...Names } } } fragment Names on GitHubIssue { title labels }`);
    expect(viaFragment).toMatch(/labels\(/);
    const viaInline = await sent(`{ github { pullRequest(owner: "acme", repo: "api", number: ${prs.failing}) { ... on GitHubPullRequest { reviewStatus { decision } } } } }`);
    expect(viaInline).toMatch(/latestReviews\(/);
    const viaNodes = await sent(`{ github { searchIssues(query: "repo:acme/webshop", first: 2) { nodes { title assignees } } } }`);
    expect(viaNodes).toMatch(/assignees\(/);
    const listCore = await sent(`{ github { searchIssues(query: "repo:acme/webshop", first: 2) { totalCount nodes { title } } } }`);
    expect(listCore).not.toMatch(/labels\(|assignees\(/);
  });

  it("50 issue look-ups across 5 repositories reach GitHub as at most 2 upstream requests", async () => {
    const fields = REPOS.flatMap((repo) =>
      Array.from({ length: 10 }, (_, i) => `${repo.replace(/\W/g, "")}${i}: issue(owner: "acme", repo: "${repo}", number: ${i + 1}) { number title repository labels }`),
    );
    const mark = h.emulator.requests.length;
    const r = await h.gql<{ github: Record<string, Issue> }>(token, `{ github { ${fields.join(" ")} } }`);
    expect(r.body.errors).toBeUndefined();
    const issues = Object.values(r.body.data!.github);
    expect(issues).toHaveLength(50);
    expect(issues.every((i) => i && i.title.endsWith(`issue ${i.number - 1}`))).toBe(true);
    const upstream = upstreamSince(mark);
    expect(upstream.length).toBeLessThanOrEqual(2);
    expect(upstream.every((u) => u.status === 200 && u.cost !== undefined)).toBe(true);
  });

  it("a mixed request (issues, pull requests with review status, the rate limit) likewise", async () => {
    const mark = h.emulator.requests.length;
    const r = await h.gql<{ github: { a: Issue; b: Issue; p: { reviewStatus: { decision: string; checks: string; summary: string } }; q: { reviewStatus: { summary: string } }; rateLimit: { remaining: number; cost: number } } }>(
      token,
      `{ github {
          a: issue(owner: "acme", repo: "webshop", number: 1) { number title }
          b: issue(owner: "acme", repo: "docs", number: 2) { number title }
          p: pullRequest(owner: "acme", repo: "webshop", number: ${prs.approved}) { title reviewStatus { decision checks mergeable isDraft summary } }
          q: pullRequest(owner: "acme", repo: "api", number: ${prs.failing}) { reviewStatus { summary } }
          rateLimit { cost remaining limit resetAt }
      } }`,
    );
    expect(r.body.errors).toBeUndefined();
    const g = r.body.data!.github;
    expect(g.p.reviewStatus).toMatchObject({ decision: "APPROVED", checks: "SUCCESS" });
    expect(g.p.reviewStatus.summary).toMatch(/checks passing/);
    expect(g.q.reviewStatus.summary).toMatch(/checks failing/);
    expect(g.rateLimit.remaining).toBeGreaterThan(0);
    expect(g.rateLimit.cost).toBeGreaterThanOrEqual(1);
    expect(upstreamSince(mark)).toHaveLength(1);
  });

  it("one missing issue among 20 is null with GITHUB_NOT_FOUND at its path; the other 19 resolve", async () => {
    const fields = Array.from({ length: 20 }, (_, i) => `i${i}: issue(owner: "acme", repo: "webshop", number: ${i === 7 ? 999 : (i % 10) + 1}) { number }`);
    const r = await h.gql<{ github: Record<string, Issue> }>(token, `{ github { ${fields.join(" ")} } }`);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]).toMatchObject({ path: ["github", "i7"], extensions: { code: "GITHUB_NOT_FOUND" } });
    const values = r.body.data!.github;
    expect(values.i7).toBeNull();
    expect(Object.entries(values).filter(([k, v]) => k !== "i7" && v !== null)).toHaveLength(19);
  });

  it("a pull request's number asked for as an issue is not found, beside a missing repository", async () => {
    const r = await h.gql<{ github: Record<string, Issue> }>(
      token,
      `{ github { a: issue(owner: "acme", repo: "webshop", number: ${prs.approved}) { number } b: issue(owner: "acme", repo: "nope", number: 1) { number } c: issue(owner: "acme", repo: "api", number: 1) { number } } }`,
    );
    expect(r.body.errors?.map((e) => [e.path?.[1], e.extensions?.code]).sort()).toEqual([["a", "GITHUB_NOT_FOUND"], ["b", "GITHUB_NOT_FOUND"]]);
    expect(r.body.data?.github.c?.number).toBe(1);
  });

  it("owner, repository and search text with quotes, braces and newlines reach GitHub only as variables", async () => {
    const hostile = `acme") { viewer { login } }\n#{"`;
    const mark = h.emulator.requests.length;
    const r = await h.gql(token, `query($o: String!, $q: String!) { github { issue(owner: $o, repo: $o, number: 1) { number } searchIssues(query: $q) { totalCount } } }`, { o: hostile, q: `${hostile} repo:acme/webshop` });
    expect(codeOf(r)).toBe("GITHUB_NOT_FOUND");
    const upstream = upstreamSince(mark);
    expect(upstream.length).toBeGreaterThan(0);
    for (const u of upstream) {
      expect(u.query).not.toContain(hostile);
      expect(u.cost).toBeDefined(); // validated against GitHub's schema, or it would have no cost
    }
    expect(upstream.some((u) => Object.values(u.variables ?? {}).some((v) => String(v).includes(hostile)))).toBe(true);
  });

  it("while the integration is inactive nothing is sent upstream", async () => {
    const admin = await h.token("acme", "admin");
    await h.gql(admin, Toggle, { active: false });
    try {
      const mark = h.emulator.requests.length;
      const r = await h.gql(token, `{ github { issue(owner: "acme", repo: "webshop", number: 1) { number } } }`);
      expect(codeOf(r)).toBe("INTEGRATION_INACTIVE");
      expect(h.emulator.requests.length).toBe(mark);
    } finally {
      await h.gql(admin, Toggle, { active: true });
    }
  });
});
