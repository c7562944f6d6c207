import { SAMPLE, seedSampleData } from "../../github-emulator/sample-data";
import { classicKey } from "../support/keys";
import { startHarness, type Harness } from "../support/harness";
import { Connect } from "../support/operations";
import {
  CreateIssueDocument,
  IssueThreadContextDocument,
  MergedPullRequestsThisWeekDocument,
  OpenBugIssuesDocument,
  PullRequestReviewStatusDocument,
  SearchCodeDocument,
} from "../support/generated/gateway-operations";

// mona is a member of acme and owns mona/dotfiles: the key sees acme's repositories and hers.
const key = classicKey("mona");
const { webshop } = SAMPLE.repos;

describe("the assistant's and the app builder's named operations, against the emulator's sample data", () => {
  let h: Harness;
  let service: string;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [key] });
    seedSampleData(h.emulator.store);
    // Another owner's bugs, which a search without a repository must never reach.
    h.emulator.store.addRepository({ owner: "globex", name: "portal" });
    h.emulator.store.addIssue({ owner: "globex", repo: "portal", title: "Globex bug", labels: ["bug"] });
    const connected = await h.gql(await h.token("acme", "admin"), Connect, { token: key.token });
    expect(connected.body.errors).toBeUndefined();
    service = await h.token("acme", "service", "assistant");
  });
  afterAll(() => h?.close());

  it("MergedPullRequestsThisWeek: the pull requests merged since Monday, across the key's repositories", async () => {
    const now = new Date();
    const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
    const r = await h.run(service, MergedPullRequestsThisWeekDocument, { since: monday.toISOString() });
    expect(r.body.errors).toBeUndefined();
    const found = r.body.data!.github.pullRequests.nodes.map((p) => `${p.repository}#${p.number}`);
    expect(found).toEqual(expect.arrayContaining([`acme/webshop#${SAMPLE.pullRequests.mergedThisWeek}`, `acme/api#${SAMPLE.otherPullRequests.apiMergedThisWeek}`]));
    expect(found).not.toContain(`acme/webshop#${SAMPLE.pullRequests.mergedTwoWeeksAgo}`);
    expect(r.body.data!.github.pullRequests.nodes.every((p) => p.mergedAt && new Date(p.mergedAt) >= monday)).toBe(true);
  });

  it("OpenBugIssues: open issues labelled bug, never outside the key's owners", async () => {
    const mark = h.emulator.requests.length;
    const r = await h.run(service, OpenBugIssuesDocument, {});
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data!.github.searchIssues.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((i) => i.labels.includes("bug"))).toBe(true);
    expect(nodes.every((i) => i.repository.startsWith("acme/") || i.repository.startsWith("mona/"))).toBe(true);
    const q = String(h.emulator.requests.slice(mark).find((x) => x.query?.includes("search("))?.variables?.q);
    expect(q).toContain("org:acme");
    expect(q).not.toContain("globex");
  });

  it("CreateIssue: title and label bug, label names resolved in one batched look-up", async () => {
    const mark = h.emulator.requests.length;
    const r = await h.run(service, CreateIssueDocument, {
      input: { owner: webshop.owner, repo: webshop.name, title: "Checkout button overlaps on small screens", body: "Seen on a phone.", labels: ["bug", "needs triage"] },
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.createGitHubIssue).toMatchObject({ repository: "acme/webshop", title: "Checkout button overlaps on small screens", labels: ["bug", "needs triage"] });
    const upstream = h.emulator.requests.slice(mark);
    expect(upstream.map((u) => (u.isMutation ? "mutation" : "lookup"))).toEqual(["lookup", "mutation"]);
    const unknown = await h.run(service, CreateIssueDocument, { input: { owner: webshop.owner, repo: webshop.name, title: "x", labels: ["no-such-label"] } });
    expect(unknown.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(unknown.body.errors?.[0].message).toContain("'no-such-label'");
  });

  it("PullRequestReviewStatus: a sentence an assistant can say, and its parts", async () => {
    const status = async (number: number) =>
      (await h.run(service, PullRequestReviewStatusDocument, { owner: webshop.owner, repo: webshop.name, number })).body.data!.github.pullRequest!.reviewStatus;
    const approved = await status(SAMPLE.pullRequests.approvedPassing);
    expect(approved.decision).toBe("APPROVED");
    expect(approved.summary).toMatch(/^Approved by @\w+; checks passing\.$/);
    const mixed = await status(SAMPLE.pullRequests.changesRequestedAndApproved);
    expect(mixed.summary).toContain("changes requested by @bob");
    expect(mixed.summary).toContain("@carol");
    const waiting = await status(SAMPLE.pullRequests.reviewRequired);
    expect(waiting.pendingReviewers).toEqual(expect.arrayContaining(["dave", "frontend"]));
    expect(waiting.summary).toMatch(/^Waiting on @dave, @frontend/);
    expect((await status(SAMPLE.pullRequests.draft)).isDraft).toBe(true);
    expect((await status(SAMPLE.pullRequests.conflicting)).summary).toContain("merge conflicts");
    expect((await status(SAMPLE.pullRequests.nullRollup)).checks).toBeNull();
  });

  it("SearchCode: files about login with the matched fragments and offsets", async () => {
    const r = await h.run(service, SearchCodeDocument, { query: "login", owner: webshop.owner, repo: webshop.name });
    expect(r.body.errors).toBeUndefined();
    const items = r.body.data!.github.searchCode.items;
    expect(items.map((i) => i.path)).toContain(SAMPLE.files.login.path);
    for (const item of items) {
      expect(item.repository).toBe("acme/webshop");
      for (const f of item.fragments) for (const m of f.matches) expect(f.fragment.slice(m.start, m.end).toLowerCase()).toBe(m.text.toLowerCase());
    }
    const tooLong = await h.run(service, SearchCodeDocument, { query: "a".repeat(300), owner: "acme", repo: "webshop" });
    expect(tooLong.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("IssueThreadContext: title, description and every comment, rendered without invisible characters", async () => {
    const { owner, repo, number, comments } = SAMPLE.manyComments;
    const mark = h.emulator.requests.length;
    const r = await h.run(service, IssueThreadContextDocument, { owner, repo, number });
    expect(r.body.errors).toBeUndefined();
    const t = r.body.data!.github.issueThread!;
    expect(t.totalComments).toBe(comments);
    expect(t.comments).toHaveLength(comments);
    expect(t.truncated).toBe(false);
    expect(t.body).toContain("\u202E"); // the raw body is faithful...
    expect(t.markdown).not.toMatch(/[\u200B\u202E\u202C]/); // ...the rendering for an LLM is not fooled
    expect(t.markdown).toContain("```ts");
    expect(t.markdown).toContain(`## Comments (${comments} of ${comments})`);
    expect(h.emulator.requests.length - mark).toBe(3); // 100 + 100 + 50 comments
    const capped = await h.run(service, IssueThreadContextDocument, { owner, repo, number, maxComments: 120 });
    expect(capped.body.data!.github.issueThread).toMatchObject({ truncated: true, totalComments: comments });
    expect(capped.body.data!.github.issueThread!.comments).toHaveLength(120);
  });

  it("issueThreads: several threads' first pages in one upstream document; a missing one is null beside the others", async () => {
    const { webshop: w, docs: d } = SAMPLE.issues;
    const mark = h.emulator.requests.length;
    const r = await h.gql<{ github: { issueThreads: ({ title: string; totalComments: number } | null)[] } }>(
      service,
      `query($refs: [GitHubItemRefInput!]!) { github { issueThreads(refs: $refs) { title totalComments } } }`,
      { refs: [{ owner: "acme", repo: "webshop", number: w.darkMode }, { owner: "acme", repo: "docs", number: d.faqPage }, { owner: "acme", repo: "docs", number: 999 }] },
    );
    const threads = r.body.data!.github.issueThreads;
    expect(threads[0]?.title).toBeDefined();
    expect(threads[1]?.title).toBeDefined();
    expect(threads[2]).toBeNull();
    expect(r.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["github", "issueThreads", 2], "GITHUB_NOT_FOUND"]]);
    expect(h.emulator.requests.length - mark).toBe(1);
  });

  it("every document the gateway sent in this file passed GitHub's schema validation", () => {
    const graphql = h.emulator.requests.filter((r) => r.path.endsWith("/graphql"));
    expect(graphql.length).toBeGreaterThan(10);
    // The emulator prices a document only once it validated; a refused one has no cost.
    expect(graphql.filter((r) => r.cost === undefined)).toEqual([]);
  });
});
