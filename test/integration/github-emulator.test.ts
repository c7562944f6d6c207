import { graphql, GraphqlResponseError } from "@octokit/graphql";
import { startGitHubEmulator, type GitHubEmulator } from "../../github-emulator";
import { optionsFromEnv, runFromEnv } from "../../github-emulator/main";
import { octokitClient } from "../../github-emulator/test-helpers";

// Drives the emulator over real HTTP with the client the gateway uses (@octokit/graphql) and with
// raw fetch where status codes and headers matter.

const CLASSIC = "ghp_emulatorClassicKey000000000000000001";
const FINE = "github_pat_11EMULATOR0_fineGrainedKey000000000000000002";
const OTHER = "ghp_emulatorOtherKey00000000000000000003";
const EXPIRES = new Date("2027-01-01T00:00:00Z");

let emulator: GitHubEmulator;

interface Body {
  data?: Record<string, unknown> | null;
  errors?: Array<{ type?: string; message: string; path?: unknown[] }>;
  message?: string;
}

const client = (token: string, baseUrl = emulator.url) => octokitClient(emulator, token, baseUrl);

async function post(path: string, body: unknown, token?: string): Promise<{ status: number; headers: Headers; json: Body }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `bearer ${token}`;
  const response = await fetch(`${emulator.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Body };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

async function graphqlFailure(promise: Promise<unknown>): Promise<GraphqlResponseError<unknown>> {
  const error = await rejection(promise);
  if (!(error instanceof GraphqlResponseError)) throw error;
  return error;
}

const lastRequest = () => emulator.requests[emulator.requests.length - 1];

beforeAll(async () => {
  emulator = await startGitHubEmulator({
    keys: [
      { token: CLASSIC, login: "octocat", name: "The Octocat", databaseId: 583231, scopes: ["repo", "read:org"], expiresAt: EXPIRES },
      { token: FINE, login: "hubot" },
      { token: OTHER, login: "monalisa" },
    ],
  });
});

afterAll(() => emulator.close());

beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

describe("authentication", () => {
  it("answers a known key's viewer with rate-limit, scope and expiry headers", async () => {
    const { gql, seen } = client(CLASSIC);
    const data = await gql<{ viewer: { login: string; name: string; databaseId: number; id: string }; rateLimit: { remaining: number; used: number; limit: number } }>(
      "query { viewer { login name databaseId id } rateLimit { limit remaining used } }",
    );
    expect(data.viewer).toMatchObject({ login: "octocat", name: "The Octocat", databaseId: 583231 });
    expect(data.viewer.id).toMatch(/^U_[A-Za-z0-9_-]+$/);
    const h = seen.headers!;
    expect(h.get("x-oauth-scopes")).toBe("repo, read:org");
    expect(h.get("github-authentication-token-expiration")).toBe("2027-01-01 00:00:00 UTC");
    expect(h.get("x-ratelimit-limit")).toBe("5000");
    expect(h.get("x-ratelimit-resource")).toBe("graphql");
    expect(Number(h.get("x-ratelimit-remaining"))).toBe(data.rateLimit.remaining);
    expect(Number(h.get("x-ratelimit-used"))).toBe(data.rateLimit.used);
    expect(Number(h.get("x-ratelimit-reset"))).toBe(Math.floor(emulator.rateLimitOf(CLASSIC).resetAt.getTime() / 1000));
    expect(h.get("x-github-request-id")).toMatch(/^[0-9A-F:]+$/);
    expect(h.get("content-type")).toBe("application/json; charset=utf-8");
  });

  it("sends no scopes header for a fine-grained key", async () => {
    const { gql, seen } = client(FINE);
    await expect(gql("{ viewer { login } }")).resolves.toEqual({ viewer: { login: "hubot" } });
    expect(seen.headers!.has("x-oauth-scopes")).toBe(false);
    expect(seen.headers!.has("github-authentication-token-expiration")).toBe(false);
  });

  it("answers an unknown, removed or expired key with 401 Bad credentials", async () => {
    const error = await rejection(client("ghp_notAKey").gql("{ viewer { login } }"));
    expect(error).toMatchObject({ status: 401, message: expect.stringContaining("Bad credentials") });
    const raw = await post("/graphql", { query: "{ viewer { login } }" }, "ghp_notAKey");
    expect(raw.status).toBe(401);
    expect(raw.json).toEqual({ message: "Bad credentials", documentation_url: "https://docs.github.com/graphql", status: "401" });
    expect(raw.headers.get("x-ratelimit-limit")).toBe("0");

    emulator.addKey({ token: "ghp_shortLived", login: "octocat", expiresAt: new Date("2020-01-01T00:00:00Z") });
    expect((await post("/graphql", { query: "{ viewer { login } }" }, "ghp_shortLived")).status).toBe(401);
    emulator.addKey({ token: "ghp_removed", login: "octocat" });
    expect((await post("/graphql", { query: "{ viewer { login } }" }, "ghp_removed")).status).toBe(200);
    emulator.removeKey("ghp_removed");
    expect((await post("/graphql", { query: "{ viewer { login } }" }, "ghp_removed")).status).toBe(401);
  });

  it("answers a request without a key with 401", async () => {
    const raw = await post("/graphql", { query: "{ viewer { login } }" });
    expect(raw.status).toBe(401);
    expect(raw.json.message).toBe("This endpoint requires you to be authenticated.");
  });
});

describe("validation against GitHub's schema and limits", () => {
  it("refuses a field GitHub does not have, in a 200 without data, free of charge", async () => {
    const before = emulator.rateLimitOf(CLASSIC).used;
    const error = await graphqlFailure(client(CLASSIC).gql("{ viewer { notAField } }"));
    expect(error.errors?.[0]?.message).toBe("Field 'notAField' doesn't exist on type 'User'");
    expect(error.response).not.toHaveProperty("data");
    expect(lastRequest()).toMatchObject({ status: 200, query: "{ viewer { notAField } }" });
    expect(lastRequest().cost).toBeUndefined();
    expect(emulator.rateLimitOf(CLASSIC).used).toBe(before);
  });

  it("answers by GitHub's 2026 schema but refuses what the older (npm, 2025) schema would not accept", async () => {
    const { gql } = client(CLASSIC);
    // EnterpriseTeam exists only in the 2026 schema: valid on github.com, not on older Enterprise Server releases.
    const newer = await graphqlFailure(gql(`{ viewer { login } node(id: "x") { ... on EnterpriseTeam { slug } } }`));
    expect(newer.errors?.[0]?.message).toMatch(/^Not valid on GitHub's schema of 2025-02-27 .*Unknown type "EnterpriseTeam"/);
    expect(newer.response).not.toHaveProperty("data");
    // A variable's value too: ISSUE_SEMANTIC is a SearchType of 2026 only.
    const value = await graphqlFailure(gql(`query($t: SearchType!) { search(type: $t, query: "x", first: 1) { issueCount } }`, { t: "ISSUE_SEMANTIC" }));
    expect(value.errors?.[0]?.message).toMatch(/^Not valid on GitHub's schema of 2025-02-27 .*ISSUE_SEMANTIC/);
    // A field only the 2026 schema has is refused the same way; one both have is answered.
    const onlyNewer = await graphqlFailure(gql(`{ viewer { login } rateLimit { cost } repository(owner: "x", name: "y") { issueTypes(first: 1) { totalCount } } }`));
    expect(onlyNewer.errors?.[0]?.message).toMatch(/^Not valid on GitHub's schema of 2025-02-27/);
  });

  it("needs first or last (0..100) on a connection whose items are asked for", async () => {
    const { gql } = client(CLASSIC);
    const missing = await graphqlFailure(gql("{ viewer { repositories { nodes { name } } } }"));
    expect(missing.errors?.[0]).toMatchObject({
      type: "MISSING_PAGINATION_BOUNDARIES",
      path: ["viewer", "repositories"],
      message: "You must provide a `first` or `last` value to properly paginate the `repositories` connection.",
    });
    const tooMany = await graphqlFailure(gql("query($n: Int) { viewer { issues(first: $n) { nodes { id } } } }", { n: 101 }));
    expect(tooMany.errors?.[0]).toMatchObject({
      type: "EXCESSIVE_PAGINATION",
      message: "Requesting 101 records on the `issues` connection exceeds the `first` limit of 100 records.",
    });
    const negative = await graphqlFailure(gql("{ viewer { issues(last: -1) { nodes { id } } } }"));
    expect(negative.errors?.[0]?.type).toBe("INVALID_PAGINATION");
    // As on GitHub, counting alone needs no page size.
    await expect(gql("{ viewer { repositories { totalCount } } }")).resolves.toEqual({ viewer: { repositories: { totalCount: 0 } } });
  });

  it("refuses documents deeper than 25 fields", async () => {
    const deep = (depth: number) => {
      const levels = ["viewer"];
      while (levels.length < depth - 1) levels.push(levels.length % 2 ? 'repository(name: "x")' : "owner");
      return `{ ${levels.map((l) => `${l} {`).join(" ")} id ${"}".repeat(levels.length)} }`;
    };
    const { gql } = client(CLASSIC);
    const error = await graphqlFailure(gql(deep(26)));
    expect(error.errors?.[0]?.message).toBe("Query has depth of 26, which exceeds max depth of 25");
    await expect(gql(deep(25))).resolves.toEqual({ viewer: { repository: null } });
  });
});

describe("cost", () => {
  const DOCS_EXAMPLE = `query {
    viewer { login repositories(first: 100) { edges { node { id
      issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } }
    rateLimit { cost nodeCount }
  }`;

  it("prices nested connections by GitHub's rule: (1 + 100 + 5,000) / 100 = 51", async () => {
    const before = emulator.rateLimitOf(OTHER).used;
    const data = await client(OTHER).gql<{ rateLimit: { cost: number; nodeCount: number } }>(DOCS_EXAMPLE);
    expect(data.rateLimit).toEqual({ cost: 51, nodeCount: 305_100 });
    expect(lastRequest().cost).toBe(51);
    expect(emulator.rateLimitOf(OTHER).used).toBe(before + 51);
  });

  it("charges 1 for plain look-ups, many aliases or a mutation, and nothing for a dry run", async () => {
    const { gql } = client(OTHER);
    const aliases = Array.from({ length: 50 }, (_, i) => `r${i}: user(login: "monalisa") { login }`).join(" ");
    await gql(`{ ${aliases} }`);
    expect(lastRequest().cost).toBe(1);
    await gql('mutation { addStar(input: { starrableId: "R_x" }) { clientMutationId } }');
    expect(lastRequest()).toMatchObject({ cost: 1, isMutation: true });
    const before = emulator.rateLimitOf(OTHER).used;
    const dry = await gql<{ rateLimit: { cost: number } }>(DOCS_EXAMPLE.replace("rateLimit {", "rateLimit(dryRun: true) {"));
    expect(dry.rateLimit.cost).toBe(51);
    expect(emulator.rateLimitOf(OTHER).used).toBe(before);
  });
});

describe("primary rate limit", () => {
  let small: GitHubEmulator;
  const KEY = "ghp_smallBudgetKey";
  beforeAll(async () => {
    small = await startGitHubEmulator({ rateLimitPerHour: 3, keys: [{ token: KEY, login: "budget", databaseId: 77 }] });
  });
  afterAll(() => small.close());

  it("answers RATE_LIMITED in an HTTP 200 once the budget is spent, and keeps REST's budget apart", async () => {
    const gql = graphql.defaults({ baseUrl: small.url, headers: { authorization: `bearer ${KEY}` } });
    await gql("{ viewer { login } }");
    // More than what remains is refused whole and charges nothing.
    const tooDear = await graphqlFailure(gql(
      "{ viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes { labels(first: 10) { nodes { id } } } } } } } }",
    ));
    expect(tooDear.errors?.[0]).toMatchObject({ type: "RATE_LIMITED", message: "API rate limit exceeded for user ID 77." });
    await gql("{ viewer { login } }");
    await gql("{ viewer { login } }");
    expect(small.rateLimitOf(KEY)).toMatchObject({ used: 3, remaining: 0 });
    const spent = await graphqlFailure(gql("{ viewer { login } }"));
    expect(spent.errors?.[0]).toMatchObject({ type: "RATE_LIMITED", message: "API rate limit already exceeded for user ID 77." });
    expect(spent.headers["x-ratelimit-remaining"]).toBe("0");
    expect(small.requests[small.requests.length - 1].status).toBe(200);
    const rest = await fetch(`${small.url}/user`, { headers: { authorization: `token ${KEY}` } });
    expect(rest.status).toBe(200);
    expect(rest.headers.get("x-ratelimit-resource")).toBe("core");
  });
});

describe("faults", () => {
  const viewer = "{ viewer { login } }";

  it("answers a status fault `times` times, in the order faults were added, with GitHub's timeout body", async () => {
    emulator.fail({ kind: "status", status: 502, times: 1 });
    emulator.fail({ kind: "status", status: 504, times: 1 });
    const first = await post("/graphql", { query: viewer }, CLASSIC);
    expect(first.status).toBe(502);
    expect(first.json.message).toMatch(/^We couldn't respond to your request in time/);
    expect(await rejection(client(CLASSIC).gql(viewer))).toMatchObject({ status: 504 });
    await expect(client(CLASSIC).gql(viewer)).resolves.toEqual({ viewer: { login: "octocat" } });
    expect(emulator.requests.map((r) => [r.status, r.fault])).toEqual([[502, "status"], [504, "status"], [200, undefined]]);
  });

  it("keeps a fault without `times` until clearFaults(), and limits a fault to one key", async () => {
    emulator.fail({ kind: "status", status: 503, token: OTHER });
    await expect(client(CLASSIC).gql(viewer)).resolves.toBeDefined();
    expect(await rejection(client(OTHER).gql(viewer))).toMatchObject({ status: 503 });
    expect(await rejection(client(OTHER).gql(viewer))).toMatchObject({ status: 503 });
    emulator.clearFaults();
    await expect(client(OTHER).gql(viewer)).resolves.toEqual({ viewer: { login: "monalisa" } });
  });

  it("delays an answer, then answers normally while others go ahead", async () => {
    emulator.fail({ kind: "delay", ms: 1000, times: 1 });
    let slowDone = false;
    const slow = client(CLASSIC).gql(viewer).finally(() => { slowDone = true; });
    while (emulator.requests.length === 0 || emulator.requests[0].fault !== "delay") await new Promise((r) => setImmediate(r));
    await expect(client(OTHER).gql(viewer)).resolves.toEqual({ viewer: { login: "monalisa" } });
    expect(slowDone).toBe(false);
    expect(emulator.requests[0].status).toBe(0);
    await expect(slow).resolves.toEqual({ viewer: { login: "octocat" } });
    expect(emulator.requests[0]).toMatchObject({ status: 200, fault: "delay" });
  });

  it("drops the connection without answering", async () => {
    emulator.fail({ kind: "drop", times: 1 });
    await expect(fetch(emulator.graphqlUrl, { method: "POST", body: JSON.stringify({ query: viewer }) })).rejects.toThrow();
    expect(emulator.requests[0]).toMatchObject({ status: 0, fault: "drop", query: viewer });
    await expect(client(CLASSIC).gql(viewer)).resolves.toBeDefined();
  });

  it("answers rateLimited with RATE_LIMITED in a 200 and remaining 0, without touching the budget", async () => {
    const before = emulator.rateLimitOf(CLASSIC);
    emulator.fail({ kind: "rateLimited", times: 1 });
    emulator.fail({ kind: "rateLimited", times: 1, errorType: "RATE_LIMIT" });
    const raw = await post("/graphql", { query: viewer }, CLASSIC);
    expect(raw.status).toBe(200);
    expect(raw.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(raw.json.errors?.[0]).toMatchObject({ type: "RATE_LIMITED", message: "API rate limit already exceeded for user ID 583231." });
    expect((await graphqlFailure(client(CLASSIC).gql(viewer))).errors?.[0]?.type).toBe("RATE_LIMIT");
    expect(emulator.rateLimitOf(CLASSIC)).toEqual(before);
    await expect(client(CLASSIC).gql(viewer)).resolves.toBeDefined();
  });

  it("answers secondary limits as 403, 429 or 200 with retry-after", async () => {
    emulator.fail({ kind: "secondaryRateLimit", times: 1 });
    emulator.fail({ kind: "secondaryRateLimit", status: 429, retryAfterSeconds: 7, times: 1 });
    emulator.fail({ kind: "secondaryRateLimit", status: 200, retryAfterSeconds: 30, times: 1 });
    const forbidden = await post("/graphql", { query: viewer }, CLASSIC);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("retry-after")).toBe("60");
    expect(forbidden.json.message).toMatch(/^You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\./);
    expect(await rejection(client(CLASSIC).gql(viewer))).toMatchObject({ status: 429, response: { headers: { "retry-after": "7" } } });
    const ok = await graphqlFailure(client(CLASSIC).gql(viewer));
    expect(ok.errors?.[0]?.message).toMatch(/secondary rate limit/);
    expect(ok.headers["retry-after"]).toBe("30");
    expect(emulator.requests.map((r) => r.fault)).toEqual(["secondaryRateLimit", "secondaryRateLimit", "secondaryRateLimit"]);
  });
});

describe("paths, recording and data", () => {
  it("serves GitHub Enterprise Server's /api/graphql (Octokit derives it from /api/v3) and /api/v3 REST", async () => {
    const { gql } = client(CLASSIC, `${emulator.url}/api/v3`);
    await expect(gql("{ viewer { login } }")).resolves.toEqual({ viewer: { login: "octocat" } });
    expect(lastRequest().path).toBe("/api/graphql");
    const rest = await fetch(`${emulator.url}/api/v3/user`, { headers: { authorization: `token ${CLASSIC}` } });
    expect(await rest.json()).toMatchObject({ login: "octocat", id: 583231, type: "User", node_id: expect.stringMatching(/^U_/) });
  });

  it("records every request with its key, document, variables, operation name, status and cost", async () => {
    await client(CLASSIC).gql("query Who($login: String!) { user(login: $login) { login } }", { login: "hubot", operationName: "Who" });
    await post("/graphql", { query: "{ viewer { login } }" }, "ghp_wrong");
    expect(emulator.requests).toEqual([
      expect.objectContaining({
        method: "POST", path: "/graphql", token: CLASSIC, status: 200, cost: 1, operationName: "Who",
        query: "query Who($login: String!) { user(login: $login) { login } }", variables: { login: "hubot" },
      }),
      expect.objectContaining({ token: "ghp_wrong", status: 401 }),
    ]);
    emulator.clearRequests();
    expect(emulator.requests).toHaveLength(0);
  });

  it("serves seeded repositories with paginated labels, node look-ups and NOT_FOUND beside data", async () => {
    const repo = emulator.store.addRepository({ owner: "octocat", name: "hello-world" });
    for (const name of ["bug", "docs", "feature"]) emulator.store.addLabel({ owner: "octocat", repo: "hello-world", name });
    type Page = { repository: { id: string; owner: { login: string }; labels: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Array<{ name: string }> } } };
    const q = `query($after: String) { repository(owner: "octocat", name: "hello-world") { id owner { login }
      labels(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { name } } } }`;
    const { gql } = client(CLASSIC);
    const one = await gql<Page>(q);
    expect(one.repository.labels).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true }, nodes: [{ name: "bug" }, { name: "docs" }] });
    const two = await gql<Page>(q, { after: one.repository.labels.pageInfo.endCursor });
    expect(two.repository.labels).toMatchObject({ pageInfo: { hasNextPage: false }, nodes: [{ name: "feature" }] });
    const missing = await graphqlFailure(gql(`{ nodes(ids: ["${one.repository.id}", "R_kgDOAAAAAA"]) { ... on Repository { name } } }`));
    expect(missing.data).toEqual({ nodes: [{ name: repo.name }, null] });
    expect(missing.errors?.[0]).toMatchObject({ type: "NOT_FOUND", path: ["nodes", 1] });
  });

  it("answers REST /user with core rate-limit headers, 304 for a matching ETag, and 404 elsewhere", async () => {
    const auth = { authorization: `token ${CLASSIC}` };
    const first = await fetch(`${emulator.url}/user`, { headers: auth });
    expect(first.headers.get("x-ratelimit-resource")).toBe("core");
    expect(first.headers.get("x-oauth-scopes")).toBe("repo, read:org");
    const used = emulator.rateLimitOf(CLASSIC, "core").used;
    const again = await fetch(`${emulator.url}/user`, { headers: { ...auth, "if-none-match": first.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
    expect(emulator.rateLimitOf(CLASSIC, "core").used).toBe(used);
    const missing = await fetch(`${emulator.url}/no/such/path`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
  });
});

describe("main.ts", () => {
  it("reads its options from the environment and prints its URL as one JSON line", async () => {
    expect(() => optionsFromEnv({ EMULATOR_PORT: "abc" })).toThrow(/EMULATOR_PORT/);
    const fineGrained = { token: "github_pat_env", login: "envfine", repositories: ["acme/webshop"], permissions: { issues: "read", contents: "none" } };
    expect(optionsFromEnv({ EMULATOR_KEYS: JSON.stringify([fineGrained]), EMULATOR_CODE_SEARCH_PER_MINUTE: "30" })).toMatchObject({
      codeSearchPerMinute: 30, keys: [{ token: "github_pat_env", repositories: ["acme/webshop"], permissions: { issues: "read" } }],
    });
    const lines: string[] = [];
    const keys = JSON.stringify([{ token: "ghp_fromEnv", login: "envuser", scopes: ["repo"], expiresAt: "2027-01-01T00:00:00Z" }]);
    const own = await runFromEnv({ EMULATOR_KEYS: keys, EMULATOR_LATENCY_MS: "0", EMULATOR_SAMPLE_DATA: "1" }, (line) => lines.push(line));
    try {
      expect(lines).toEqual([JSON.stringify({ url: own.url, graphqlUrl: own.graphqlUrl })]);
      expect(own.store.repository("acme", "webshop")?.isPrivate).toBe(true);
      const response = await fetch(`${own.url}/user`, { headers: { authorization: "token ghp_fromEnv" } });
      expect(await response.json()).toMatchObject({ login: "envuser" });
      expect(response.headers.get("github-authentication-token-expiration")).toBe("2027-01-01 00:00:00 UTC");
    } finally {
      await own.close();
    }
  });
});
