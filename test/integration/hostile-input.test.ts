import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { ErrorCode } from "../../src/errors";
import { seedSampleData, startGitHubEmulator, type GitHubEmulator, type RecordedRequest } from "../../github-emulator";
import { CODE_QUALIFIERS } from "../../github-emulator/code-search";
import { ISSUE_QUALIFIERS } from "../../github-emulator/issue-search";
import { searchLimitProblem } from "../../github-emulator/search-syntax";
import * as arb from "../support/hostile-arbitraries";
import { startHarness, type Harness } from "../support/harness";
import { classicKey } from "../support/keys";
import { Connect, Renew } from "../support/operations";

// Every property below runs from this seed: a failure prints it with the counterexample and its path.
fc.configureGlobal({ seed: arb.HOSTILE_SEED, numRuns: 40 });

const key = classicKey("mona");
/** express.json({ limit: "100kb" }): a body of more bytes than this is refused with 413. */
const BODY_LIMIT = 100 * 1024;
/** Every code of the contract but the one that means "the gateway broke". */
const CLEAR_CODES = new Set<string>(Object.values(ErrorCode));
CLEAR_CODES.delete(ErrorCode.INTERNAL_SERVER_ERROR);
/** The owners the connected key (mona's) may search: acme (an organisation she is in) and her own. */
const SCOPE_OWNERS = ["acme", "mona"];
const CARD = `query Card { integration { id provider status keyFingerprint registeredAt registeredBy tokenType accountLogin scopes expiresAt keyRejectedAt } }`;

interface GqlError { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }
interface Answer {
  status: number;
  text: string;
  body: { data?: Record<string, any> | null; errors?: GqlError[] };
  /** The request body's size in bytes. */
  bytes: number;
  /** Refused for its size before anything else: a body over 100 kB (413), or a query text over QUERY_MAX_CHARS (400). */
  tooLarge: boolean;
  /** What the gateway sent GitHub (the emulator's record) while answering. */
  upstream: RecordedRequest[];
}

describe("hostile input over HTTP: never a 500, always a clear code, never a key, nothing lost", () => {
  let emulator: GitHubEmulator;
  let h: Harness;
  let admin: string;
  let service: string;
  let endpoint: string;

  beforeAll(async () => {
    emulator = await startGitHubEmulator({ keys: [key], rateLimitPerHour: 10_000_000, codeSearchPerMinute: 1_000_000 });
    seedSampleData(emulator.store);
    // A public repository outside the key's owners: a search that escapes its scope would find it.
    emulator.store.addRepository({ owner: "stranger", name: "outsider" });
    emulator.store.addLabel({ owner: "stranger", repo: "outsider", name: "bug" });
    for (const title of ["login fails for strangers", "bug in login"]) emulator.store.addIssue({ owner: "stranger", repo: "outsider", title, body: "login bug", labels: ["bug"] });
    emulator.store.addPullRequest({ owner: "stranger", repo: "outsider", title: "login fix", state: "MERGED", mergedAt: new Date() });
    emulator.store.addFile({ owner: "stranger", repo: "outsider", path: "src/login.ts", content: "export const login = () => 'bug';\n" });
    // The gateway's own per-tenant limit is not under test here: every answer below must come from the input alone.
    h = await startHarness({ database: "postgres", emulator, env: { TENANT_RATE_LIMIT_PER_MINUTE: "100000000" } });
    endpoint = `${h.gateway.url}/graphql`;
    admin = await h.token("acme", "admin", "alice");
    service = await h.token("acme", "service");
    expect((await h.gql(admin, Connect, { token: key.token })).body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await h?.close();
    await emulator?.close();
  });

  async function raw(token: string | null, body: string | Buffer | ReadableStream, headers: Record<string, string> = {}) {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body,
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
    const text = await res.text();
    // Never an HTML page, never anything but JSON.
    expect(res.headers.get("content-type")).toMatch(/^application\/(graphql-response\+)?json\b/);
    expect(text.trimStart().startsWith("{")).toBe(true);
    // No stack trace: no frame of the gateway's files or its dependencies.
    expect(text).not.toContain(process.cwd());
    expect(text).not.toContain("node_modules");
    return { status: res.status, text, body: JSON.parse(text) as Answer["body"] };
  }

  /**
   * One request, checked for what every answer owes: status, JSON, clear codes, no key; over 100 kB it
   * must be a 413, a query text over QUERY_MAX_CHARS a 400 QUERY_TOO_COMPLEX (limit "characters").
   */
  async function send(token: string, query: string, variables?: Record<string, unknown>, secrets: string[] = []): Promise<Answer> {
    const payload = JSON.stringify({ query, variables });
    const bytes = Buffer.byteLength(payload);
    const from = emulator.requests.length;
    const r = await raw(token, payload);
    const tooLong = query.length > h.config.queryLimits.maxChars;
    const a: Answer = { ...r, bytes, tooLarge: bytes > BODY_LIMIT || tooLong, upstream: emulator.requests.slice(from) };
    expectClear(a, secrets);
    if (bytes > BODY_LIMIT) {
      expect(a.status).toBe(413);
      expect(codesOf(a)).toEqual([ErrorCode.BAD_USER_INPUT]);
    } else if (tooLong) {
      expect(a.status).toBe(400);
      expect(a.body.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: ErrorCode.QUERY_TOO_COMPLEX, limit: "characters" })]);
    }
    if (a.tooLarge) expect(a.upstream).toEqual([]);
    return a;
  }

  function expectClear(a: Pick<Answer, "status" | "text" | "body">, secrets: string[] = []) {
    if (a.status >= 500) throw new Error(`HTTP ${a.status}: ${a.text.slice(0, 500)}`);
    expect([200, 400, 413, 415, 429]).toContain(a.status);
    expect(a.body && typeof a.body === "object").toBe(true);
    expect("data" in a.body || "errors" in a.body).toBe(true);
    for (const e of a.body.errors ?? []) {
      expect(typeof e.message).toBe("string");
      expect(CLEAR_CODES).toContain(String(e.extensions?.code));
      expect(e.extensions).not.toHaveProperty("stacktrace");
    }
    for (const s of [key.token, ...secrets]) expect(arb.mentions(a.text, a.body, s)).toBe(false);
  }

  const codesOf = (a: Pick<Answer, "body">) => (a.body.errors ?? []).map((e) => String(e.extensions?.code));
  const errorAt = (a: Answer, ...path: (string | number)[]) => a.body.errors?.find((e) => JSON.stringify(e.path) === JSON.stringify(path));
  /** Refused as a whole (parse, validation or variable coercion): no data at all, only BAD_USER_INPUT. */
  function expectRefusedWhole(a: Answer) {
    expect(a.body.data ?? null).toBeNull();
    expect(codesOf(a).length).toBeGreaterThan(0);
    expect(new Set(codesOf(a))).toEqual(new Set([ErrorCode.BAD_USER_INPUT]));
    expect(a.upstream).toEqual([]);
  }

  /** A field refused for its input before anything reached GitHub. */
  function expectRefusedAt(a: Answer, field: string) {
    expect(a.body.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT, field })]);
    expect(a.upstream).toEqual([]);
  }
  /** What the gateway refuses as a cursor without asking GitHub: spaces, control characters, non-ASCII, over 1,000 characters. */
  const badCursor = (c: unknown) => typeof c === "string" && c !== "" && (c.length > 1000 || !/^[\x21-\x7e]+$/.test(c));

  /** At the end of each property: neither the connected key nor any submitted one in any log line. */
  function expectLogsClean(secrets: string[]) {
    expect(h.logs.length).toBeGreaterThan(0);
    for (const line of h.logs) {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(line);
      } catch {
        // not JSON: the raw text is still searched
      }
      for (const s of [key.token, ...secrets]) if (arb.mentions(line, parsed, s)) throw new Error(`a key (${s.length} characters) is in a log line`);
    }
  }

  const ownerOf = (repository: string) => repository.split("/")[0].toLowerCase();

  it("look-ups (issue, pullRequest, issueThread) by hostile owner, repo and number: the item, or null with its own code", async () => {
    const Q = `query L($owner: String!, $repo: String!, $number: Int!, $max: Int) { github {
      issue(owner: $owner, repo: $repo, number: $number) { number repository title }
      pullRequest(owner: $owner, repo: $repo, number: $number) { number repository reviewStatus { summary } }
      issueThread(owner: $owner, repo: $repo, number: $number, maxComments: $max) { number repository title totalComments comments { author } markdown } } }`;
    const maxComments = fc.oneof({ arbitrary: fc.constantFrom<unknown>(3, 0, undefined), weight: 3 }, { arbitrary: arb.intLike, weight: 1 });
    await fc.assert(
      fc.asyncProperty(arb.repoRef, arb.itemNumber, maxComments, async ([owner, repo], number, max) => {
        const a = await send(service, Q, { owner, repo, number, max });
        if (a.tooLarge) return;
        const n = arb.roundTrip(number);
        const m = arb.roundTrip(max);
        if (!arb.coerces.intRequired(n) || !arb.coerces.int(m)) return expectRefusedWhole(a);
        const cap = m ?? 500;
        const thread = a.body.data?.github?.issueThread;
        if (thread) expect(thread.comments.length).toBeLessThanOrEqual(cap);
        const found = emulator.store.repository(owner, repo);
        const item = found && emulator.store.issueOrPullRequest(found.databaseId, n);
        const expectations: [string, string | undefined][] = [
          ["issue", item?.__typename === "Issue" ? item.title : undefined],
          ["pullRequest", item?.__typename === "PullRequest" ? item.title : undefined],
          ["issueThread", item?.title],
        ];
        for (const [field, title] of expectations) {
          const value = a.body.data?.github?.[field];
          if (field === "issueThread" && (cap < 0 || cap > 2000)) {
            expect(value).toBeNull();
            expect(errorAt(a, "github", field)?.extensions).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: "maxComments" });
          } else if (n < 1) {
            expect(value).toBeNull();
            expect(errorAt(a, "github", field)?.extensions).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: "number" });
          } else if (title === undefined) {
            expect(value).toBeNull();
            expect(errorAt(a, "github", field)?.extensions?.code).toBe(ErrorCode.GITHUB_NOT_FOUND);
          } else {
            expect(value).toMatchObject({ number: n, repository: `${found!.ownerLogin}/${found!.name}` });
            if (field !== "pullRequest") expect(value.title).toBe(title);
          }
        }
      }),
    );
    expectLogsClean([]);
  });

  it("issues(owner, repo, labels, states, first, after): a correct page, or a clear code", async () => {
    const Q = `query I($owner: String!, $repo: String!, $labels: [String!], $states: [GitHubIssueState!], $assignee: String, $since: DateTime, $first: Int, $after: String) {
      github { issues(owner: $owner, repo: $repo, labels: $labels, states: $states, assignee: $assignee, since: $since, first: $first, after: $after) {
        totalCount nodes { number state labels repository } pageInfo { hasNextPage endCursor } } } }`;
    const states = fc.constantFrom<unknown>(undefined, null, [], ["OPEN"], ["CLOSED", "OPEN"], "CLOSED", ["open"], ["MERGED"], [null], 5);
    const after = fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: arb.cursor, weight: 1 });
    const assignee = fc.oneof({ arbitrary: fc.constantFrom(undefined, "*", "none", "alice"), weight: 3 }, { arbitrary: arb.hostileText(3), weight: 1 });
    await fc.assert(
      fc.asyncProperty(arb.repoRef, arb.labelList, states, assignee, arb.dateTimeLike, arb.pageArg, after, async ([owner, repo], labels, st, who, since, first, cursor) => {
        const a = await send(service, Q, { owner, repo, labels, states: st, assignee: who, since, first, after: cursor });
        if (a.tooLarge) return;
        const v = arb.roundTrip({ labels, st, since, first }) ?? {};
        if (!arb.coerces.strings(v.labels) || !arb.coerces.enums(["OPEN", "CLOSED"])(v.st) || !arb.coerces.dateTime(v.since) || !arb.coerces.int(v.first)) return expectRefusedWhole(a);
        const page = v.first ?? 20;
        const issues = a.body.data?.github?.issues;
        if (page < 1 || page > 100) {
          expect(a.body.data).toBeNull();
          expect(errorAt(a, "github", "issues")?.extensions).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: "first" });
          return expect(a.upstream).toEqual([]);
        }
        if (badCursor(cursor)) return expectRefusedAt(a, "after");
        const found = emulator.store.repository(owner, repo);
        if (!found) return expect(codesOf(a)).toEqual([ErrorCode.GITHUB_NOT_FOUND]);
        if (!issues) return expect(codesOf(a)).toHaveLength(1); // a cursor GitHub refused: any clear code (see the hand-written case)
        expect(issues.nodes.length).toBeLessThanOrEqual(page);
        expect(issues.totalCount).toBeGreaterThanOrEqual(issues.nodes.length);
        const wanted = [].concat(v.labels ?? []).map((l: string) => l.toLowerCase());
        const wantedStates = [].concat(v.st ?? []);
        for (const i of issues.nodes) {
          expect(i.repository).toBe(`${found.ownerLogin}/${found.name}`);
          if (wanted.length) expect(i.labels.some((l: string) => wanted.includes(l.toLowerCase()))).toBe(true);
          if (wantedStates.length) expect(wantedStates).toContain(i.state);
        }
      }),
    );
    expectLogsClean([]);
  });

  it("searchIssues(query, first, after): at most `first` issues, within the key's owners unless the query names another", async () => {
    const Q = `query S($q: String!, $first: Int, $after: String) { github { searchIssues(query: $q, first: $first, after: $after) {
      totalCount nodes { number repository } pageInfo { hasNextPage endCursor } } } }`;
    const after = fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb.cursor, weight: 1 });
    await fc.assert(
      fc.asyncProperty(arb.searchQuery, arb.pageArg, after, async (query, first, cursor) => {
        const a = await send(service, Q, { q: query, first, after: cursor });
        if (a.tooLarge) return;
        const f = arb.roundTrip(first);
        if (!arb.coerces.int(f)) return expectRefusedWhole(a);
        const page = f ?? 20;
        const result = a.body.data?.github?.searchIssues;
        // GitHub's own rule, as the emulator applies it: 256 characters of text (qualifiers aside), five operators.
        if (!query.trim() || searchLimitProblem(query, ISSUE_QUALIFIERS) || page < 1 || page > 100 || badCursor(cursor)) {
          expect(a.body.data).toBeNull();
          expect(codesOf(a)).toEqual([ErrorCode.BAD_USER_INPUT]);
          return expect(a.upstream).toEqual([]);
        }
        if (!result) return expect(codesOf(a)).toHaveLength(1);
        expect(result.nodes.length).toBeLessThanOrEqual(page);
        for (const i of result.nodes) if (!SCOPE_OWNERS.includes(ownerOf(i.repository))) expect(query.toLowerCase()).toContain(ownerOf(i.repository));
      }),
    );
    expectLogsClean([]);
  });

  it("pullRequests(owner, repo, author, base, states, dates, first, after): only the named repository or the key's owners", async () => {
    const Q = `query P($owner: String, $repo: String, $author: String, $base: String, $states: [GitHubPullRequestState!], $since: DateTime, $until: DateTime, $first: Int, $after: String) {
      github { pullRequests(owner: $owner, repo: $repo, author: $author, base: $base, states: $states, mergedSince: $since, mergedUntil: $until, first: $first, after: $after) {
        totalCount nodes { number repository state author baseRefName } } } }`;
    const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: a, weight: 2 });
    const rarely = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: a, weight: 1 });
    const states = fc.constantFrom<unknown>(undefined, ["MERGED"], ["OPEN"], ["CLOSED", "MERGED"], ["OPEN", "CLOSED", "MERGED"], ["merged"], "OPEN");
    const after = fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb.cursor, weight: 1 });
    await fc.assert(
      fc.asyncProperty(
        fc.record({ owner: maybe(arb.ownerName), repo: maybe(arb.repoName), author: rarely(arb.hostileText()), base: rarely(arb.hostileText()), states, since: arb.dateTimeLike, until: arb.dateTimeLike, first: arb.pageArg, after }),
        async (vars) => {
          const a = await send(service, Q, vars);
          if (a.tooLarge) return;
          const v = arb.roundTrip(vars);
          if (!arb.coerces.enums(["OPEN", "CLOSED", "MERGED"])(v.states) || !arb.coerces.dateTime(v.since) || !arb.coerces.dateTime(v.until) || !arb.coerces.int(v.first)) return expectRefusedWhole(a);
          const result = a.body.data?.github?.pullRequests;
          const quoted = (["owner", "repo", "author", "base"] as const).filter((f) => v[f]?.includes('"'));
          if (quoted.length && !(v.repo && !v.owner)) return expectRefusedAt(a, quoted[0]);
          if (!result) return expect(codesOf(a)).toHaveLength(1);
          expect(result.nodes.length).toBeLessThanOrEqual(v.first ?? 20);
          for (const p of result.nodes) {
            if (v.owner && v.repo) expect(p.repository.toLowerCase()).toBe(`${v.owner}/${v.repo}`.toLowerCase());
            else if (v.owner) expect(ownerOf(p.repository)).toBe(v.owner.toLowerCase());
            else expect(SCOPE_OWNERS).toContain(ownerOf(p.repository));
            if (v.author) expect(p.author?.toLowerCase()).toBe(v.author.toLowerCase());
            if (v.base) expect(p.baseRefName.toLowerCase()).toBe(v.base.toLowerCase());
          }
        },
      ),
    );
    expectLogsClean([]);
  });

  it("searchCode(query, owner, repo, first, page): a clear code for every bad one, matches only where asked", async () => {
    const Q = `query C($q: String!, $owner: String, $repo: String, $first: Int, $page: Int) { github {
      searchCode(query: $q, owner: $owner, repo: $repo, first: $first, page: $page) { totalCount items { repository path } } } }`;
    const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: a, weight: 1 });
    await fc.assert(
      fc.asyncProperty(arb.codeQuery, maybe(arb.ownerName), maybe(arb.repoName), arb.pageArg, arb.pageArg, async (q, owner, repo, first, page) => {
        const a = await send(service, Q, { q, owner, repo, first, page });
        if (a.tooLarge) return;
        const v = arb.roundTrip({ first, page });
        if (!arb.coerces.int(v.first) || !arb.coerces.int(v.page)) return expectRefusedWhole(a);
        const result = a.body.data?.github?.searchCode;
        // Longer than any login (39) or repository name (100) GitHub gives: refused before it reaches the URL.
        const unnameable = (owner?.length ?? 0) > 39 || (repo?.length ?? 0) > 100 || q.split(/\s+/).some((t) => /^-?[a-z]+:/i.test(t) && t.length > 1000);
        if (!q.trim() || searchLimitProblem(q.trim(), CODE_QUALIFIERS) || unnameable || (repo && !owner) || `${owner}${repo}`.includes('"') || arb.LONE_SURROGATE.test(`${q}${owner}${repo}`)) expect(codesOf(a)).toEqual([ErrorCode.BAD_USER_INPUT]);
        // A page out of range is the caller's; GitHub's 422 for a user or repository it cannot search is not-found
        // (missing, or not granted to the key).
        else if (!result) {
          const [code] = codesOf(a);
          if (code === ErrorCode.GITHUB_NOT_FOUND) expect(a.upstream.map((u) => u.status)).toContain(422);
          else expect(code).toBe(ErrorCode.BAD_USER_INPUT);
        }
        if (!result) return expect(codesOf(a)).toHaveLength(1);
        expect(result.items.length).toBeLessThanOrEqual(v.first ?? 20);
        for (const m of result.items) {
          if (owner && repo) expect(m.repository.toLowerCase()).toBe(`${owner}/${repo}`.toLowerCase());
          else if (owner) expect(ownerOf(m.repository)).toBe(owner.toLowerCase());
          else if (!/(^|\s)(repo|org|user):/i.test(q)) expect(SCOPE_OWNERS).toContain(ownerOf(m.repository));
        }
      }),
    );
    expectLogsClean([]);
  });

  it("createGitHubIssue with hostile names, labels, assignees, titles and bodies: created as asked, or refused naming the field", async () => {
    const M = `mutation N($input: CreateGitHubIssueInput!) { createGitHubIssue(input: $input) { number repository title body labels } }`;
    const owner = fc.oneof({ arbitrary: fc.constant("acme"), weight: 3 }, { arbitrary: arb.ownerName, weight: 1 });
    const repo = fc.oneof({ arbitrary: fc.constant("webshop"), weight: 3 }, { arbitrary: arb.repoName, weight: 1 });
    const labels = fc.array(fc.oneof(fc.constantFrom("bug", "Bug", "needs triage"), arb.hostileText(3)), { maxLength: 4 });
    const assignees = fc.array(fc.oneof(fc.constantFrom("alice", "BOB"), arb.hostileText(3)), { maxLength: 2 });
    const input = fc.record({ owner, repo, title: fc.oneof(arb.hostileText(), arb.hugeText), body: fc.option(arb.hostileText(), { nil: undefined }), labels, assignees });
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        const a = await send(service, M, { input: i });
        if (a.tooLarge) return;
        const { owner: o, repo: r, title, labels: l } = i;
        const created = a.body.data?.createGitHubIssue;
        const found = emulator.store.repository(o, r);
        const unknown = l.filter((x) => !found || !emulator.store.label(found.databaseId, x));
        if (created) {
          expect(found && title.trim() && unknown.length === 0 && i.assignees.every((u) => emulator.store.user(u))).toBeTruthy();
          expect(created.body).toBe(i.body ?? "");
          expect(created).toMatchObject({ repository: `${found!.ownerLogin}/${found!.name}`, title: title.trim() });
          expect(created.labels.map((x: string) => x.toLowerCase()).sort()).toEqual([...new Set(l.map((x) => x.toLowerCase()))].sort());
          expect(a.upstream.filter((u) => u.isMutation)).toHaveLength(1);
        } else {
          // A repository the key cannot reach is GitHub's not-found; every other refusal is the caller's input.
          expect(codesOf(a)).toEqual([found || !title.trim() ? ErrorCode.BAD_USER_INPUT : ErrorCode.GITHUB_NOT_FOUND]);
          expect(a.upstream.filter((u) => u.isMutation)).toHaveLength(0);
          const field = a.body.errors![0].extensions?.field;
          expect(["title", "repo", "labels", "assignees"]).toContain(field);
          if (!title.trim()) expect(field).toBe("title");
        }
      }),
      { numRuns: 30 },
    );
    expectLogsClean([]);
  });

  it("connect and renew with hostile keys: a clear code, the key never echoed or logged, the integration unchanged", async () => {
    const card = async () => (await send(admin, CARD)).body.data?.integration;
    const events = async () => (await h.gateway.dataSource.query(`SELECT count(*)::int AS n FROM integration_event`))[0].n;
    const before = await card();
    const eventsBefore = await events();
    expect(before).toMatchObject({ status: "ACTIVE", keyFingerprint: key.token.slice(-4), keyRejectedAt: null });
    const secrets: string[] = [];
    await fc.assert(
      fc.asyncProperty(arb.submittedKey, fc.constantFrom("connect", "renew"), fc.boolean(), async (k, op, inline) => {
        secrets.push(...arb.secretsOf(k));
        const literal = inline && typeof k.value === "string";
        const doc = literal
          ? `mutation { ${op}Integration(input: { provider: GITHUB, token: ${JSON.stringify(k.value)} }) { keyFingerprint } }`
          : op === "connect" ? Connect : Renew;
        const a = await send(admin, doc, literal ? undefined : { token: k.value }, arb.secretsOf(k));
        if (!a.tooLarge) {
          expect(a.body.data?.[`${op}Integration`] ?? null).toBeNull();
          const codes = codesOf(a);
          expect(codes).toHaveLength(1);
          expect(op === "connect" ? ["BAD_USER_INPUT", "INTEGRATION_ALREADY_CONNECTED"] : ["BAD_USER_INPUT", "GITHUB_TOKEN_REJECTED"]).toContain(codes[0]);
          const trimmed = typeof k.value === "string" ? k.value.trim() : null;
          if (trimmed !== null && (trimmed.length > 255 || !/^[\x21-\x7e]+$/.test(trimmed))) expect(codes[0]).toBe(ErrorCode.BAD_USER_INPUT);
          // Only a well-shaped key is ever shown to GitHub, and only by renew (connect is refused first: already connected).
          if (codes[0] === "GITHUB_TOKEN_REJECTED") expect(a.upstream.map((u) => [u.token, u.status])).toEqual([[trimmed, 401]]);
          else expect(a.upstream).toEqual([]);
        }
        expect(await card()).toEqual(before);
        expect(await events()).toBe(eventsBefore);
      }),
      { numRuns: 60 },
    );
    const viewer = await send(service, `{ github { viewer { login } } }`);
    expect(viewer.body.data?.github.viewer.login).toBe("mona");
    expectLogsClean(secrets);
  });

  it("toggle with values that are not booleans, and integrationEvents with hostile cursors: refused, nothing changes", async () => {
    const card = async () => (await send(admin, CARD)).body.data?.integration;
    const before = await card();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<unknown>("true", "false", 0, 1, null, "ACTIVE", [false], { active: false }), async (active) => {
        expectRefusedWhole(await send(admin, `mutation T($active: Boolean!) { toggleIntegration(input: { active: $active }) { status } }`, { active }));
        expect(await card()).toEqual(before);
      }),
      { numRuns: 10 },
    );
    await fc.assert(
      fc.asyncProperty(arb.cursor, arb.pageArg, async (after, first) => {
        const a = await send(admin, `query E($first: Int, $after: String) { integrationEvents(first: $first, after: $after) { nodes { action } pageInfo { hasNextPage } } }`, { first, after });
        if (a.tooLarge) return;
        const f = arb.roundTrip(first);
        if (!arb.coerces.int(f)) return expectRefusedWhole(a);
        if (a.body.data) expect(a.body.data.integrationEvents.nodes.length).toBeLessThanOrEqual(f ?? 20);
        else expect(codesOf(a)).toEqual([ErrorCode.BAD_USER_INPUT]);
        if (after && (f ?? 20) >= 1 && (f ?? 20) <= 100) expect(a.body.data ?? null).toBeNull(); // no hostile cursor is one this API issued
      }),
    );
    expectLogsClean([]);
  });

  it("hostile owner, repo, label and search text reach GitHub only as variables, never in the document", async () => {
    const wrap = fc.constantFrom(...arb.GRAPHQL_SYNTAX, ...arb.SEARCH_SYNTAX, ...arb.CONTROL, ...arb.INVISIBLE, ...arb.SURROGATES, "");
    const text = fc.tuple(wrap, arb.marker(), wrap).map(([a, m, b]) => ({ value: `${a}${m}${b}`, marker: m }));
    const where = fc.constantFrom("owner", "repo", "label", "searchIssues", "author", "base", "prOwner", "createLabel");
    await fc.assert(
      fc.asyncProperty(text, where, fc.boolean(), async ({ value, marker }, at, inline) => {
        // Inline: the caller typed the string into its own document; the gateway must still not splice it upstream.
        const s = (name: string) => (inline ? JSON.stringify(value) : `$${name}`);
        const doc = (
          {
            owner: [`query($v: String!) { github { issue(owner: ${s("v")}, repo: "webshop", number: 1) { number } } }`],
            repo: [`query($v: String!) { github { issue(owner: "acme", repo: ${s("v")}, number: 1) { number } } }`],
            label: [`query($v: String!) { github { issues(owner: "acme", repo: "webshop", labels: [${s("v")}], first: 5) { totalCount } } }`],
            searchIssues: [`query($v: String!) { github { searchIssues(query: ${s("v")}, first: 5) { totalCount } } }`],
            author: [`query($v: String!) { github { pullRequests(author: ${s("v")}, first: 5) { totalCount } } }`],
            base: [`query($v: String!) { github { pullRequests(owner: "acme", base: ${s("v")}, first: 5) { totalCount } } }`],
            prOwner: [`query($v: String!) { github { pullRequests(owner: ${s("v")}, first: 5) { totalCount } } }`],
            createLabel: [`mutation($v: String!) { createGitHubIssue(input: { owner: "acme", repo: "webshop", title: "t", labels: [${s("v")}] }) { number } }`],
          } as Record<string, [string]>
        )[at][0];
        const a = await send(service, inline ? doc.replace("($v: String!)", "") : doc, inline ? undefined : { v: value });
        const graphql = a.upstream.filter((u) => u.query !== undefined);
        for (const u of graphql) expect(u.query).not.toContain(marker);
        if (a.body.data === undefined) return expectRefusedWhole(a); // the caller's own document did not parse (a lone surrogate escape)
        // GitHub's search cannot carry a double quote inside a qualifier's value: refused, not altered.
        if (["author", "base", "prOwner"].includes(at) && value.includes('"')) return expectRefusedAt(a, at === "prOwner" ? "owner" : at);
        // Nor a value longer than any login (39) or branch (255) GitHub gives: it names nothing.
        if ((["author", "prOwner"].includes(at) && value.length > 39) || (at === "base" && value.length > 255)) return expectRefusedAt(a, at === "prOwner" ? "owner" : at);
        expect(graphql.some((u) => JSON.stringify(u.variables).includes(marker))).toBe(true);
        expect(graphql.every((u) => u.status === 200)).toBe(true);
        expect(codesOf(a).every((c) => c === "GITHUB_NOT_FOUND" || c === "BAD_USER_INPUT")).toBe(true);
      }),
      { numRuns: 60 },
    );
    expectLogsClean([]);
  });

  describe("the strangest inputs, by hand", () => {
    const Lookup = `query($o: String!, $r: String!, $n: Int!) { github { issue(owner: $o, repo: $r, number: $n) { number } } }`;
    /** A JSON body of exactly `bytes` bytes that asks for the viewer. */
    function bodyOf(bytes: number): string {
      const base = JSON.stringify({ query: "{ github { viewer { login } } }", variables: { pad: "" } });
      return base.replace(`"pad":""`, `"pad":"${"x".repeat(bytes - Buffer.byteLength(base))}"`);
    }

    it("the body limit is exactly 100 kB: at the limit answered, one byte over it 413 in JSON, nothing sent to GitHub", async () => {
      const at = await raw(service, bodyOf(BODY_LIMIT));
      expect(Buffer.byteLength(bodyOf(BODY_LIMIT))).toBe(BODY_LIMIT);
      expect(at.status).toBe(200);
      expect(at.body.data?.github.viewer.login).toBe("mona");
      const from = emulator.requests.length;
      const over = await raw(service, bodyOf(BODY_LIMIT + 1));
      expect(over.status).toBe(413);
      expect(over.body.errors?.map((e) => e.extensions?.code)).toEqual([ErrorCode.BAD_USER_INPUT]);
      expect(emulator.requests.length).toBe(from);
    });

    it.each([
      ["1 MB of JSON", () => bodyOf(1024 * 1024), {}],
      ["200 kB sent in chunks, without a length", () => new Blob([bodyOf(200 * 1024)]).stream(), {}],
      ["a gzip bomb (5 MB inflated from a few kB)", () => gzipSync(bodyOf(5 * 1024 * 1024)), { "content-encoding": "gzip" }],
    ] as [string, () => string | Buffer | ReadableStream, Record<string, string>][])("over the limit as %s: 413 in JSON, and the gateway still answers", async (_name, body, headers) => {
      const from = emulator.requests.length;
      const r = await raw(service, body(), headers);
      expectClear(r);
      expect(r.status).toBe(413);
      expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual([ErrorCode.BAD_USER_INPUT]);
      expect(emulator.requests.length).toBe(from);
      expect((await send(service, `{ github { viewer { login } } }`)).body.data?.github.viewer.login).toBe("mona");
    });

    it.each([
      ["not JSON", "{\"query\":"], ["empty", ""], ["a JSON array (a batch)", "[]"], ["null", "null"], ["a JSON string", '"{ github { viewer { login } } }"'],
      ["a number as query", '{"query":5}'], ["variables as a string", '{"query":"{ github { viewer { login } } }","variables":"{}"}'],
      ["variables as an array", '{"query":"{ github { viewer { login } } }","variables":[1]}'], ["operationName as a number", '{"query":"{ github { viewer { login } } }","operationName":5}'],
      ["a NUL in the document", '{"query":"{ github \\u0000 { viewer { login } } }"}'],
      ["a lone surrogate escaped in a document string", '{"query":"{ github { issue(owner: \\"\\\\ud800\\", repo: \\"x\\", number: 1) { number } } }"}'],
      ["a raw lone surrogate in the document", '{"query":"{ github \\ud800 { viewer { login } } }"}'],
    ])("a body that is %s: 400 in JSON with BAD_USER_INPUT", async (_name, body) => {
      const from = emulator.requests.length;
      const r = await raw(service, body);
      expectClear(r);
      expect(r.status).toBe(400);
      expect(new Set(codesOf(r))).toEqual(new Set([ErrorCode.BAD_USER_INPUT]));
      expect(emulator.requests.length).toBe(from);
    });

    it("an unknown persisted query: 200 as the protocol says, BAD_USER_INPUT", async () => {
      const r = await raw(service, '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"00"}}}');
      expectClear(r);
      expect(codesOf(r)).toEqual([ErrorCode.BAD_USER_INPUT]);
    });

    it("a document nested 20,000 levels deep (80 kB): refused whole with 400, nothing sent to GitHub", async () => {
      const from = emulator.requests.length;
      const r = await raw(service, JSON.stringify({ query: `{ github ${"{ v ".repeat(20_000)}${"}".repeat(20_001)}` }));
      expectClear(r);
      expect(r.status).toBe(400);
      // A parse error, or the query limits arriving in parallel (QUERY_TOO_COMPLEX, also a 400).
      expect(codesOf(r).every((c) => c === ErrorCode.BAD_USER_INPUT || c === "QUERY_TOO_COMPLEX")).toBe(true);
      expect(emulator.requests.length).toBe(from);
    });

    it.each([
      ["a UTF-16 charset", { "content-type": "application/json; charset=utf-16" }],
      ["an unknown content encoding", { "content-encoding": "zstd-of-the-future" }],
      ["text/plain (a form a browser could send cross-site)", { "content-type": "text/plain" }],
    ])("a body with %s: refused in JSON, never a 500", async (_name, headers) => {
      const r = await raw(service, JSON.stringify({ query: "{ github { viewer { login } } }" }), headers);
      expectClear(r);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(new Set(codesOf(r))).toEqual(new Set([ErrorCode.BAD_USER_INPUT]));
    });

    it("bytes that are not UTF-8 inside a JSON string are read as U+FFFD: the owner is not found, nothing breaks", async () => {
      const [head, tail] = JSON.stringify({ query: Lookup, variables: { o: "ac@me", r: "webshop", n: 1 } }).split("@");
      const r = await raw(service, Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xc3]), Buffer.from(tail)]));
      expectClear(r);
      expect(r.body.data?.github.issue).toBeNull();
      expect(codesOf(r)).toEqual([ErrorCode.GITHUB_NOT_FOUND]);
    });

    it.each([
      ["a lone high surrogate", "\ud800acme"], ["a lone low surrogate", "acme\udc00"], ["a bidi override", "acme\u202e"], ["a zero-width space", "\u200bacme"],
      ["a NUL", "acme\u0000"], ["a BOM", "\ufeffacme"], ["a line separator", "acme\u2028"],
    ])("an owner with %s is not acme: null with GITHUB_NOT_FOUND, and GitHub got it unaltered as a variable", async (_name, owner) => {
      const a = await send(service, Lookup, { o: owner, r: "webshop", n: 1 });
      expect(a.body.data?.github.issue).toBeNull();
      expect(codesOf(a)).toEqual([ErrorCode.GITHUB_NOT_FOUND]);
      expect(a.upstream).toHaveLength(1);
      expect(Object.values(a.upstream[0].variables ?? {})).toContain(owner);
      expect(a.upstream[0].query).not.toContain(owner);
    });

    it("a 90 kB owner (under the body limit) reaches GitHub once, as a variable, and is not found", async () => {
      const owner = `acme${"}{ ...on $var ".repeat(6_000)}`.slice(0, 90_000);
      const a = await send(service, Lookup, { o: owner, r: "webshop", n: 1 });
      expect(a.tooLarge).toBe(false);
      expect(codesOf(a)).toEqual([ErrorCode.GITHUB_NOT_FOUND]);
      expect(a.upstream).toHaveLength(1);
      expect(a.upstream[0].variables?.r0_owner).toBe(owner);
      expect(a.upstream[0].query!.length).toBeLessThan(5_000);
    });

    it.each([
      ["2^31 - 1: not found", { n: 2 ** 31 - 1 }, "GITHUB_NOT_FOUND"],
      ["0", { n: 0 }, "BAD_USER_INPUT"],
      ["-1", { n: -1 }, "BAD_USER_INPUT"],
      ["-2^31", { n: -(2 ** 31) }, "BAD_USER_INPUT"],
    ])("issue number %s", async (_name, vars, code) => {
      const a = await send(service, Lookup, { o: "acme", r: "webshop", ...vars });
      expect(a.body.data?.github.issue).toBeNull();
      expect(codesOf(a)).toEqual([code]);
      if (code === "BAD_USER_INPUT") expect(a.upstream).toEqual([]);
    });

    it.each([
      ["2^31 as a variable", Lookup, { o: "acme", r: "webshop", n: 2 ** 31 }],
      ["1.5 as a variable", Lookup, { o: "acme", r: "webshop", n: 1.5 }],
      ['"1" as a variable', Lookup, { o: "acme", r: "webshop", n: "1" }],
      ["2^31 inline", `{ github { issue(owner: "acme", repo: "webshop", number: 2147483648) { number } } }`, undefined],
      ["1.0 inline", `{ github { issue(owner: "acme", repo: "webshop", number: 1.0) { number } } }`, undefined],
      ["1e3 inline", `{ github { issue(owner: "acme", repo: "webshop", number: 1e3) { number } } }`, undefined],
      ["first: 2^31 inline", `{ github { searchIssues(query: "login", first: 2147483648) { totalCount } } }`, undefined],
    ])("a number that is no Int (%s): refused whole with 400", async (_name, query, vars) => {
      const a = await send(service, query, vars as Record<string, unknown> | undefined);
      expect(a.status).toBe(400);
      expectRefusedWhole(a);
    });

    it.each([
      ["first: 0", `{ github { searchIssues(query: "login", first: 0) { totalCount } } }`, "first", undefined],
      ["first: 101", `{ github { issues(owner: "acme", repo: "webshop", first: 101) { totalCount } } }`, "first", undefined],
      ["first: -1 in pullRequests", `{ github { pullRequests(first: -1) { totalCount } } }`, "first", undefined],
      ["page: 0", `{ github { searchCode(query: "login", page: 0) { totalCount } } }`, "page", undefined],
      ["page 11 of 100", `{ github { searchCode(query: "login", first: 100, page: 11) { totalCount } } }`, "page", undefined],
      ["maxComments: -1", `{ github { issueThread(owner: "acme", repo: "webshop", number: 123, maxComments: -1) { title } } }`, "maxComments", undefined],
      ["a control character in a cursor", `{ github { searchIssues(query: "login", after: "abc\\u0007") { totalCount } } }`, "after", undefined],
      ["a 5,000-character cursor", `{ github { issues(owner: "acme", repo: "webshop", after: "${"A".repeat(5000)}") { totalCount } } }`, "after", undefined],
      ["a double quote in the owner of pullRequests", `{ github { pullRequests(owner: "ac\\"me", repo: "webshop") { totalCount } } }`, "owner", undefined],
      ["a double quote in the repo of searchCode", `{ github { searchCode(query: "login", owner: "acme", repo: "web\\"shop") { totalCount } } }`, "repo", undefined],
      ["a lone surrogate in a code search", `query($q: String!) { github { searchCode(query: $q) { totalCount } } }`, "query", { q: "login \ud800" }],
    ] as [string, string, string, Record<string, unknown> | undefined][])("%s: BAD_USER_INPUT naming the field, nothing sent to GitHub", async (_name, query, field, vars) => {
      const a = await send(service, query, vars);
      expectRefusedAt(a, field);
    });

    it("issueThreads: 21 refs are refused whole; hostile refs are each null with their own code beside a good one", async () => {
      const T = `query($refs: [GitHubItemRefInput!]!) { github { issueThreads(refs: $refs, maxComments: 1) { repository number } } }`;
      const many = await send(service, T, { refs: Array.from({ length: 21 }, (_, n) => ({ owner: "acme", repo: "webshop", number: n + 1 })) });
      expect(many.body.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT, field: "refs" })]);
      expect(many.upstream).toEqual([]);
      const mixed = await send(service, T, { refs: [{ owner: "acme", repo: "webshop", number: 1 }, { owner: "}{\u202e", repo: "$var", number: 1 }, { owner: "acme", repo: "webshop", number: 0 }] });
      expect(mixed.body.data?.github.issueThreads).toEqual([{ repository: "acme/webshop", number: 1 }, null, null]);
      expect(errorAt(mixed, "github", "issueThreads", 1)?.extensions?.code).toBe(ErrorCode.GITHUB_NOT_FOUND);
      expect(errorAt(mixed, "github", "issueThreads", 2)?.extensions).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: "number" });
      expect(mixed.upstream).toHaveLength(1); // the good and the hostile ref shared one document
    });

    it("labels and assignees that differ only in case are one each: GitHub gets each ID once", async () => {
      const a = await send(service, `mutation { createGitHubIssue(input: { owner: "acme", repo: "webshop", title: "Case", labels: ["bug", "Bug", "BUG"], assignees: ["alice", "ALICE"] }) { labels assignees } }`);
      expect(a.body.data?.createGitHubIssue).toEqual({ labels: ["bug"], assignees: ["alice"] });
      const mutation = a.upstream.filter((u) => u.isMutation);
      expect(mutation).toHaveLength(1);
      expect(mutation[0].variables?.input).toMatchObject({ labelIds: [expect.any(String)], assigneeIds: [expect.any(String)] });
    });

    it("an empty cursor is the first page", async () => {
      const a = await send(service, `{ github { issues(owner: "acme", repo: "webshop", first: 2, after: "") { nodes { number } } } }`);
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data?.github.issues.nodes).toHaveLength(2);
    });

    it("a phrase that merely contains repo: does not lift a search out of the key's owners", async () => {
      const a = await send(service, `{ github { pullRequests(author: "x repo:stranger/outsider", first: 5) { totalCount } } }`);
      expect(a.body.errors).toBeUndefined();
      expect(a.upstream).toHaveLength(1);
      expect(a.upstream[0].variables?.q).toMatch(/(^|\s)org:acme(\s|$)/);
      const b = await send(service, `{ github { searchIssues(query: "login \\" repo:stranger/outsider", first: 5) { totalCount } } }`);
      expect(b.upstream[0].variables?.q).toMatch(/(^|\s)org:acme(\s|$)/);
    });

    it("a base64 cursor GitHub never issued: BAD_USER_INPUT naming `after`, not GITHUB_UNAVAILABLE as if GitHub were down", async () => {
      const a = await send(service, `query($a: String) { github { issues(owner: "acme", repo: "webshop", after: $a) { totalCount } } }`, { a: Buffer.from("cursor:v2:x").toString("base64") });
      expect(a.body.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT, field: "after" })]);
    });

    it("an integrationEvents cursor past PostgreSQL's bigint: BAD_USER_INPUT, not INTERNAL_SERVER_ERROR", async () => {
      const r = await raw(admin, JSON.stringify({ query: `query($a: String) { integrationEvents(after: $a) { nodes { action } } }`, variables: { a: Buffer.from("event:9999999999999999999").toString("base64url") } }));
      expect(r.body.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT, field: "after" })]);
    });

    it("a key put where GraphQL echoes values (wrong type, enum, argument name, DateTime, NUL) never comes back", async () => {
      const keys = [classicKey("nobody").token, `github_pat_${classicKey("x").token.slice(4)}_${classicKey("y").token.slice(4)}`];
      for (const k of keys) {
        for (const [query, vars] of [
          [`mutation { connectIntegration(input: { token: [${JSON.stringify(k)}] }) { id } }`],
          [`mutation { connectIntegration(input: { token: { key: ${JSON.stringify(k)} } }) { id } }`],
          [`mutation { connectIntegration(input: { provider: ${k}, token: "x" }) { id } }`],
          [`mutation { connectIntegration(${k}: 1, input: { token: "x" }) { id } }`],
          [`{ github { pullRequests(mergedSince: ${JSON.stringify(k)}) { totalCount } } }`],
          [`query($t: Int!) { github { issue(owner: "acme", repo: "webshop", number: $t) { number } } }`, { t: k }],
          [`query($t: DateTime) { github { pullRequests(mergedSince: $t) { totalCount } } }`, { t: k }],
          [`query($t: Boolean!) { github { viewer { login @include(if: $t) } } }`, { t: [k] }],
          [`mutation($t: String!) { renewIntegration(input: { token: $t }) { id } }`, { t: `${k}\u0000` }],
        ] as [string, Record<string, unknown>?][]) {
          const a = await send(admin, query, vars, [k, k.slice(4, -4)]);
          expect(codesOf(a).length).toBeGreaterThan(0);
        }
      }
      expectLogsClean(keys.flatMap((k) => [k, k.slice(4, -4)]));
    });

    it("a key used as the operation's name is not written to the request log in clear", async () => {
      const k = classicKey("nobody").token;
      const requestLines = () => h.logs.filter((l) => l.includes('"msg":"graphql request"')).length;
      const before = requestLines();
      await send(admin, `query ${k} { integration { status } }`, undefined, [k]);
      expect(requestLines()).toBe(before + 1); // the request was logged, with its operation's name
      expectLogsClean([k]);
    });

    it("a hostile renew while the integration is deactivated: still INACTIVE, same key, nothing recorded", async () => {
      const card = async () => (await send(admin, CARD)).body.data?.integration;
      expect((await send(admin, `mutation { toggleIntegration(input: { active: false }) { status } }`)).body.data?.toggleIntegration.status).toBe("INACTIVE");
      const events = async () => (await h.gateway.dataSource.query(`SELECT count(*)::int AS n FROM integration_event`))[0].n;
      try {
        const before = await card();
        const eventsBefore = await events();
        for (const token of [`ghp_${"A".repeat(251)}`, `ghp_${"A".repeat(252)}`, "  \u202eghp_abc  ", classicKey("nobody").token]) {
          const a = await send(admin, Renew, { token }, [token]);
          expect(["BAD_USER_INPUT", "GITHUB_TOKEN_REJECTED"]).toContain(codesOf(a)[0]);
          expect(await card()).toEqual(before);
        }
        expect(await events()).toBe(eventsBefore);
        expect(before).toMatchObject({ status: "INACTIVE", keyFingerprint: key.token.slice(-4), keyRejectedAt: null });
      } finally {
        await send(admin, `mutation { toggleIntegration(input: { active: true }) { status } }`);
      }
    });
  });
});
