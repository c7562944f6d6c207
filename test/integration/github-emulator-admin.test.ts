import { BENCH, seedBenchData, startGitHubEmulator, type GitHubEmulator, type RequestsReport } from "../../github-emulator";
import { runFromEnv } from "../../github-emulator/main";
import { postGraphql } from "../../github-emulator/test-helpers";

// The admin routes another process (the benchmark) reads the emulator's accounting with, and the
// benchmark's seed. Nothing here depends on timing.

const KEY = "ghp_emulatorAdminKey0000000000000000001";
const OTHER = "ghp_emulatorAdminKey0000000000000000002";

let emulator: GitHubEmulator;

async function admin<T>(method: "GET" | "POST", path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${emulator.url}${path}`, { method });
  return { status: response.status, body: (await response.json()) as T };
}

const ISSUE = "query($o: String!, $r: String!, $n: Int!) { repository(owner: $o, name: $r) { issue(number: $n) { number title } } }";
const ISSUES = "query($o: String!, $r: String!) { repository(owner: $o, name: $r) { issues(first: 100) { nodes { number labels(first: 100) { totalCount } comments(first: 100) { totalCount } } } } }";

beforeAll(async () => {
  emulator = await startGitHubEmulator({ keys: [{ token: KEY, login: "bench-bot", scopes: ["repo"] }, { token: OTHER, login: "other-bot" }] });
  seedBenchData(emulator.store, { now: new Date("2026-11-18T12:00:00Z") });
  emulator.store.addMember(BENCH.owner, "bench-bot"); // its repositories are private: the key's user works there
});

afterAll(() => emulator.close());

beforeEach(() => emulator.clearRequests());

describe("GET /_emulator/requests", () => {
  it("reports the recorded requests' count, paths, costs, statuses and points", async () => {
    await postGraphql(emulator, { query: ISSUE, variables: { o: BENCH.owner, r: "r0", n: 1 } }, KEY);
    await postGraphql(emulator, { query: ISSUES, variables: { o: BENCH.owner, r: "r1" } }, KEY);
    await postGraphql(emulator, { query: ISSUE, variables: { o: BENCH.owner, r: "r0", n: 1 } }, "ghp_unknown");

    const { status, body } = await admin<RequestsReport>("GET", "/_emulator/requests");

    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 3, since: 0, count: 3, pending: 0, byStatus: { "200": 2, "401": 1 } });
    expect(body.requests.map((r) => [r.index, r.method, r.path, r.status, r.cost])).toEqual([
      [0, "POST", "/graphql", 200, 1],
      [1, "POST", "/graphql", 200, 2],
      [2, "POST", "/graphql", 401, null],
    ]);
    expect(body.points).toBe(3);
    expect(JSON.stringify(body)).not.toContain(KEY);
  });

  it("reads only the requests from `since`, at most `limit` of them listed, and records none of its own", async () => {
    for (let n = 1; n <= 3; n += 1) await postGraphql(emulator, { query: ISSUE, variables: { o: BENCH.owner, r: "r2", n } }, KEY);

    const { body } = await admin<RequestsReport>("GET", "/_emulator/requests?since=1&limit=1");

    expect(body).toMatchObject({ total: 3, since: 1, count: 2, points: 2 });
    expect(body.requests.map((r) => r.index)).toEqual([1]);
    expect(emulator.requests).toHaveLength(3);
  });

  it("refuses a `since` that is not a non-negative integer", async () => {
    expect((await admin<{ message: string }>("GET", "/_emulator/requests?since=-1")).status).toBe(422);
  });
});

describe("POST /_emulator/reset-requests", () => {
  it("clears the record, so the next window starts at 0", async () => {
    await postGraphql(emulator, { query: ISSUE, variables: { o: BENCH.owner, r: "r3", n: 4 } }, KEY);

    expect(await admin("POST", "/_emulator/reset-requests")).toEqual({ status: 200, body: { cleared: 1 } });
    expect((await admin<RequestsReport>("GET", "/_emulator/requests")).body).toMatchObject({ total: 0, count: 0, points: 0 });
  });
});

describe("GET /_emulator/rate-limit", () => {
  it("reports the key's user's budget, which moves by the points charged", async () => {
    const before = (await admin<{ used: number; remaining: number; limit: number }>("GET", `/_emulator/rate-limit?token=${KEY}`)).body;
    await postGraphql(emulator, { query: ISSUES, variables: { o: BENCH.owner, r: "r4" } }, KEY);

    const { status, body } = await admin<{ resource: string; used: number; remaining: number; limit: number }>("GET", `/_emulator/rate-limit?token=${KEY}`);

    expect(status).toBe(200);
    expect(body).toMatchObject({ resource: "graphql", limit: 5000, used: before.used + 2, remaining: before.remaining - 2 });
    expect((await admin<{ used: number }>("GET", `/_emulator/rate-limit?token=${OTHER}`)).body.used).toBe(0);
  });

  it("answers 404 for an unknown key, 422 without one or for an unknown resource", async () => {
    expect((await admin("GET", "/_emulator/rate-limit?token=ghp_nobody")).status).toBe(404);
    expect((await admin("GET", "/_emulator/rate-limit")).status).toBe(422);
    expect((await admin("GET", `/_emulator/rate-limit?token=${KEY}&resource=search`)).status).toBe(422);
  });

  it("answers 404 for an unknown admin route", async () => {
    expect((await admin("GET", "/_emulator/nothing")).status).toBe(404);
  });
});

describe("the benchmark's data", () => {
  it("has five repositories of issues and pull requests, and an issue with 1,000 comments", async () => {
    const query = `query {
      a: repository(owner: "bench", name: "r4") { issue(number: 60) { title } pullRequest(number: 120) { title reviewDecision } }
      b: repository(owner: "bench", name: "r0") { issue(number: ${BENCH.longThread.number}) { comments(first: 1) { totalCount } } }
      c: repository(owner: "bench", name: "r2") { issues { totalCount } pullRequests { totalCount } }
    }`;
    const { json } = await postGraphql(emulator, { query }, KEY);

    expect(json.errors).toBeUndefined();
    expect(json.data).toEqual({
      a: { issue: { title: "r4 issue 60" }, pullRequest: { title: "r4 pull request 120", reviewDecision: expect.any(String) } },
      b: { issue: { comments: { totalCount: 1000 } } },
      c: { issues: { totalCount: 60 }, pullRequests: { totalCount: 60 } },
    });
  });

  it("is seeded by EMULATOR_BENCH_DATA=1 when run as a process", async () => {
    const lines: string[] = [];
    const child = await runFromEnv({ EMULATOR_BENCH_DATA: "1", EMULATOR_KEYS: JSON.stringify([{ token: KEY, login: "bench-bot", scopes: ["repo"] }]) }, (l) => lines.push(l));
    try {
      expect(JSON.parse(lines[0])).toEqual({ url: child.url, graphqlUrl: child.graphqlUrl });
      const { json } = await postGraphql(child, { query: ISSUE, variables: { o: BENCH.owner, r: "r1", n: 2 } }, KEY);
      expect(json.data).toEqual({ repository: { issue: { number: 2, title: "r1 issue 2" } } });
    } finally {
      await child.close();
    }
  });
});
