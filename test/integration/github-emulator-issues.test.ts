import { startGitHubEmulator, seedSampleData, SAMPLE, RETURNS_PORTAL_BODY, type GitHubEmulator } from "../../github-emulator";
import { gitHubSchema } from "../../github-emulator/github-schema";
import { resolvers } from "../../github-emulator/resolvers";
import { graphqlFailure, octokitClient, postGraphql, SAMPLE_NOW } from "../../github-emulator/test-helpers";

// Issues, pull requests and their review state over the sample data, through @octokit/graphql.

const KEY = "ghp_emulatorIssuesKey0000000000000000001";
let emulator: GitHubEmulator;
const gql = () => octokitClient(emulator, KEY).gql;
const P = SAMPLE.pullRequests;
const W = SAMPLE.issues.webshop;

beforeAll(async () => {
  emulator = await startGitHubEmulator({ keys: [{ token: KEY, login: "octocat", scopes: ["repo", "read:org"] }] });
  seedSampleData(emulator.store, { now: SAMPLE_NOW });
});
afterAll(() => emulator.close());

describe("resolver map", () => {
  it("only names types and fields that exist in GitHub's schema", () => {
    const schema = gitHubSchema();
    const unknown: string[] = [];
    for (const [typeName, fields] of Object.entries(resolvers)) {
      const type = schema.getType(typeName);
      const known = type && "getFields" in type ? type.getFields() : {};
      for (const field of Object.keys(fields)) if (!(field in known)) unknown.push(`${typeName}.${field}`);
    }
    expect(unknown).toEqual([]);
  });
});

describe("look-ups by number", () => {
  it("answers a missing issue, a pull request's number and a missing repository with NOT_FOUND at their alias paths beside the data", async () => {
    const query = `{
      r0: repository(owner: "acme", name: "webshop") {
        nameWithOwner
        i0: issue(number: ${W.safariCheckout}) { title }
        i1: issue(number: 9999) { title }
        i2: issue(number: ${P.approvedPassing}) { title }
        p0: pullRequest(number: ${W.darkMode}) { title }
      }
      gone: repository(owner: "acme", name: "nope") { id }
    }`;
    const error = await graphqlFailure(gql()(query));
    expect(error.data).toEqual({
      r0: { nameWithOwner: "acme/webshop", i0: { title: "Checkout button unresponsive on Safari" }, i1: null, i2: null, p0: null },
      gone: null,
    });
    const errors = (error.errors ?? []).map((e) => ({ type: (e as { type?: string }).type, path: e.path, message: e.message }));
    expect(errors).toEqual(expect.arrayContaining([
      { type: "NOT_FOUND", path: ["r0", "i1"], message: "Could not resolve to an Issue with the number of 9999." },
      { type: "NOT_FOUND", path: ["r0", "i2"], message: `Could not resolve to an Issue with the number of ${P.approvedPassing}.` },
      { type: "NOT_FOUND", path: ["r0", "p0"], message: `Could not resolve to a PullRequest with the number of ${W.darkMode}.` },
      { type: "NOT_FOUND", path: ["gone"], message: "Could not resolve to a Repository with the name 'acme/nope'." },
    ]));
    expect(errors).toHaveLength(4);
    expect(emulator.requests[emulator.requests.length - 1].cost).toBe(1);
  });

  it("resolves issueOrPullRequest to either type, and NOT_FOUND for a free number", async () => {
    const raw = await postGraphql(emulator, { query: `{ repository(owner: "acme", name: "webshop") {
      a: issueOrPullRequest(number: ${W.aboutTypo}) { __typename ... on Issue { state stateReason } }
      b: issueOrPullRequest(number: ${P.mergedThisWeek}) { __typename ... on PullRequest { merged mergedAt } }
      c: issueOrPullRequest(number: 777) { __typename } } }` }, KEY);
    expect(raw.json.data).toEqual({ repository: {
      a: { __typename: "Issue", state: "CLOSED", stateReason: "NOT_PLANNED" },
      b: { __typename: "PullRequest", merged: true, mergedAt: "2026-11-17T12:00:00Z" },
      c: null,
    } });
    expect(raw.json.errors).toEqual([expect.objectContaining({ type: "NOT_FOUND", path: ["repository", "c"] })]);
  });
});

describe("issues", () => {
  type Comments = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ id: string; databaseId: number; body: string; author: { login: string }; createdAt: string; url: string }> };
  type Issue123 = { repository: { issue: {
    id: string; number: number; title: string; body: string; bodyText: string; url: string; state: string; closed: boolean;
    author: { __typename: string; login: string }; labels: { totalCount: number; nodes: Array<{ name: string; color: string }> };
    assignees: { nodes: Array<{ login: string }> }; repository: { nameWithOwner: string }; comments: Comments;
  } } };

  it("serves an issue with its body as written and its 250 comments over three opaque-cursor pages", async () => {
    const query = `query($after: String) { repository(owner: "acme", name: "webshop") { issue(number: ${W.returnsPortal}) {
      id number title body bodyText url state closed author { __typename login }
      labels(first: 10) { totalCount nodes { name color } } assignees(first: 10) { nodes { login } } repository { nameWithOwner }
      comments(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id databaseId body author { login } createdAt url } } } } }`;
    const first = await gql()<Issue123>(query);
    const issue = first.repository.issue;
    expect(issue).toMatchObject({
      number: 123, title: "Returns portal", body: RETURNS_PORTAL_BODY, url: "https://github.com/acme/webshop/issues/123",
      state: "OPEN", closed: false, author: { __typename: "User", login: "mona" }, repository: { nameWithOwner: "acme/webshop" },
      labels: { totalCount: 1, nodes: [{ name: "enhancement", color: "a2eeef" }] }, assignees: { nodes: [{ login: "alice" }, { login: "bob" }] },
    });
    expect(issue.id).toMatch(/^I_/);
    expect(issue.body).toContain("\u200B");
    expect(issue.body).toContain("\u202E");
    expect(issue.body).toContain("```ts");
    expect(issue.bodyText).not.toContain("```");
    expect(issue.bodyText).toContain("export async function requestReturn");
    const comments = [...issue.comments.nodes];
    let page = issue.comments;
    const cursors: string[] = [];
    while (page.pageInfo.hasNextPage) {
      cursors.push(page.pageInfo.endCursor ?? "");
      page = (await gql()<Issue123>(query, { after: page.pageInfo.endCursor })).repository.issue.comments;
      comments.push(...page.nodes);
    }
    expect(cursors).toHaveLength(2);
    expect(cursors.every((c) => !/^\d+$/.test(c))).toBe(true);
    expect(issue.comments.totalCount).toBe(250);
    expect(comments).toHaveLength(250);
    expect(new Set(comments.map((c) => c.id)).size).toBe(250);
    expect(comments[0]).toMatchObject({ body: "Comment 1 of 250: +1", url: `https://github.com/acme/webshop/issues/123#issuecomment-${comments[0].databaseId}` });
    expect(comments[249].body).toBe("Comment 250 of 250: label printing needs a **PDF** export");
    expect(comments.map((c) => c.createdAt)).toEqual([...comments.map((c) => c.createdAt)].sort());
  });

  it("answers a deleted author with null, and lists the pull requests that close an issue", async () => {
    const data = await gql()<{ repository: { ghost: { author: null }; fixed: { closedByPullRequestsReferences: { nodes: Array<{ number: number }> } } } }>(`{
      repository(owner: "acme", name: "webshop") {
        ghost: issue(number: ${W.ghostCrash}) { author { login } }
        fixed: issue(number: ${W.loginPlusSign}) { closedByPullRequestsReferences(first: 5) { nodes { number } } } } }`);
    expect(data.repository.ghost.author).toBeNull();
    expect(data.repository.fixed.closedByPullRequestsReferences.nodes).toEqual([{ number: P.approvedPassing }]);
  });

  it("filters and orders Repository.issues by states, labels (any of, exact case), filterBy and orderBy", async () => {
    type Numbers = { totalCount: number; nodes: Array<{ number: number }> };
    const data = await gql()<{ repository: Record<string, Numbers> }>(`{ repository(owner: "acme", name: "webshop") {
      openBugs: issues(first: 20, states: OPEN, labels: ["bug"]) { totalCount nodes { number } }
      anyLabel: issues(first: 20, labels: ["needs triage", "good first issue"]) { totalCount nodes { number } }
      otherCase: issues(first: 20, labels: ["Needs Triage", "BUG"]) { totalCount nodes { number } }
      filterCase: issues(first: 20, filterBy: { labels: ["Bug"] }) { totalCount nodes { number } }
      alice: issues(first: 20, filterBy: { assignee: "alice", states: [OPEN] }) { totalCount nodes { number } }
      unassigned: issues(first: 20, filterBy: { assignee: null, states: [OPEN] }) { totalCount nodes { number } }
      byMona: issues(first: 20, filterBy: { createdBy: "mona" }, orderBy: { field: CREATED_AT, direction: DESC }) { totalCount nodes { number } }
      recent: issues(first: 20, filterBy: { since: "2026-11-01T00:00:00Z" }) { totalCount nodes { number } }
      count: issues { totalCount } } }`);
    const numbers = (key: string) => data.repository[key].nodes.map((n) => n.number);
    expect(numbers("openBugs")).toEqual([W.safariCheckout, W.loginPlusSign, W.sessionExpiry, W.ghostCrash]);
    expect(numbers("anyLabel")).toEqual([W.loginPlusSign, W.aboutTypo, W.loginA11y, W.ghostCrash]);
    // GitHub compares label names in these filters exactly (cli/cli#1819): another case finds nothing.
    expect(data.repository.otherCase.totalCount).toBe(0);
    expect(data.repository.filterCase.totalCount).toBe(0);
    expect(numbers("alice")).toEqual([W.safariCheckout, W.returnsPortal]);
    expect(numbers("unassigned")).toEqual([W.darkMode, W.sessionExpiry, W.ghostCrash]);
    expect(numbers("byMona")).toEqual([W.returnsPortal, W.sessionExpiry, W.safariCheckout]);
    expect(numbers("recent")).toEqual([W.searchFilters]); // created 16 days before SAMPLE_NOW, closed 3 days before
    expect(data.repository.count.totalCount).toBe(Object.keys(W).length);
  });

  it("filters pull requests by state and branch, and serves labels, assignable users and the owner", async () => {
    const data = await gql()<{ repository: Record<string, unknown> }>(`{ repository(owner: "acme", name: "api") {
      owner { __typename login }
      develop: pullRequests(first: 10, baseRefName: "develop") { nodes { number headRefName } }
      merged: pullRequests(first: 10, states: MERGED) { nodes { number } }
      label(name: "needs triage") { name color }
      otherCase: label(name: "Needs Triage") { name }
      nope: label(name: "wontfix") { name }
      triage: labels(first: 10, query: "TRIAGE") { nodes { name } }
      assignableUsers(first: 10, query: "AL") { nodes { login } } } }`);
    expect(data.repository).toEqual({
      owner: { __typename: "Organization", login: "acme" },
      develop: { nodes: [{ number: SAMPLE.otherPullRequests.apiDevelop, headRefName: "session-store" }] },
      merged: { nodes: [{ number: SAMPLE.otherPullRequests.apiMergedThisWeek }] },
      label: { name: "needs triage", color: "fbca04" },
      otherCase: null, // label(name:) is exact, and answers null without an error (git-bug#176)
      nope: null,
      triage: { nodes: [{ name: "needs triage" }] }, // labels(query:) is not
      assignableUsers: { nodes: [{ login: "alice" }] },
    });
  });
});

describe("pull request review state", () => {
  const FIELDS = `fragment F on PullRequest {
    number state merged mergedAt isDraft mergeable mergeStateStatus reviewDecision additions deletions changedFiles headRefName baseRefName
    reviews(first: 10) { nodes { author { login } state submittedAt } }
    approvals: reviews(first: 10, states: [APPROVED]) { totalCount }
    latestReviews(first: 10) { nodes { author { login } state } }
    latestOpinionatedReviews(first: 10) { nodes { author { login } state } }
    reviewRequests(first: 10) { totalCount nodes { requestedReviewer { __typename ... on User { login } ... on Team { name slug } } } }
    commits(last: 1) { totalCount nodes { commit { oid statusCheckRollup { state } } } } }`;
  type Pr = {
    number: number; state: string; merged: boolean; mergedAt: string | null; isDraft: boolean; mergeable: string; mergeStateStatus: string;
    reviewDecision: string | null; additions: number; reviews: { nodes: Array<{ author: { login: string }; state: string; submittedAt: string }> };
    approvals: { totalCount: number };
    latestReviews: { nodes: Array<{ author: { login: string }; state: string }> };
    latestOpinionatedReviews: { nodes: Array<{ author: { login: string }; state: string }> };
    reviewRequests: { totalCount: number; nodes: Array<{ requestedReviewer: Record<string, string> }> };
    commits: { totalCount: number; nodes: Array<{ commit: { oid: string; statusCheckRollup: { state: string } | null } }> };
  };
  let prs: Record<string, Pr>;
  let dotfiles: Pr;

  beforeAll(async () => {
    const aliases = Object.entries(P).map(([name, n]) => `${name}: pullRequest(number: ${n}) { ...F }`).join("\n");
    const data = await gql()<{ repository: Record<string, Pr>; mona: { pullRequest: Pr } }>(`{
      repository(owner: "acme", name: "webshop") { ${aliases} }
      mona: repository(owner: "mona", name: "dotfiles") { pullRequest(number: ${SAMPLE.otherPullRequests.dotfilesMerged}) { ...F } } } ${FIELDS}`);
    prs = data.repository;
    dotfiles = data.mona.pullRequest;
  });

  const opinions = (pr: Pr, key: "latestReviews" | "latestOpinionatedReviews") => pr[key].nodes.map((r) => `${r.author.login}:${r.state}`);
  const rollup = (pr: Pr) => pr.commits.nodes[0].commit.statusCheckRollup?.state ?? null;

  it("derives reviewDecision from each reviewer's latest opinion on a protected branch", () => {
    expect(prs.approvedPassing).toMatchObject({ reviewDecision: "APPROVED", mergeStateStatus: "CLEAN", mergeable: "MERGEABLE", additions: 12 });
    expect(prs.approvedPassing.reviews.nodes.map((r) => r.state)).toEqual(["COMMENTED", "APPROVED"]);
    expect(prs.approvedPassing.approvals.totalCount).toBe(1);
    expect(opinions(prs.approvedPassing, "latestReviews")).toEqual(["alice:APPROVED"]);
    expect(prs.changesRequestedAndApproved).toMatchObject({ reviewDecision: "CHANGES_REQUESTED", mergeStateStatus: "BLOCKED" });
    expect(opinions(prs.changesRequestedAndApproved, "latestOpinionatedReviews")).toEqual(["bob:CHANGES_REQUESTED", "carol:APPROVED"]);
    expect(prs.nullRollup.reviewDecision).toBe("REVIEW_REQUIRED");
    expect(opinions(prs.nullRollup, "latestReviews")).toEqual(["mona:COMMENTED"]);
    expect(opinions(prs.nullRollup, "latestOpinionatedReviews")).toEqual([]);
    expect(dotfiles.reviewDecision).toBeNull(); // no branch protection: GitHub answers null
  });

  it("lists pending user and team review requests", () => {
    expect(prs.reviewRequired).toMatchObject({ reviewDecision: "REVIEW_REQUIRED", mergeStateStatus: "BLOCKED" });
    expect(prs.reviewRequired.reviewRequests).toEqual({ totalCount: 2, nodes: [
      { requestedReviewer: { __typename: "User", login: "dave" } },
      { requestedReviewer: { __typename: "Team", name: "Frontend", slug: "frontend" } },
    ] });
    expect(prs.approvedPassing.reviewRequests.totalCount).toBe(0);
  });

  it("reports draft, conflict, merge and check states, with a null roll-up for a commit without checks", () => {
    expect(prs.draft).toMatchObject({ isDraft: true, mergeStateStatus: "DRAFT" });
    expect(prs.conflicting).toMatchObject({ mergeable: "CONFLICTING", mergeStateStatus: "DIRTY", reviewDecision: "APPROVED" });
    expect(prs.mergedThisWeek).toMatchObject({ state: "MERGED", merged: true, mergedAt: "2026-11-17T12:00:00Z" });
    expect(prs.mergedTwoWeeksAgo).toMatchObject({ merged: true, mergedAt: "2026-11-04T12:00:00Z" });
    expect(prs.closedUnmerged).toMatchObject({ state: "CLOSED", merged: false, mergedAt: null });
    expect([rollup(prs.approvedPassing), rollup(prs.changesRequestedAndApproved), rollup(prs.reviewRequired), rollup(prs.nullRollup)])
      .toEqual(["SUCCESS", "FAILURE", "PENDING", null]);
    expect(prs.approvedPassing.commits.totalCount).toBe(2);
    expect(prs.approvedPassing.commits.nodes[0].commit.oid).toMatch(/^[0-9a-f]{40}$/);
  });
});
