import { startGitHubEmulator, seedSampleData, type GitHubEmulator } from "../../github-emulator";
import { assertAnswer, findOperation, refuseQuery, type OpenApiOperation } from "../../github-emulator/openapi";
import { SAMPLE_NOW } from "../../github-emulator/test-helpers";

// The emulator's REST side against GitHub's OpenAPI description (@octokit/openapi): what it accepts
// and what it answers, over real HTTP, plus the validator itself on answers broken on purpose.

const KEY = "ghp_emulatorOpenApiKey000000000000000001";
const NO_CONTENTS = "github_pat_11EMULATOR0_openApiNoContents00000000000002";
const BROKEN = "ghp_emulatorOpenApiBrokenUser0000000003";
const TEXT_MATCH = "application/vnd.github.text-match+json";
let emulator: GitHubEmulator;

interface Fetched { status: number; headers: Headers; body: unknown }

async function get(url: string, options: { token?: string; accept?: string } = {}): Promise<Fetched> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `token ${options.token}`;
  if (options.accept) headers.accept = options.accept;
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
}

function operation(method: string, path: string): OpenApiOperation {
  const found = findOperation(method, path);
  if (!found) throw new Error(`no operation for ${method} ${path}`);
  return found;
}

/** Checks an answer on the client side too, and that its status is one the description declares. */
function expectConforms(path: string, answer: Fetched, textMatch = false): void {
  const op = operation("GET", path);
  expect(Object.keys(op.spec.responses ?? {})).toContain(String(answer.status));
  expect(() => assertAnswer(op, { status: answer.status, headers: { "content-type": answer.headers.get("content-type") ?? "" }, body: answer.body }, textMatch)).not.toThrow();
}

const items = (body: unknown) => (body as { items: Array<Record<string, unknown>> }).items;

beforeAll(async () => {
  emulator = await startGitHubEmulator({
    codeSearchPerMinute: 1000,
    keys: [
      { token: KEY, login: "octocat", scopes: ["repo", "read:org"] },
      { token: NO_CONTENTS, login: "hubot", permissions: { issues: "write", metadata: "read" } },
      { token: BROKEN, login: "broken" },
    ],
  });
  seedSampleData(emulator.store, { now: SAMPLE_NOW });
});
afterAll(() => emulator.close());

describe("answers match the description", () => {
  it("GET /user: a Private User, a free 304 without a body, and 401s", async () => {
    const user = await get(`${emulator.url}/user`, { token: KEY });
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({ login: "octocat", type: "User", two_factor_authentication: true });
    expectConforms("/user", user);
    const again = await get(`${emulator.url}/user`, { token: KEY, accept: "application/vnd.github+json" });
    const cached = await fetch(`${emulator.url}/user`, { headers: { authorization: `token ${KEY}`, "if-none-match": again.headers.get("etag") ?? "" } });
    expect(cached.status).toBe(304);
    expectConforms("/user", { status: 304, headers: cached.headers, body: (await cached.text()) || undefined });
    for (const token of [undefined, "ghp_unknown"]) {
      const refused = await get(`${emulator.url}/api/v3/user`, { token });
      expect(refused.status).toBe(401);
      expectConforms("/user", refused);
    }
  });

  it("GET /search/code: with and without text matches, and empty", async () => {
    const url = `${emulator.url}/search/code?q=${encodeURIComponent("login repo:acme/webshop")}`;
    const matched = await get(url, { token: KEY, accept: TEXT_MATCH });
    expect(matched.status).toBe(200);
    expect(items(matched.body).length).toBeGreaterThan(0);
    expect(items(matched.body)[0]).toHaveProperty("text_matches");
    expectConforms("/search/code", matched, true);
    const plain = await get(`${url}&per_page=2&page=1&sort=indexed&order=asc`, { token: KEY });
    expect(plain.status).toBe(200);
    expect(items(plain.body)).toHaveLength(2);
    expect(items(plain.body)[0]).not.toHaveProperty("text_matches");
    expect(items(plain.body)[0].repository).toMatchObject({ owner: { login: "acme", type: "Organization" }, issues_url: "https://api.github.com/repos/acme/webshop/issues{/number}" });
    expectConforms("/search/code", plain);
    const empty = await get(`${emulator.url}/search/code?q=noSuchWordAnywhere`, { token: KEY, accept: TEXT_MATCH });
    expect(empty.body).toEqual({ total_count: 0, incomplete_results: false, items: [] });
    expectConforms("/search/code", empty, true);
  });

  it("GET /search/code: its 422, its 403s and its 401", async () => {
    const tooLong = await get(`${emulator.url}/search/code?q=${"x".repeat(257)}`, { token: KEY });
    expect(tooLong.status).toBe(422);
    expectConforms("/search/code", tooLong);
    const denied = await get(`${emulator.url}/search/code?q=login`, { token: NO_CONTENTS });
    expect(denied.status).toBe(403);
    expectConforms("/search/code", denied);
    const small = await startGitHubEmulator({ codeSearchPerMinute: 1, keys: [{ token: KEY, login: "octocat" }] });
    try {
      expect((await get(`${small.url}/search/code?q=login`, { token: KEY })).status).toBe(200);
      const spent = await get(`${small.url}/search/code?q=login`, { token: KEY });
      expect(spent.status).toBe(403);
      expect(spent.body).toMatchObject({ message: expect.stringMatching(/^API rate limit exceeded/) });
      expectConforms("/search/code", spent);
    } finally {
      await small.close();
    }
    // The description declares no 401 for code search, so this one is not schema-checked; it is GitHub's shape.
    const anonymous = await get(`${emulator.url}/search/code?q=login`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ message: "Requires authentication", status: "401" });
  });
});

describe("requests are checked against the operation's parameters", () => {
  const refusal = (field: string, resource = "Search", docs = "https://docs.github.com/rest/search/search#search-code") => ({
    message: "Validation Failed", errors: [{ resource, field, code: "invalid" }], documentation_url: docs, status: "422",
  });

  it("refuses an undeclared parameter, a wrongly typed per_page and a value outside the enum with 422", async () => {
    const undeclared = await get(`${emulator.url}/search/code?q=login&per_pag=5`, { token: KEY });
    expect(undeclared.status).toBe(422);
    expect(undeclared.body).toEqual(refusal("per_pag"));
    const wrongType = await get(`${emulator.url}/search/code?q=login&per_page=ten`, { token: KEY });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body).toEqual(refusal("per_page"));
    expect((await get(`${emulator.url}/search/code?q=login&page=1.5`, { token: KEY })).body).toEqual(refusal("page"));
    expect((await get(`${emulator.url}/search/code?q=login&sort=stars`, { token: KEY })).body).toEqual(refusal("sort"));
    // Stricter than GitHub, which ignores unknown parameters; /user declares none.
    const user = await get(`${emulator.url}/user?page=2`, { token: KEY });
    expect(user.status).toBe(422);
    expect(user.body).toEqual(refusal("page", "Users", "https://docs.github.com/rest/users/users#get-the-authenticated-user"));
  });

  it("authenticates before checking parameters, and leaves paths the description lacks to GitHub's 404", async () => {
    expect((await get(`${emulator.url}/search/code?q=login&per_page=ten`)).status).toBe(401);
    const missing = await get(`${emulator.url}/no/such/path?anything=1`, { token: KEY });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
    // A path GitHub has but the emulator does not serve: GitHub's 404 too (its operation is kept by name only).
    const unserved = await get(`${emulator.url}/repos/acme/webshop`, { token: KEY });
    expect(unserved.status).toBe(404);
    expect(unserved.body).toEqual({ message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
  });

  it("finds operations by concrete path, literal segments first", () => {
    expect(operation("GET", "/user/repos").template).toBe("/user/repos");
    expect(operation("GET", "/user/12").template).toBe("/user/{account_id}");
    expect(operation("GET", "/repos/acme/webshop/contents/src/auth/login.ts").template).toBe("/repos/{owner}/{repo}/contents/{path}");
    expect(findOperation("GET", "/no/such/path")).toBeUndefined();
    const repos = operation("GET", "/user/repos");
    expect(refuseQuery(repos, new URLSearchParams("affiliation=owner,organization_member&visibility=private&sort=full_name&per_page=100"))).toBeUndefined();
    expect(refuseQuery(repos, new URLSearchParams("visibility=secret"))?.status).toBe(422);
  });
});

describe("a broken answer is caught", () => {
  const json = { "content-type": "application/json; charset=utf-8" };
  const validItem = async () => items((await get(`${emulator.url}/search/code?q=login`, { token: KEY })).body)[0];

  it("names the operation, the JSON pointer and the problem", async () => {
    const search = operation("GET", "/search/code");
    const item = await validItem();
    const answer = (entry: Record<string, unknown>) => ({ status: 200, headers: json, body: { total_count: 1, incomplete_results: false, items: [entry] } });
    expect(() => assertAnswer(search, answer(item), false)).not.toThrow();
    const { sha: _sha, ...withoutSha } = item;
    expect(() => assertAnswer(search, answer(withoutSha), false))
      .toThrow(/^GET \/search\/code \(search\/code\) answered 200 .*\/items\/0\/sha: required property is missing/);
    expect(() => assertAnswer(search, answer({ ...item, repository: { ...(item.repository as object), private: "yes" } }), false))
      .toThrow("/items/0/repository/private: must be boolean");
    expect(() => assertAnswer(search, answer({ ...item, text_matches: [] }), false)).toThrow("/items/0/text_matches: sent only with the text-match media type");
    expect(() => assertAnswer(search, answer({ ...item, text_matches: [] }), true)).not.toThrow();
    expect(() => assertAnswer(search, { status: 304, headers: json, body: {} }, false)).toThrow(/declares none/);
  });

  it("honours nullable, and answers 500 naming the problem when the emulator produces a mismatch", async () => {
    const me = operation("GET", "/user");
    const body = (await get(`${emulator.url}/user`, { token: BROKEN })).body as Record<string, unknown>;
    expect(body.name).toBeNull();
    expect(() => assertAnswer(me, { status: 200, headers: json, body }, false)).not.toThrow();
    expect(() => assertAnswer(me, { status: 200, headers: json, body: { ...body, name: 5 } }, false)).toThrow("/name: must be string,null");
    emulator.store.addUser({ login: "broken", email: "not an address" });
    const failed = await get(`${emulator.url}/user`, { token: BROKEN });
    expect(failed.status).toBe(500);
    expect((failed.body as { message: string }).message)
      .toMatch(/^GitHub emulator error: GET \/user \(users\/get-authenticated\) answered 200 .*\/email: must match format "email"/);
  });
});
