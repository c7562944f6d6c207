import { SAMPLE, seedSampleData } from "../../github-emulator/sample-data";
import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect } from "../support/operations";

const key = classicKey("mona");
type Page<T> = { totalCount: number; nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

describe("lists and filters in the github namespace", () => {
  let h: Harness;
  let service: string;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [key] });
    seedSampleData(h.emulator.store);
    expect((await h.gql(await h.token("acme", "admin"), Connect, { token: key.token })).body.errors).toBeUndefined();
    service = await h.token("acme", "service");
  });
  afterAll(() => h?.close());

  it("issues: a repository's open bugs, newest first, page by page with cursors", async () => {
    const q = `query($after: String) { github { issues(owner: "acme", repo: "webshop", states: [OPEN], labels: ["bug"], first: 1, after: $after) {
      totalCount nodes { number state labels } pageInfo { hasNextPage endCursor } } } }`;
    const seen: number[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 10; page++) {
      const r: { body: { data?: { github: { issues: Page<{ number: number; state: string; labels: string[] }> } } | null } } = await h.gql(service, q, { after });
      const issues = r.body.data!.github.issues;
      total = issues.totalCount;
      for (const i of issues.nodes) {
        expect(i.state).toBe("OPEN");
        expect(i.labels).toContain("bug");
        seen.push(i.number);
      }
      if (!issues.pageInfo.hasNextPage) break;
      after = issues.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(1); // more than one page
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it("issues in a repository the key cannot see: GITHUB_NOT_FOUND", async () => {
    expect(codeOf(await h.gql(service, `{ github { issues(owner: "acme", repo: "secret-plans") { totalCount } } }`))).toBe("GITHUB_NOT_FOUND");
  });

  it("pullRequests by base branch and by author", async () => {
    const byBase = await h.gql<{ github: { pullRequests: Page<{ number: number; baseRefName: string }> } }>(
      service,
      `{ github { pullRequests(owner: "acme", repo: "api", base: "develop") { nodes { number baseRefName } } } }`,
    );
    expect(byBase.body.data?.github.pullRequests.nodes).toEqual([{ number: SAMPLE.otherPullRequests.apiDevelop, baseRefName: "develop" }]);
    const byAuthor = await h.gql<{ github: { pullRequests: Page<{ author: string }> } }>(
      service,
      `{ github { pullRequests(owner: "acme", author: "bob", states: [OPEN]) { nodes { author } } } }`,
    );
    expect(byAuthor.body.data!.github.pullRequests.nodes.length).toBeGreaterThan(0);
    expect(byAuthor.body.data!.github.pullRequests.nodes.every((p) => p.author === "bob")).toBe(true);
  });

  it("pullRequests merged in a window, closed-unmerged ones left out", async () => {
    const now = Date.now();
    const r = await h.gql<{ github: { pullRequests: Page<{ number: number; state: string }> } }>(
      service,
      `query($since: DateTime!, $until: DateTime!) { github { pullRequests(owner: "acme", repo: "webshop", mergedSince: $since, mergedUntil: $until) { nodes { number state } } } }`,
      { since: new Date(now - 20 * 86400_000).toISOString(), until: new Date(now + 86400_000).toISOString() },
    );
    const numbers = r.body.data!.github.pullRequests.nodes.map((p) => p.number).sort();
    expect(numbers).toEqual([SAMPLE.pullRequests.mergedThisWeek, SAMPLE.pullRequests.mergedTwoWeeksAgo].sort());
    expect(r.body.data!.github.pullRequests.nodes.every((p) => p.state === "MERGED")).toBe(true);
  });

  it("issueThread links the pull request that closes an issue", async () => {
    const r = await h.gql<{ github: { issueThread: { linkedPullRequests: { number: number }[]; markdown: string } } }>(
      service,
      `{ github { issueThread(owner: "acme", repo: "webshop", number: ${SAMPLE.issues.webshop.loginPlusSign}) { linkedPullRequests { number } markdown } } }`,
    );
    expect(r.body.data?.github.issueThread.linkedPullRequests).toEqual([{ number: SAMPLE.pullRequests.approvedPassing }]);
    expect(r.body.data?.github.issueThread.markdown).toContain(`Linked pull requests: #${SAMPLE.pullRequests.approvedPassing}`);
  });

  it("a page size outside 1..100 is BAD_USER_INPUT before anything is sent", async () => {
    const mark = h.emulator.requests.length;
    expect(codeOf(await h.gql(service, `{ github { searchIssues(query: "bug", first: 500) { totalCount } } }`))).toBe("BAD_USER_INPUT");
    expect(h.emulator.requests.length).toBe(mark);
  });
});
