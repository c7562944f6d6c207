import { SAMPLE, seedSampleData, startGitHubEmulator, type GitHubEmulator } from "../../github-emulator";
import { classicKey, fineGrainedKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect } from "../support/operations";

// What real GitHub does that a gateway written from its own understanding gets wrong (fine-grained keys,
// partial answers, per-field refusals and the rest), each against the emulator, which follows GitHub's
// documents: github-emulator/README.md cites the one behind each behaviour.

const repoOnly = classicKey("mona", { scopes: ["repo"] });
const repoOrg = classicKey("mona", { scopes: ["repo", "read:org"] });
const fine = fineGrainedKey("mona", { resourceOwner: "acme", permissions: { issues: "write", pull_requests: "write", contents: "read", metadata: "read" } });
const W = SAMPLE.issues.webshop;

type Node = { number: number; createdAt: string; assignees: string[]; labels: string[] };
type Page = { totalCount: number; nodes: Node[] };

describe("the gateway on GitHub as it behaves", () => {
  let h: Harness;
  const tokens: Record<"repoOnly" | "repoOrg" | "fine", string> = { repoOnly: "", repoOrg: "", fine: "" };
  const graphqlSent = (mark: number) => h.emulator.requests.slice(mark).filter((r) => r.path.endsWith("graphql"));

  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [repoOnly, repoOrg, fine] });
    seedSampleData(h.emulator.store);
    for (const [tenant, key] of [["repoOnly", repoOnly], ["repoOrg", repoOrg], ["fine", fine]] as const) {
      const connected = await h.gql(await h.token(tenant, "admin"), Connect, { token: key.token });
      expect(connected.body.errors).toBeUndefined();
      tokens[tenant] = await h.token(tenant, "service");
    }
  });
  afterAll(() => h?.close());

  describe("1. issues(owner, repo) lists assigned issues too", () => {
    it("without an assignee argument: every open bug, assigned or not", async () => {
      const r = await h.gql<{ github: { issues: Page } }>(tokens.repoOrg, `{ github { issues(owner: "acme", repo: "webshop", states: [OPEN], labels: ["bug"], first: 50) {
        totalCount nodes { number assignees } } } }`);
      expect(r.body.errors).toBeUndefined();
      const repo = h.emulator.store.repository("acme", "webshop")!;
      const openBugs = h.emulator.store.issuesOf(repo.databaseId)
        .filter((i) => i.state === "OPEN" && i.labelIds.some((id) => h.emulator.store.labelById(id)?.name === "bug"));
      expect(r.body.data!.github.issues.nodes.map((n) => n.number).sort()).toEqual(openBugs.map((i) => i.number).sort());
      expect(r.body.data!.github.issues.nodes.some((n) => n.number === W.safariCheckout && n.assignees.includes("alice"))).toBe(true);
    });

    it("assignee `none` lists the unassigned ones, `*` the assigned ones", async () => {
      const list = async (assignee: string) => (await h.gql<{ github: { issues: Page } }>(tokens.repoOrg,
        `query($a: String) { github { issues(owner: "acme", repo: "webshop", states: [OPEN], assignee: $a, first: 50) { nodes { number assignees } } } }`, { a: assignee })).body.data!.github.issues.nodes;
      const none = await list("none");
      const any = await list("*");
      expect(none.length).toBeGreaterThan(0);
      expect(any.length).toBeGreaterThan(0);
      expect(none.every((n) => n.assignees.length === 0)).toBe(true);
      expect(any.every((n) => n.assignees.length > 0)).toBe(true);
    });
  });

  describe("2-3. review status with reviewers the key cannot see, and enterprise teams", () => {
    const STATUS = `query($owner: String!, $repo: String!, $n: Int!) { github { pullRequest(owner: $owner, repo: $repo, number: $n) {
      reviewStatus { pendingReviewers pendingReviews { reviewer kind } summary } } } }`;
    type Status = { github: { pullRequest: { reviewStatus: { pendingReviewers: string[]; pendingReviews: { reviewer: string | null; kind: string }[]; summary: string } } } };

    it("a team the key cannot read (no read:org, no Members) degrades to a team not visible to this key", async () => {
      for (const tenant of ["repoOnly", "fine"] as const) {
        const r = await h.gql<Status>(tokens[tenant], STATUS, { owner: "acme", repo: "webshop", n: SAMPLE.pullRequests.reviewRequired });
        expect(r.body.errors).toBeUndefined();
        const status = r.body.data!.github.pullRequest.reviewStatus;
        expect(status.pendingReviews).toEqual([{ reviewer: "dave", kind: "USER" }, { reviewer: null, kind: "HIDDEN" }]);
        expect(status.pendingReviewers).toEqual(["dave", "a team (not visible to this key)"]);
        expect(status.summary).toMatch(/^Waiting on @dave, a team \(not visible to this key\); checks pending\.$/);
      }
      const withOrg = await h.gql<Status>(tokens.repoOrg, STATUS, { owner: "acme", repo: "webshop", n: SAMPLE.pullRequests.reviewRequired });
      expect(withOrg.body.data!.github.pullRequest.reviewStatus.pendingReviews).toEqual([{ reviewer: "dave", kind: "USER" }, { reviewer: "frontend", kind: "TEAM" }]);
    });

    it("a search page (pullRequests with reviewStatus) with such a pull request answers whole", async () => {
      const r = await h.gql<{ github: { pullRequests: { nodes: { number: number; reviewStatus: { pendingReviewers: string[] } }[] } } }>(tokens.repoOnly,
        `{ github { pullRequests(owner: "acme", repo: "webshop", states: [OPEN], first: 50) { nodes { number reviewStatus { pendingReviewers } } } } }`);
      expect(r.body.errors).toBeUndefined();
      const wishlist = r.body.data!.github.pullRequests.nodes.find((p) => p.number === SAMPLE.pullRequests.reviewRequired);
      expect(wishlist?.reviewStatus.pendingReviewers).toContain("a team (not visible to this key)");
    });

    it("an enterprise team (GitHub's 2026 schema) is named as one, never @undefined or null", async () => {
      const r = await h.gql<Status>(tokens.repoOrg, STATUS, { owner: "acme", repo: "api", n: SAMPLE.otherPullRequests.apiEnterpriseReview });
      expect(r.body.errors).toBeUndefined();
      const status = r.body.data!.github.pullRequest.reviewStatus;
      expect(status.pendingReviews).toEqual([{ reviewer: null, kind: "ENTERPRISE_TEAM" }, { reviewer: "bob", kind: "USER" }]);
      expect(status.pendingReviewers).toEqual(["an enterprise team", "bob"]);
      expect(status.summary).toContain("Waiting on an enterprise team, @bob");
      expect(status.summary).not.toContain("undefined");
    });
  });

  describe("4. label names whatever their case", () => {
    it("creates with the repository's own spelling of a label, resolved in the one batched look-up", async () => {
      const mark = h.emulator.requests.length;
      const r = await h.gql<{ createGitHubIssue: { labels: string[] } }>(tokens.repoOrg,
        `mutation { createGitHubIssue(input: { owner: "acme", repo: "webshop", title: "Casing", labels: ["BUG", "Needs Triage"] }) { labels } }`);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.createGitHubIssue.labels.sort()).toEqual(["bug", "needs triage"]);
      expect(graphqlSent(mark).map((x) => (x.isMutation ? "mutation" : "lookup"))).toEqual(["lookup", "mutation"]);
    });

    it("lists with a label in another case", async () => {
      const r = await h.gql<{ github: { issues: Page } }>(tokens.repoOrg, `{ github { issues(owner: "acme", repo: "webshop", labels: ["Bug"], first: 50) { totalCount nodes { labels } } } }`);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.github.issues.totalCount).toBeGreaterThan(0);
      expect(r.body.data!.github.issues.nodes.every((n) => n.labels.includes("bug"))).toBe(true);
    });

    it("an unknown label is BAD_USER_INPUT naming it and the nearest names, and nothing is created", async () => {
      const before = h.emulator.store.allIssuesAndPullRequests().length;
      const r = await h.gql(tokens.repoOrg, `mutation { createGitHubIssue(input: { owner: "acme", repo: "webshop", title: "x", labels: ["bgu", "enhancement"] }) { number } }`);
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
      expect(r.body.errors![0].message).toMatch(/'bgu'.*acme\/webshop.*Did you mean 'bug'/);
      expect(r.body.errors![0].extensions).toMatchObject({ field: "labels", unknown: ["bgu"], suggestions: expect.arrayContaining(["bug"]) });
      expect(h.emulator.store.allIssuesAndPullRequests().length).toBe(before);
      const list = await h.gql(tokens.repoOrg, `{ github { issues(owner: "acme", repo: "webshop", labels: ["enhancment"]) { totalCount } } }`);
      expect(codeOf(list)).toBe("BAD_USER_INPUT");
      expect(list.body.errors![0].message).toContain("'enhancement'");
    });
  });

  describe("5. search results in a stated order", () => {
    const newestFirst = (nodes: { createdAt: string }[]) => nodes.every((n, i) => i === 0 || nodes[i - 1].createdAt >= n.createdAt);

    it("searchIssues and pullRequests come newest first unless the caller asks otherwise", async () => {
      const issues = await h.gql<{ github: { searchIssues: { nodes: { createdAt: string }[] } } }>(tokens.repoOrg, `{ github { searchIssues(query: "repo:acme/webshop", first: 50) { nodes { createdAt } } } }`);
      expect(issues.body.data!.github.searchIssues.nodes.length).toBeGreaterThan(3);
      expect(newestFirst(issues.body.data!.github.searchIssues.nodes)).toBe(true);
      const prs = await h.gql<{ github: { pullRequests: { nodes: { createdAt: string }[] } } }>(tokens.repoOrg, `{ github { pullRequests(owner: "acme", first: 50) { nodes { createdAt } } } }`);
      expect(newestFirst(prs.body.data!.github.pullRequests.nodes)).toBe(true);
      const oldest = await h.gql<{ github: { searchIssues: { nodes: { createdAt: string }[] } } }>(tokens.repoOrg, `{ github { searchIssues(query: "repo:acme/webshop", sort: OLDEST, first: 50) { nodes { createdAt } } } }`);
      expect(oldest.body.data!.github.searchIssues.nodes).toEqual([...issues.body.data!.github.searchIssues.nodes].reverse());
      const sent = h.emulator.requests.filter((r) => r.query?.includes("search(")).map((r) => String(r.variables?.q));
      expect(sent).toEqual(expect.arrayContaining([expect.stringContaining("sort:created-desc"), expect.stringContaining("sort:created-asc")]));
    });

    it("a query's own sort: qualifier is kept", async () => {
      const mark = h.emulator.requests.length;
      await h.gql(tokens.repoOrg, `{ github { searchIssues(query: "repo:acme/webshop sort:comments-desc", first: 5) { totalCount } } }`);
      const q = String(h.emulator.requests.slice(mark).find((r) => r.query?.includes("search("))?.variables?.q);
      expect(q).toContain("sort:comments-desc");
      expect(q).not.toContain("sort:created");
    });
  });

  describe("7. search text limits as GitHub counts them", () => {
    it("256 characters of text pass whatever the qualifiers; 257 or six operators are refused before sending", async () => {
      const text = "x".repeat(256);
      const ok = await h.gql(tokens.repoOrg, `query($q: String!) { github { searchIssues(query: $q) { totalCount } } }`, { q: `${text} repo:acme/webshop label:bug is:open` });
      expect(ok.body.errors).toBeUndefined();
      const code = await h.gql(tokens.repoOrg, `query($q: String!) { github { searchCode(query: $q, owner: "acme", repo: "webshop") { totalCount } } }`, { q: `login ${"y".repeat(250)}` });
      expect(code.body.errors).toBeUndefined();
      const mark = h.emulator.requests.length;
      const long = await h.gql(tokens.repoOrg, `query($q: String!) { github { searchIssues(query: $q) { totalCount } } }`, { q: `${text}x repo:acme/webshop` });
      expect(codeOf(long)).toBe("BAD_USER_INPUT");
      const operators = await h.gql(tokens.repoOrg, `query($q: String!) { github { searchCode(query: $q) { totalCount } } }`, { q: "a OR b OR c OR d OR e OR f NOT g" });
      expect(codeOf(operators)).toBe("BAD_USER_INPUT");
      expect(operators.body.errors![0].message).toContain("operators");
      expect(h.emulator.requests.length).toBe(mark);
    });
  });
});

describe("6. a batch GitHub finds too heavy is split and retried", () => {
  let emulator: GitHubEmulator;
  let h: Harness;
  const key = classicKey("mona", { scopes: ["repo", "read:org"] });

  beforeAll(async () => {
    emulator = await startGitHubEmulator({ keys: [key], resourceLimit: 900 });
    seedSampleData(emulator.store);
    for (let n = 0; n < 6; n += 1) {
      const issue = emulator.store.addIssue({ owner: "acme", repo: "docs", title: `Heavy ${n}` });
      for (let c = 0; c < 100; c += 1) emulator.store.addComment({ owner: "acme", repo: "docs", number: issue.number, body: `c${c}`, author: "bob" });
    }
    h = await startHarness({ database: "postgres", emulator });
    expect((await h.gql(await h.token("acme", "admin"), Connect, { token: key.token })).body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await h?.close();
    await emulator?.close();
  });

  it("every thread answers in full; the heavy document became smaller ones", async () => {
    const docs = h.emulator.store.repository("acme", "docs")!;
    const heavy = h.emulator.store.issuesOf(docs.databaseId).filter((i) => i.title.startsWith("Heavy "));
    const mark = h.emulator.requests.length;
    const r = await h.gql<{ github: { issueThreads: { title: string; comments: unknown[] }[] } }>(await h.token("acme", "service"),
      `query($refs: [GitHubItemRefInput!]!) { github { issueThreads(refs: $refs, maxComments: 100) { title comments { body } } } }`,
      { refs: heavy.map((i) => ({ owner: "acme", repo: "docs", number: i.number })) });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.github.issueThreads.map((t) => t.comments.length)).toEqual([100, 100, 100, 100, 100, 100]);
    const sent = h.emulator.requests.slice(mark).filter((x) => x.path.endsWith("graphql"));
    expect(sent.length).toBeGreaterThan(1); // the first document came back RESOURCE_LIMITS_EXCEEDED
    expect(sent.length).toBeLessThanOrEqual(2 * heavy.length - 1);
  });
});

describe("GitHub's content-creation limit, met by itself", () => {
  let emulator: GitHubEmulator;
  let h: Harness;
  const key = classicKey("mona", { scopes: ["repo", "read:org"] });

  beforeAll(async () => {
    emulator = await startGitHubEmulator({ keys: [key], secondaryLimits: { contentPerMinute: 1 } });
    seedSampleData(emulator.store);
    h = await startHarness({ database: "postgres", emulator });
    expect((await h.gql(await h.token("acme", "admin"), Connect, { token: key.token })).body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await h?.close();
    await emulator?.close();
  });

  it("answers GITHUB_RATE_LIMITED for creating, sends no more mutations for a minute, and keeps reading", async () => {
    const service = await h.token("acme", "service");
    const create = (title: string) => h.gql(service, `mutation($t: String!) { createGitHubIssue(input: { owner: "acme", repo: "webshop", title: $t }) { number } }`, { t: title });
    expect((await create("first")).body.errors).toBeUndefined();
    const refused = await create("second"); // GitHub: "was submitted too quickly" (cli/cli#4801)
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "GITHUB_RATE_LIMITED", reason: "CONTENT_CREATION", retryAfter: 60 });
    const mark = h.emulator.requests.length;
    expect(codeOf(await create("third"))).toBe("GITHUB_RATE_LIMITED"); // answered by the gateway itself
    expect(h.emulator.requests.slice(mark).filter((r) => r.isMutation)).toEqual([]);
    const read = await h.gql(service, `{ github { issue(owner: "acme", repo: "webshop", number: 1) { number } } }`);
    expect(read.body.errors).toBeUndefined();
    expect(h.emulator.store.allIssuesAndPullRequests().filter((i) => ["second", "third"].includes(i.title))).toEqual([]);
  });
});
