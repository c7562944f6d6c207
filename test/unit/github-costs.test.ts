import "reflect-metadata";
import { getOperationAST, Kind, parse, print, type DocumentNode, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { getComplexity } from "graphql-query-complexity";
import { buildBatchDocument } from "../../src/github/batch/batch-document";
import type { Lookup } from "../../src/github/batch/lookup";
import {
  GatewayRepositoryIssuesDocument, GatewaySearchIssuesCoreDocument, GatewaySearchIssuesFullDocument,
  GatewaySearchPullRequestsCoreDocument, GatewaySearchPullRequestsFullDocument, GatewayThreadCommentsDocument,
} from "../../src/github/generated/github-operations";
import { CONNECTIONS_PER_ITEM, githubPoints } from "../../src/github/github-points";
import { upstreamCostEstimators } from "../../src/limits/query-limits";
import { buildGatewaySchema } from "../../src/schema";
import { gitHubSchema } from "../../github-emulator/github-schema";
import { analyzeOperation } from "../../github-emulator/query-analysis";

// GitHub's formula ("Rate limits and query limits for the GraphQL API": add up the requests needed to fill
// each connection as if `first`/`last` were reached, divide by 100, round, at least 1), as the emulator
// charges it, on the documents the gateway really sends; and the gateway's own count of connections per item
// (src/github/github-points.ts) checked against it.

function price(document: DocumentNode | string, variables: Record<string, unknown> = {}) {
  const doc = typeof document === "string" ? parse(document) : document;
  const operation = getOperationAST(doc);
  if (!operation) throw new Error("no operation");
  const fragments = doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const result = analyzeOperation(gitHubSchema(), fragments, operation, variables);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

const many = (n: number, make: (i: number) => Lookup) => Array.from({ length: n }, (_, i) => make(i));
const batch = (lookups: Lookup[]) => {
  const doc = buildBatchDocument(lookups);
  return price(doc.text, doc.variables);
};

describe("GitHub's point formula", () => {
  it("the docs' worked example: 1 + 100 + 5,000 requests cost 51 points", () => {
    const example = `query { viewer { login repositories(first: 100) { edges { node { id
      issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }`;
    expect(price(example)).toMatchObject({ requests: 5101, cost: 51, nodeCount: 305_100 });
  });

  it("the docs' node-count examples: 550 and 22,060 nodes", () => {
    expect(price(`query { viewer { repositories(first: 50) { edges { repository: node { name issues(first: 10) { totalCount edges { node { title } } } } } } } }`).nodeCount).toBe(550);
    expect(price(`query { viewer { repositories(first: 50) { edges { repository: node { name
      pullRequests(first: 20) { edges { pullRequest: node { title comments(first: 10) { edges { comment: node { bodyText } } } } } }
      issues(first: 20) { totalCount edges { issue: node { title comments(first: 10) { edges { comment: node { bodyText } } } } } } } } }
      followers(first: 10) { edges { follower: node { login } } } } }`).nodeCount).toBe(22_060);
  });

  it("plain look-ups by alias add nothing: 100 issues without their connections cost 1 point", () => {
    const core = batch(many(100, (i) => ({ kind: "issue", owner: `o${i % 5}`, repo: "r", number: i + 1, detail: "core" })));
    expect(core).toMatchObject({ requests: 0, cost: 1 });
  });

  it("100 full pull requests cost 4 points, 100 full issues 3, 100 threads 8: not 1-2", () => {
    const prs = batch(many(100, (i) => ({ kind: "pullRequest", owner: "o", repo: "r", number: i + 1, detail: "full" })));
    expect(prs).toMatchObject({ requests: 100 * CONNECTIONS_PER_ITEM.pullRequest, cost: 4 });
    const issues = batch(many(100, (i) => ({ kind: "issue", owner: "o", repo: "r", number: i + 1, detail: "full" })));
    expect(issues).toMatchObject({ requests: 100 * CONNECTIONS_PER_ITEM.issue, cost: 3 });
    const threads = batch(many(100, (i) => ({ kind: "thread", owner: "o", repo: "r", number: i + 1 })));
    expect(threads).toMatchObject({ requests: 100 * CONNECTIONS_PER_ITEM.thread, cost: 8 });
  });

  it("a label look-up is a connection (labels(query:)): 100 of them cost 1 point", () => {
    expect(batch(many(100, (i) => ({ kind: "label", owner: "o", repo: "r", name: `l${i}` })))).toMatchObject({ requests: 100, cost: 1 });
  });

  it("a search costs what it selects: 1 point without connections, 3 to 5 with them at 100 results", () => {
    const vars = { q: "x", first: 100, after: null };
    expect(price(GatewaySearchIssuesCoreDocument, vars).cost).toBe(1);
    expect(price(GatewaySearchPullRequestsCoreDocument, vars).cost).toBe(1);
    expect(price(GatewaySearchIssuesFullDocument, vars)).toMatchObject({ requests: 1 + 100 * CONNECTIONS_PER_ITEM.issue, cost: 3 });
    expect(price(GatewaySearchPullRequestsFullDocument, vars)).toMatchObject({ requests: 1 + 100 * CONNECTIONS_PER_ITEM.pullRequest, cost: 4 });
    expect(price(GatewayRepositoryIssuesDocument, { owner: "o", name: "r", first: 100, after: null, filter: null })).toMatchObject({ requests: 1 + 100 * CONNECTIONS_PER_ITEM.issue, cost: 3 });
    // A page of comments names the connection in both branches of issueOrPullRequest: 2 requests, 1 point.
    expect(price(GatewayThreadCommentsDocument, { owner: "o", name: "r", number: 1, after: null })).toMatchObject({ requests: 2, cost: 1 });
  });

  it("the gateway's estimate never falls short of GitHub's price for what a field sends", () => {
    // Rounding up (the estimate) against rounding to nearest (GitHub).
    for (const requests of [0, 1, 49, 50, 51, 149, 150, 301, 401, 5101]) expect(githubPoints(requests)).toBeGreaterThanOrEqual(Math.max(1, Math.round(requests / 100)));
    expect(print(GatewaySearchPullRequestsFullDocument)).toContain("GatewayPullRequestFields");
  });
});

describe("the gateway's cost of a query, declared on each field that calls GitHub", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });
  const cost = (query: string, variables: Record<string, unknown> = {}) => getComplexity({ schema, query: parse(query), variables, estimators: upstreamCostEstimators });

  it("every field under `github` declares what it may spend there", () => {
    const fields = Object.values((schema.getType("GitHub") as GraphQLObjectType).getFields());
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect([field.name, typeof field.extensions.complexity]).toEqual([field.name, expect.stringMatching(/^(number|function)$/)]);
  });

  it("prices lists, threads and new issues by their arguments, hostile ones included", () => {
    const issues = `query($labels: [String!], $first: Int) { github { issues(owner: "o", repo: "r", labels: $labels, first: $first) { nodes { title } } } }`;
    expect(cost(issues, {})).toBe(1);
    expect(cost(issues, { labels: ["a"] })).toBe(2);
    expect(cost(issues, { first: 100 })).toBe(githubPoints(1 + 100 * CONNECTIONS_PER_ITEM.issue));
    expect(cost(issues, { first: 2147483647 })).toBe(4);
    expect(cost(issues, { first: -5 })).toBe(1);
    const prs = `query($first: Int) { github { pullRequests(first: $first) { totalCount } } }`;
    expect(cost(prs, { first: null })).toBe(1);
    expect(cost(prs, { first: 101 })).toBe(5);
    const threads = `query($refs: [GitHubItemRefInput!]!, $m: Int) { github { issueThreads(refs: $refs, maxComments: $m) { title } } }`;
    const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ owner: "o", repo: "r", number: i + 1 }));
    expect(cost(threads, { refs: refs(3), m: 1000 })).toBe(33);
    expect(cost(threads, { refs: refs(0) })).toBe(0);
    expect(cost(threads, { refs: { owner: "o", repo: "r", number: 1 }, m: -1 })).toBe(6);
    expect(cost(threads, { refs: refs(5000), m: 1000 })).toBe(55_000);
    expect(cost(`{ github { issueThread(owner: "o", repo: "r", number: 1, maxComments: 2147483647) { title } } }`)).toBe(21_474_838);
    const create = `mutation($input: CreateGitHubIssueInput!) { createGitHubIssue(input: $input) { number } }`;
    const names = (n: number) => Array.from({ length: n }, (_, i) => `n${i}`);
    expect(cost(create, { input: { owner: "o", repo: "r", title: "t" } })).toBe(3);
    expect(cost(create, { input: { owner: "o", repo: "r", title: "t", labels: "one", assignees: null } })).toBe(4);
    expect(cost(create, { input: { owner: "o", repo: "r", title: "t", labels: names(6000), assignees: names(1000) } })).toBe(113);
  });

  it("counts fixed costs and adds what a field selects", () => {
    expect(cost(`{ github { viewer { login } rateLimit { cost } searchCode(query: "x") { totalCount } } }`)).toBe(3);
    // A fragment spread twice counts twice, as graphql-query-complexity walks each spread.
    expect(cost(`query { ...Q } fragment Q on Query { github { ...G ...G } } fragment G on GitHub { issue(owner: "o", repo: "r", number: 1) { title } }`)).toBe(2);
    expect(cost(`{ a: github { issue(owner: "o", repo: "r", number: 1) { title } } b: github { pullRequest(owner: "o", repo: "r", number: 1) { title } } integrations { id } }`)).toBe(2);
    expect(cost(`mutation { connectIntegration(input: { token: "x" }) { id } }`)).toBe(11);
    expect(cost(`mutation { toggleIntegration(input: { active: true }) { id } }`)).toBe(0);
  });
});
