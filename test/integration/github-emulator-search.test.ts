import { startGitHubEmulator, seedSampleData, SAMPLE, type GitHubEmulator, type IssueOrPullRequestRecord } from "../../github-emulator";
import { octokitClient, SAMPLE_NOW } from "../../github-emulator/test-helpers";

// search(type: ISSUE) with GitHub's qualifiers over the sample data.

const KEY = "ghp_emulatorSearchKey0000000000000000001";
let emulator: GitHubEmulator;
const P = SAMPLE.pullRequests;
const W = SAMPLE.issues.webshop;

type Hit = { __typename: string; number: number; repository: { nameWithOwner: string } };
type Search = { search: { issueCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Hit[] } };

const SEARCH = `query($q: String!, $first: Int = 100, $after: String) {
  search(type: ISSUE, query: $q, first: $first, after: $after) {
    issueCount pageInfo { hasNextPage endCursor }
    nodes { __typename ... on Issue { number repository { nameWithOwner } } ... on PullRequest { number repository { nameWithOwner } } } } }`;

async function search(q: string, first = 100, after?: string): Promise<Search["search"]> {
  return (await octokitClient(emulator, KEY).gql<Search>(SEARCH, { q, first, after })).search;
}

/** "owner/name#N" of each hit, in the order returned. */
async function hits(q: string): Promise<string[]> {
  return (await search(q)).nodes.map((n) => `${n.repository.nameWithOwner}#${n.number}`);
}

/** The same, newest first (`sort:created-desc`) unless the query sorts: GitHub's own default is best match. */
const refs = (q: string) => hits(/(^|\s)sort:/.test(q) ? q : `${q} sort:created-desc`);

/** The same, computed straight from the store's records (newest first, as search orders by default). */
function expected(filter: (item: IssueOrPullRequestRecord, repo: string) => boolean): string[] {
  return emulator.store.allIssuesAndPullRequests()
    .map((item) => {
      const repo = emulator.store.repositoryById(item.repositoryId);
      return { item, name: repo ? `${repo.ownerLogin}/${repo.name}` : "" };
    })
    .filter(({ item, name }) => filter(item, name))
    .sort((a, b) => b.item.createdAt.getTime() - a.item.createdAt.getTime())
    .map(({ item, name }) => `${name}#${item.number}`);
}

const ws = (...numbers: number[]) => numbers.map((n) => `acme/webshop#${n}`);

beforeAll(async () => {
  emulator = await startGitHubEmulator({ keys: [{ token: KEY, login: "octocat", scopes: ["repo", "read:org"] }] });
  seedSampleData(emulator.store, { now: SAMPLE_NOW });
});
afterAll(() => emulator.close());

describe("search qualifiers", () => {
  it("scopes with repo:, org: and user:, and types with is:/type:", async () => {
    expect(await refs("repo:acme/webshop is:issue is:open label:bug"))
      .toEqual(ws(W.ghostCrash, W.sessionExpiry, W.loginPlusSign, W.safariCheckout));
    expect(await refs("org:acme type:pr is:open base:develop")).toEqual(["acme/api#6"]);
    expect(await refs("user:mona type:issue")).toEqual(["mona/dotfiles#1", "mona/dotfiles#2"]);
    expect(await refs("repo:acme/docs repo:mona/dotfiles is:pr")).toEqual(["mona/dotfiles#3"]); // several scopes: any of them
    const webshopPrs = await search("repo:acme/webshop is:pr");
    expect(webshopPrs.nodes.every((n) => n.__typename === "PullRequest")).toBe(true);
    expect(webshopPrs.issueCount).toBe(Object.keys(P).length);
  });

  it("filters by state: is:open/closed/merged/unmerged and state:", async () => {
    expect(await refs("repo:acme/webshop is:pr is:merged")).toEqual(ws(P.mergedThisWeek, P.mergedTwoWeeksAgo));
    expect(await refs("repo:acme/webshop is:pr is:closed")).toEqual(ws(P.mergedThisWeek, P.closedUnmerged, P.mergedTwoWeeksAgo));
    expect((await refs("repo:acme/webshop is:pr is:unmerged")).sort())
      .toEqual(ws(P.approvedPassing, P.changesRequestedAndApproved, P.reviewRequired, P.draft, P.conflicting, P.closedUnmerged, P.nullRollup).sort());
    expect(await refs("repo:acme/webshop is:issue state:closed")).toEqual(ws(W.searchFilters, W.aboutTypo, W.cartRounding));
  });

  it("ANDs label qualifiers, reads quoted labels and ORs comma-separated ones", async () => {
    expect(await refs('repo:acme/webshop label:"needs triage"')).toEqual(ws(W.ghostCrash, W.loginPlusSign));
    expect(await refs('org:acme label:bug label:"needs triage"')).toEqual(["acme/api#3", "acme/webshop#8", "acme/webshop#3"]);
    expect(await refs('repo:acme/webshop label:"good first issue",enhancement is:open'))
      .toEqual(ws(W.returnsPortal, W.loginA11y, W.darkMode));
    expect(await refs("repo:acme/webshop is:issue -label:bug is:open")).toEqual(ws(W.returnsPortal, W.loginA11y, W.darkMode));
  });

  it("filters by author, assignee and review state", async () => {
    expect(await refs("org:acme author:mona is:issue")).toEqual(expected((i, r) => r.startsWith("acme/") && i.__typename === "Issue" && i.authorLogin === "mona"));
    expect(await refs("assignee:alice is:open")).toEqual(["acme/api#7", "acme/webshop#123", "acme/webshop#1"]);
    expect(await refs("repo:acme/webshop review:changes_requested")).toEqual(ws(P.changesRequestedAndApproved));
    expect(await refs("repo:acme/webshop is:open review:approved")).toEqual(ws(P.approvedPassing, P.conflicting));
    expect(await refs("review-requested:dave")).toEqual(ws(P.reviewRequired));
    expect(await refs("team-review-requested:acme/backend")).toEqual(["acme/api#6"]);
    expect(await refs("repo:acme/webshop draft:true")).toEqual(ws(P.draft));
  });

  it("reads merged:, created: and updated: as GitHub's date ranges", async () => {
    expect(await refs("org:acme is:pr is:merged merged:>=2026-11-16")).toEqual(["acme/api#5", "acme/webshop#47"]);
    expect(await refs("org:acme is:pr merged:2026-11-01..2026-11-10")).toEqual(ws(P.mergedTwoWeeksAgo));
    expect(await refs("org:acme is:pr merged:<=2026-11-04")).toEqual(ws(P.mergedTwoWeeksAgo));
    expect(await refs("org:acme is:pr merged:<2026-11-04")).toEqual([]);
    expect(await refs("org:acme is:pr merged:2026-11-17")).toEqual(ws(P.mergedThisWeek));
    expect(await refs("created:>2026-11-15")).toEqual(expected((i) => i.createdAt >= new Date("2026-11-16T00:00:00Z")));
    expect(await refs("created:2026-11-01..2026-11-10")).toEqual(
      expected((i) => i.createdAt >= new Date("2026-11-01T00:00:00Z") && i.createdAt < new Date("2026-11-11T00:00:00Z")));
    expect(await refs("updated:<2026-10-01")).toEqual(expected((i) => i.updatedAt < new Date("2026-10-01T00:00:00Z")));
    expect(await refs("updated:<2026-10-01")).not.toHaveLength(0);
  });

  it("matches free words and quoted phrases in titles and bodies, case-insensitively, and sorts with sort:", async () => {
    const words = (t: string) => t.toLowerCase().includes("login");
    expect(await refs("LOGIN")).toEqual(expected((i) => words(i.title) || words(i.body)));
    expect(await refs('repo:acme/webshop "login page"')).toEqual(ws(W.loginA11y));
    expect(await refs("repo:acme/webshop login in:title is:issue")).toEqual(ws(W.loginA11y, W.loginPlusSign));
    const asc = await refs("repo:acme/webshop is:issue sort:created-asc");
    expect(asc).toEqual([...(await refs("repo:acme/webshop is:issue"))].reverse());
    expect(asc[0]).toBe(`acme/webshop#${W.safariCheckout}`);
    expect(await hits("repo:acme/webshop is:issue sort:created")).toEqual(await refs("repo:acme/webshop is:issue")); // desc unless -asc
  });

  it("orders by best match, not by date, when the query has no sort: (GitHub's REST search docs)", async () => {
    const q = "repo:acme/webshop is:issue";
    const best = await hits(q);
    expect(new Set(best)).toEqual(new Set(await refs(q)));
    expect(best).not.toEqual(await refs(q));
    expect(best).not.toEqual(await refs(`${q} sort:created-asc`));
    expect(best).not.toEqual(await refs(`${q} sort:updated-desc`));
    expect(await hits(q)).toEqual(best); // the same order every time
    // With words, the item that names them in its title comes first.
    expect((await hits("repo:acme/webshop is:issue login"))[0]).toMatch(/^acme\/webshop#/);
    const login = await hits("repo:acme/webshop is:issue login in:title");
    expect(new Set(login)).toEqual(new Set(ws(W.loginA11y, W.loginPlusSign)));
  });

  it("refuses more than 256 characters of text (qualifiers aside) and more than five AND/OR/NOT operators", async () => {
    const { gql } = octokitClient(emulator, KEY);
    const text = "a".repeat(256);
    await expect(search(`${text} repo:acme/webshop is:issue label:bug sort:created-desc`)).resolves.toBeDefined();
    await expect(gql(SEARCH, { q: `${text}b repo:acme/webshop` })).rejects.toMatchObject({ errors: [expect.objectContaining({ type: "UNPROCESSABLE", path: ["search"] })] });
    await expect(search("a OR b OR c OR d OR e OR f")).resolves.toBeDefined(); // five operators
    await expect(gql(SEARCH, { q: "a OR b OR c OR d OR e OR f AND g" })).rejects.toMatchObject({ errors: [expect.objectContaining({ message: expect.stringContaining("operators") })] });
  });
});

describe("search scope, paging and price", () => {
  it("searches every repository, other owners' too, when the query has no repo:, org: or user:", async () => {
    const found = await hits("is:pr is:merged merged:>=2026-11-10");
    expect(found).toContain("mona/dotfiles#3");
    expect(found).toContain("acme/webshop#47");
    const recorded = emulator.requests[emulator.requests.length - 1];
    expect(recorded.variables).toMatchObject({ q: "is:pr is:merged merged:>=2026-11-10" });
  });

  it("pages with opaque cursors and reports the full issueCount", async () => {
    const all = expected((_i, r) => r.startsWith("acme/"));
    const seen: string[] = [];
    let page = await search("org:acme sort:created-desc", 7);
    expect(page.issueCount).toBe(all.length);
    seen.push(...page.nodes.map((n) => `${n.repository.nameWithOwner}#${n.number}`));
    while (page.pageInfo.hasNextPage) {
      page = await search("org:acme sort:created-desc", 7, page.pageInfo.endCursor ?? undefined);
      seen.push(...page.nodes.map((n) => `${n.repository.nameWithOwner}#${n.number}`));
    }
    expect(seen).toEqual(all);
  });

  it("prices search like any connection: nested connections multiply", async () => {
    const { gql } = octokitClient(emulator, KEY);
    const data = await gql<{ rateLimit: { cost: number } }>(`{
      a: search(type: ISSUE, query: "org:acme", first: 100) { nodes { ... on Issue { comments(first: 100) { totalCount } labels(first: 100) { totalCount } } } }
      rateLimit { cost } }`);
    expect(data.rateLimit.cost).toBe(2); // 1 + 100 + 100 requests
    await gql('{ search(type: ISSUE, query: "org:acme", first: 5) { issueCount } }');
    expect(emulator.requests[emulator.requests.length - 1].cost).toBe(1);
  });

  it("reaches at most 1,000 results while issueCount counts them all", async () => {
    const big = await startGitHubEmulator({ keys: [{ token: KEY, login: "octocat", scopes: ["repo", "read:org"] }] });
    try {
      big.store.addRepository({ owner: "octocat", name: "busy" });
      for (let i = 0; i < 1005; i += 1) big.store.addIssue({ owner: "octocat", repo: "busy", title: `Issue ${i}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)) });
      const { gql } = octokitClient(big, KEY);
      let after: string | null = null;
      let count = 0;
      let pages = 0;
      for (;;) {
        const data: Search = await gql<Search>(SEARCH, { q: "repo:octocat/busy", first: 100, after });
        expect(data.search.issueCount).toBe(1005);
        count += data.search.nodes.length;
        pages += 1;
        if (!data.search.pageInfo.hasNextPage) break;
        after = data.search.pageInfo.endCursor;
      }
      expect(count).toBe(1000);
      expect(pages).toBe(10);
    } finally {
      await big.close();
    }
  });
});
