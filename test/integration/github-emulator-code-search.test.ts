import { startGitHubEmulator, seedSampleData, SAMPLE, type GitHubEmulator } from "../../github-emulator";
import { SAMPLE_NOW } from "../../github-emulator/test-helpers";

// REST GET /search/code over the sample data's files, with raw fetch.

const KEY = "ghp_emulatorCodeSearchKey00000000000001";
const NO_CONTENTS = "github_pat_11EMULATOR0_noContentsKey000000000000000002";
const WEBSHOP_ONLY = "ghp_emulatorCodeSearchWebshopOnly000003";
let emulator: GitHubEmulator;

interface TextMatch { object_url: string; object_type: string; property: string; fragment: string; matches: Array<{ text: string; indices: [number, number] }> }
interface CodeItem {
  name: string; path: string; sha: string; url: string; git_url: string; html_url: string; score: number;
  repository: { id: number; node_id: string; name: string; full_name: string; private: boolean; owner: { login: string }; html_url: string };
  text_matches?: TextMatch[];
}
interface CodeBody { total_count: number; incomplete_results: boolean; items: CodeItem[]; message?: string; errors?: unknown[] }

async function searchCode(q: string, options: { token?: string; accept?: string; prefix?: string; extra?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `token ${options.token}`;
  if (options.accept) headers.accept = options.accept;
  const url = `${emulator.url}${options.prefix ?? ""}/search/code?q=${encodeURIComponent(q)}${options.extra ?? ""}`;
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as CodeBody };
}

/** "owner/name:path" of each hit, sorted: GitHub orders by best match, whose model it does not publish. */
const paths = (body: CodeBody) => body.items.map((i) => `${i.repository.full_name}:${i.path}`).sort();

beforeAll(async () => {
  emulator = await startGitHubEmulator({
    codeSearchPerMinute: 1000,
    keys: [
      { token: KEY, login: "octocat", scopes: ["repo"] },
      { token: NO_CONTENTS, login: "hubot", permissions: { issues: "write", metadata: "read" } },
      { token: WEBSHOP_ONLY, login: "monalisa", repositories: ["acme/webshop"] },
    ],
  });
  seedSampleData(emulator.store, { now: SAMPLE_NOW });
});
afterAll(() => emulator.close());

describe("GET /search/code", () => {
  it("answers GitHub's shape with text matches whose indices point into the fragment", async () => {
    const { status, headers, body } = await searchCode("login repo:acme/webshop", { token: KEY, accept: "application/vnd.github.text-match+json" });
    expect(status).toBe(200);
    expect(headers.get("x-ratelimit-resource")).toBe("code_search");
    expect(headers.get("x-ratelimit-limit")).toBe("1000");
    expect(body).toMatchObject({ total_count: 3, incomplete_results: false });
    expect(paths(body)).toEqual(["acme/webshop:README.md", "acme/webshop:src/auth/login.ts", "acme/webshop:src/auth/session.ts"]);
    const login = body.items.find((i) => i.path === SAMPLE.files.login.path)!;
    const repo = emulator.store.repository("acme", "webshop")!;
    expect(login).toMatchObject({
      name: "login.ts", path: SAMPLE.files.login.path, score: 1,
      repository: { id: repo.databaseId, name: "webshop", full_name: "acme/webshop", private: true, owner: { login: "acme" }, html_url: "https://github.com/acme/webshop" },
    });
    expect(login.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(login.html_url).toMatch(/^https:\/\/github\.com\/acme\/webshop\/blob\/[0-9a-f]{40}\/src\/auth\/login\.ts$/);
    expect(login.git_url).toBe(`https://api.github.com/repositories/${repo.databaseId}/git/blobs/${login.sha}`);
    expect(login.repository.node_id).toMatch(/^R_/);
    const fragments = login.text_matches ?? [];
    expect(fragments.length).toBeGreaterThan(0);
    expect(fragments.some((m) => m.fragment.includes("export async function login("))).toBe(true);
    for (const match of fragments) {
      expect(match).toMatchObject({ object_type: "FileContent", property: "content", object_url: login.url });
      expect(match.matches.length).toBeGreaterThan(0);
      for (const m of match.matches) {
        expect(m.text.toLowerCase()).toBe("login");
        expect(match.fragment.slice(m.indices[0], m.indices[1])).toBe(m.text);
      }
    }
  });

  it("leaves text matches out without the text-match media type, and serves /api/v3 too", async () => {
    const plain = await searchCode("login repo:acme/webshop", { token: KEY, prefix: "/api/v3", accept: "application/vnd.github+json" });
    expect(plain.status).toBe(200);
    expect(plain.body.items[0]).not.toHaveProperty("text_matches");
    const v3 = await searchCode("login repo:acme/webshop", { token: KEY, accept: "application/vnd.github.v3.text-match+json" });
    expect(v3.body.items[0].text_matches?.length).toBeGreaterThan(0);
  });

  it("reads path:, language:, extension: and org:/user:, and searches every repository without a scope", async () => {
    expect(paths((await searchCode("login path:src/auth", { token: KEY })).body)).toEqual(["acme/webshop:src/auth/login.ts", "acme/webshop:src/auth/session.ts"]);
    expect(paths((await searchCode("login org:acme language:markdown", { token: KEY })).body)).toEqual(["acme/docs:docs/login.md", "acme/webshop:README.md"]);
    expect(paths((await searchCode("login user:mona", { token: KEY })).body)).toEqual(["mona/dotfiles:.zshrc"]);
    expect(paths((await searchCode("export extension:ts repo:acme/webshop", { token: KEY })).body))
      .toEqual(["acme/webshop:src/auth/login.ts", "acme/webshop:src/auth/session.ts", "acme/webshop:src/cart/cart.ts"]);
    const everywhere = paths((await searchCode("login", { token: KEY })).body);
    expect(everywhere).toEqual(expect.arrayContaining(["mona/dotfiles:.zshrc", "acme/api:src/routes/auth.ts", "acme/docs:docs/login.md"]));
  });

  it("pages with per_page and page, and a link header", async () => {
    const first = await searchCode("login", { token: KEY, extra: "&per_page=2" });
    const second = await searchCode("login", { token: KEY, extra: "&per_page=2&page=2" });
    expect(first.body.items).toHaveLength(2);
    expect(first.headers.get("link")).toContain('rel="next"');
    expect(paths(second.body)).not.toEqual(expect.arrayContaining(paths(first.body)));
    expect(second.body.total_count).toBe(first.body.total_count);
  });

  it("refuses over 256 characters of text (qualifiers and operators aside) or over five operators with GitHub's 422", async () => {
    const { status, body } = await searchCode(`login ${"x".repeat(251)}`, { token: KEY });
    expect(status).toBe(422);
    expect(body).toMatchObject({
      message: "Validation Failed",
      errors: [{ message: "The search is longer than 256 characters (not including operators or qualifiers).", resource: "Search", field: "q", code: "invalid" }],
    });
    expect((await searchCode(`login ${"x".repeat(250)}`, { token: KEY })).status).toBe(200);
    // Qualifiers do not count: 256 characters of text with long qualifiers is within the limit.
    expect((await searchCode(`login ${"x".repeat(250)} repo:acme/webshop path:src/auth language:typescript`, { token: KEY })).status).toBe(200);
    expect((await searchCode("a OR b OR c OR d OR e OR f", { token: KEY })).status).toBe(200);
    const six = await searchCode("a OR b OR c OR d OR e OR f NOT g", { token: KEY });
    expect(six.status).toBe(422);
    expect(JSON.stringify(six.body)).toContain("operators");
  });

  it("orders by best match: more occurrences first, not by name", async () => {
    emulator.store.addFile({ owner: "acme", repo: "webshop", path: "zzz/many.txt", content: "rare rare rare\nrare" });
    emulator.store.addFile({ owner: "acme", repo: "webshop", path: "aaa/once.txt", content: "rare" });
    const found = (await searchCode("rare repo:acme/webshop", { token: KEY })).body.items.map((i) => i.path);
    expect(found).toEqual(["zzz/many.txt", "aaa/once.txt"]);
  });

  it("needs authentication, contents=read on a fine-grained key, and a repository the key can see", async () => {
    const anonymous = await searchCode("login", {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.message).toBe("Requires authentication");
    const denied = await searchCode("login repo:acme/docs", { token: NO_CONTENTS });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe("Resource not accessible by personal access token");
    expect(denied.headers.get("x-accepted-github-permissions")).toBe("contents=read");
    const hidden = await searchCode("login repo:acme/api", { token: WEBSHOP_ONLY });
    expect(hidden.status).toBe(422);
    expect(JSON.stringify(hidden.body.errors)).toContain("cannot be searched");
    expect(paths((await searchCode("login", { token: WEBSHOP_ONLY })).body).some((p) => p.startsWith("acme/api:"))).toBe(false);
  });
});

describe("code search rate limit", () => {
  it("allows codeSearchPerMinute requests a minute per user, then answers 403 with remaining 0", async () => {
    const small = await startGitHubEmulator({ codeSearchPerMinute: 2, keys: [{ token: KEY, login: "octocat", databaseId: 42, scopes: ["repo"] }] });
    try {
      small.store.addRepository({ owner: "octocat", name: "tiny" });
      small.store.addFile({ owner: "octocat", repo: "tiny", path: "a.ts", content: "login()" });
      const call = () => fetch(`${small.url}/search/code?q=login`, { headers: { authorization: `token ${KEY}` } });
      const statuses = [(await call()).status, (await call()).status];
      const limited = await call();
      expect(statuses).toEqual([200, 200]);
      expect(limited.status).toBe(403);
      expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(limited.headers.get("x-ratelimit-resource")).toBe("code_search");
      expect(Number(limited.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
      expect(((await limited.json()) as { message: string }).message).toBe("API rate limit exceeded for user ID 42.");
      expect(small.rateLimitOf(KEY, "code_search")).toMatchObject({ limit: 2, used: 2, remaining: 0 });
      // The GraphQL and core budgets are separate.
      expect((await fetch(`${small.url}/user`, { headers: { authorization: `token ${KEY}` } })).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
