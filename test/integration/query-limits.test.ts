import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect } from "../support/operations";

const key = classicKey("acme-bot");
const other = classicKey("globex-bot");

const aliasedIssues = (n: number) =>
  `{ github { ${Array.from({ length: n }, (_, i) => `i${i}: issue(owner: "acme", repo: "webshop", number: ${(i % 3) + 1}) { number }`).join(" ")} } }`;

describe("query limits, before anything reaches GitHub", () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness({
      database: "postgres",
      keys: [key, other],
      env: { QUERY_MAX_DEPTH: "3", QUERY_MAX_ALIASES: "40", QUERY_MAX_TOKENS: "2000", QUERY_MAX_COST: "30", GRAPHQL_INTROSPECTION: "off", GRAPHQL_FIELD_SUGGESTIONS: "off" },
    });
    h.emulator.store.addRepository({ owner: "acme", name: "webshop" });
    for (const title of ["One", "Two", "Three"]) h.emulator.store.addIssue({ owner: "acme", repo: "webshop", title });
    admin = await h.token("acme", "admin");
    expect((await h.gql(admin, Connect, { token: key.token })).body.errors).toBeUndefined();
  });
  afterAll(() => h?.close());

  /** Runs a refused query and checks the refusal: QUERY_TOO_COMPLEX naming the limit, HTTP 400, nothing sent to GitHub. */
  async function refused(query: string, limit: string, variables?: Record<string, unknown>) {
    const mark = h.emulator.requests.length;
    const r = await h.gql(admin, query, variables);
    expect(r.status).toBe(400);
    expect(r.body.data ?? null).toBeNull();
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit });
    expect(h.emulator.requests.length).toBe(mark);
    return r;
  }

  it("a query within every limit is answered (a 30-look-up batch)", async () => {
    const r = await h.gql<{ github: Record<string, { number: number }> }>(admin, aliasedIssues(30));
    expect(r.body.errors).toBeUndefined();
    expect(Object.keys(r.body.data!.github)).toHaveLength(30);
  });

  it("too deep, fragments included", async () => {
    const fourDeep = `{ github { pullRequest(owner: "acme", repo: "webshop", number: 1) { number } } }`;
    expect(codeOf(await h.gql(admin, fourDeep))).not.toBe("QUERY_TOO_COMPLEX");
    await refused(`{ github { pullRequest(owner: "acme", repo: "webshop", number: 1) { reviewStatus { reviews { author } } } } }`, "depth");
    await refused(`query { ...A } fragment A on Query { github { ...B } } fragment B on GitHub { pullRequest(owner: "a", repo: "b", number: 1) { reviewStatus { summary } } }`, "depth");
  });

  it("too many aliases", async () => {
    await refused(aliasedIssues(41), "aliases");
  });

  it("too many tokens", async () => {
    await refused(`{ integration { ${"id ".repeat(2100)} } }`, "tokens");
  });

  it("too many GitHub look-ups: the cost counts what the query would send, variables included", async () => {
    // 3 threads of up to 1,000 comments: 3 x (1 + 10) = 33 requests > 30.
    const threads = `query T($refs: [GitHubItemRefInput!]!) { github { issueThreads(refs: $refs, maxComments: 1000) { title } } }`;
    const refs = [1, 2, 3].map((number) => ({ owner: "acme", repo: "webshop", number }));
    const r = await refused(threads, "cost", { refs });
    expect(r.body.errors![0].extensions).toMatchObject({ max: 30, found: 33 });
    // Two of them cost 22 and pass.
    expect((await h.gql(admin, threads, { refs: refs.slice(0, 2) })).body.errors).toBeUndefined();
  });

  it("introspection and field suggestions can be switched off", async () => {
    const intro = await h.gql(admin, `{ __schema { types { name } } }`);
    expect(intro.body.data ?? null).toBeNull();
    expect(codeOf(intro)).toBe("BAD_USER_INPUT");
    const typo = await h.gql(admin, `{ integration { keyFingerprnt } }`);
    expect(codeOf(typo)).toBe("BAD_USER_INPUT");
    expect(typo.body.errors![0].message).not.toMatch(/Did you mean/);
  });

  it("Apollo's CSRF prevention stays on: a simple cross-site request is refused", async () => {
    const res = await fetch(`${h.gateway.url}/graphql?query=${encodeURIComponent("{ integration { id } }")}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(400);
    const form = await fetch(`${h.gateway.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ integration { id } }" }),
    });
    expect(form.status).toBe(400);
  });
});

describe("the per-tenant limit on the gateway", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [key, other], env: { TENANT_RATE_LIMIT_PER_MINUTE: "40" } });
    h.emulator.store.addRepository({ owner: "acme", name: "webshop" });
    h.emulator.store.addIssue({ owner: "acme", repo: "webshop", title: "One" });
    expect((await h.gql(await h.token("acme", "admin"), Connect, { token: key.token })).body.errors).toBeUndefined();
    expect((await h.gql(await h.token("globex", "admin"), Connect, { token: other.token })).body.errors).toBeUndefined();
  });
  afterAll(() => h?.close());

  it("one tenant over its budget gets GATEWAY_RATE_LIMITED (429, Retry-After), nothing reaches GitHub, and another tenant is served", async () => {
    const acme = await h.token("acme", "service");
    const globex = await h.token("globex", "service");
    // The connects above used 12 units each (1 + the key check and up to 5 + 5 REST reads of its reach); a
    // look-up costs 2 (1 + one GitHub request).
    const answers = [];
    for (let i = 0; i < 25; i++) answers.push(await h.gql(acme, `{ github { issue(owner: "acme", repo: "webshop", number: 1) { number } } }`));
    const ok = answers.filter((a) => !a.body.errors);
    const limited = answers.filter((a) => codeOf(a) === "GATEWAY_RATE_LIMITED");
    expect(ok.length + limited.length).toBe(25);
    expect(ok.length).toBe(Math.floor((40 - 12) / 2));
    expect(limited[0].status).toBe(429);
    expect(limited[0].body.errors![0].extensions!.retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited[0].body.errors![0].message).toMatch(/budget/);

    const mark = h.emulator.requests.length;
    const raw = await fetch(`${h.gateway.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${acme}`, "content-type": "application/json" },
      body: JSON.stringify({ query: `{ github { viewer { login } } }` }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(h.emulator.requests.length).toBe(mark);

    const served = await h.gql<{ github: { viewer: { login: string } } }>(globex, `{ github { viewer { login } } }`);
    expect(served.body.data?.github.viewer.login).toBe("globex-bot");
  });
});
