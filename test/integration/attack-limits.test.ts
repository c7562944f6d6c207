import { seedSampleData } from "../../github-emulator";
import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect } from "../support/operations";

// Limits tried as an attacker with a valid caller token of any role: the cost limit and the workspace
// budget hold whatever the document does to their arithmetic, refused requests cost their sender, and the
// parsed-document cache is bounded by what it really holds.

const key = classicKey("mona");
/** Each workspace's budget here: small enough to flood in a test, large enough for the priced documents below. */
const BUDGET = 300;
const other = classicKey("mona");

describe("limits against an attacker's documents", () => {
  let h: Harness;
  let service: string;
  const upstream = (mark: number) => h.emulator.requests.length - mark;

  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [key, other], env: { TENANT_RATE_LIMIT_PER_MINUTE: String(BUDGET), QUERY_MAX_COST: "500" } });
    seedSampleData(h.emulator.store);
    expect((await h.gql(await h.token("acme", "admin"), Connect, { token: key.token })).body.errors).toBeUndefined();
    expect((await h.gql(await h.token("globex", "admin"), Connect, { token: other.token })).body.errors).toBeUndefined();
    service = await h.token("acme", "service");
  });
  afterAll(() => h?.close());

  it("a variable whose default meets an explicit null cannot hide a document's cost: refused before anything runs", async () => {
    const threads = Array.from({ length: 40 }, (_, i) => `t${i}: issueThreads(refs: [{ owner: "acme", repo: "webshop", number: ${i + 1} }], maxComments: 2000) { title }`).join(" ");
    const doc = `query($o: String = "acme") { github { issue(owner: $o, repo: "webshop", number: 1) { number } ${threads} } }`;
    const mark = h.emulator.requests.length;
    const r = await h.gql(await h.token("globex", "service"), doc, { o: null });
    expect(r.body.data ?? null).toBeNull();
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    expect(r.body.errors![0].message).toMatch(/"owner"/);
    expect(upstream(mark)).toBe(0);
  });

  it("a document whose cost cannot be counted (more than 10,000 counted nodes) is refused, not run", async () => {
    // No aliases, no depth: 100 spreads of a fragment that spreads another 100 times, 10,000 copies of one field.
    const spreads = (name: string) => Array.from({ length: 100 }, () => `...${name}`).join(" ");
    const doc = `query { github { ${spreads("A")} } } fragment A on GitHub { ${spreads("B")} } fragment B on GitHub { viewer { login } }`;
    const mark = h.emulator.requests.length;
    const r = await h.gql(await h.token("globex", "service"), doc);
    expect(codeOf(r)).toBe("QUERY_TOO_COMPLEX");
    expect(r.body.errors![0].extensions).toMatchObject({ limit: "nodes" });
    expect(upstream(mark)).toBe(0);
  });

  it("100 aliases of issueThreads at 2,000 comments each are refused by cost before anything runs", async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `t${i}: issueThreads(refs: [{ owner: "acme", repo: "webshop", number: 123 }], maxComments: 2000) { title }`).join(" ");
    const mark = h.emulator.requests.length;
    const r = await h.gql(await h.token("globex", "service"), `{ github { ${aliases} } }`);
    expect(codeOf(r)).toBe("QUERY_TOO_COMPLEX");
    expect(r.body.errors![0].extensions).toMatchObject({ limit: "cost", found: 100 * 21 });
    expect(upstream(mark)).toBe(0);
  });

  it("createGitHubIssue within GitHub's own bounds: at most 100 labels and 10 assignees, refused before any look-up", async () => {
    const mark = h.emulator.requests.length;
    const labels = Array.from({ length: 6000 }, (_, i) => `l${i}`);
    const tooMany = await h.gql(service, `mutation($l: [String!]) { createGitHubIssue(input: { owner: "acme", repo: "webshop", title: "x", labels: $l }) { number } }`, { l: labels });
    expect(tooMany.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "labels" });
    const assignees = Array.from({ length: 11 }, (_, i) => `u${i}`);
    const crowd = await h.gql(service, `mutation($a: [String!]) { createGitHubIssue(input: { owner: "acme", repo: "webshop", title: "x", assignees: $a }) { number } }`, { a: assignees });
    expect(crowd.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "assignees" });
    expect(upstream(mark)).toBe(0);
  });

  it("requests refused before execution cost their sender: a flood of invalid documents meets the workspace's budget", async () => {
    const flooder = await h.token("initech", "service");
    const answers = [];
    for (let i = 0; i < BUDGET + 10; i++) answers.push(await h.gql(flooder, `{ github { notAField${i} } }`));
    expect(answers.slice(0, BUDGET).every((a) => codeOf(a) === "BAD_USER_INPUT")).toBe(true);
    const limited = answers.slice(BUDGET);
    expect(limited.every((a) => codeOf(a) === "GATEWAY_RATE_LIMITED" && a.status === 429)).toBe(true);
  });

  it("a document longer than QUERY_MAX_CHARS is refused before it is parsed, and nothing of it is cached", async () => {
    const cache = h.gateway.documentCache;
    const before = cache.size;
    const padded = `{ github { viewer { login } } }\n${"# padding\n".repeat(5_000)}`;
    const r = await h.gql(service, padded);
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "characters", max: h.config.queryLimits.maxChars });
    expect(cache.size).toBe(before);
  });

  it("a request over the budget is answered 429 before its document is parsed or cached", async () => {
    const spender = await h.token("umbrella", "service");
    for (let i = 0; i < BUDGET; i++) await h.gql(spender, `{ integration { id } }`);
    const cache = h.gateway.documentCache;
    const before = cache.size;
    for (let i = 0; i < 20; i++) {
      const r = await h.gql(spender, `query Distinct${i} { integration { id } } # ${"x".repeat(1000)}`);
      expect(r.status).toBe(429);
    }
    expect(cache.size).toBe(before);
  });

  it("the document cache counts what a parsed document holds: its text and every token, comments included", async () => {
    const cache = h.gateway.documentCache;
    const plain = `query Plain { integration { id } }`;
    const commented = `query Commented { integration { id } }\n${"# c\n".repeat(2_000)}`;
    await h.gql(await h.token("hooli", "member"), plain);
    const afterPlain = cache.bytes;
    await h.gql(await h.token("hooli", "member"), commented);
    // 2,000 comment tokens (graphql-js links them into the document's token list) weigh far more than the AST.
    expect(cache.bytes - afterPlain).toBeGreaterThan(2_000 * 100);
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
  });
});

describe("every answer is JSON with a code", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres" });
  });
  afterAll(() => h?.close());

  it("an unknown path", async () => {
    const r = await fetch(`${h.gateway.url}/no/such/path`);
    expect(r.status).toBe(404);
    expect(r.headers.get("content-type")).toContain("application/json");
    expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("an Authorization header too large for the server", async () => {
    const r = await fetch(`${h.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${"x".repeat(17_000)}` },
      body: JSON.stringify({ query: "{ integration { id } }" }),
    });
    expect(r.status).toBe(431);
    expect(r.headers.get("content-type")).toContain("application/json");
    expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });
});
