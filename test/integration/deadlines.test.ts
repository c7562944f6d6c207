import { Client } from "pg";
import { seedSampleData } from "../../github-emulator";
import { classicKey } from "../support/keys";
import { codeOf, startHarness, type GraphQLResult, type Harness } from "../support/harness";
import { Card, Connect, Renew, Viewer } from "../support/operations";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

/**
 * REQUEST_TIMEOUT_MS bounds a request wherever it waits: on GitHub while connect and renew check a key
 * (every call of the check gets only the time left), and on the database (a connection, query and
 * statement timeout derived from it). Bounds are loose (the setting plus a margin, far below what the
 * gateway took without them) and backed by what the emulator recorded and the codes answered.
 */
const REQUEST_TIMEOUT_MS = 3000;
/** What a request may take beyond its deadline: answering, and a database query already under way. */
const MARGIN_MS = 1500;
/** Long enough that a request right after the link breaks still finds the lease holding (it holds at least about half of it). */
const LEASE_MS = 3000;

type CardShape = { integration: { keyFingerprint: string; registeredAt: string } | null };

/** The answer and how long it took, or "no answer" once `limitMs` has passed (the old code never answered). */
async function timed<T>(work: Promise<T>, limitMs = 12_000): Promise<{ ms: number; result: T | "no answer" }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<"no answer">((resolve) => (timer = setTimeout(() => resolve("no answer"), limitMs)));
  const result = await Promise.race([work, gaveUp]);
  clearTimeout(timer);
  return { ms: Date.now() - started, result };
}

const code = (result: GraphQLResult | "no answer") => (result === "no answer" ? result : codeOf(result));

describe("connect and renew with GitHub hanging end within REQUEST_TIMEOUT_MS", () => {
  const key = classicKey("octocat");
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    // One GitHub call alone may take 10 s: only the request's own time can stop the check sooner.
    h = await startHarness({ database: "postgres", keys: [key], env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), GITHUB_TIMEOUT_MS: "10000" } });
    seedSampleData(h.emulator.store);
    admin = await h.token("acme", "admin");
  });
  afterAll(() => h?.close());
  afterEach(() => h.emulator.clearFaults());

  it("connect: GitHub never answers the check: GITHUB_UNAVAILABLE at the deadline, one request sent, nothing stored", async () => {
    const tenant = await h.token("hang-1", "admin");
    h.emulator.fail({ kind: "delay", ms: 60_000 });
    const mark = h.emulator.requests.length;
    const { ms, result } = await timed(h.gql(tenant, Connect, { token: key.token }));
    expect(code(result)).toBe("GITHUB_UNAVAILABLE");
    expect(ms).toBeLessThan(2 * REQUEST_TIMEOUT_MS);
    // A timeout is not retried: the one call was given the request's time and cut off unanswered.
    expect(h.emulator.requests.slice(mark).map((r) => `${r.path} ${r.fault} ${r.status}`)).toEqual(["/graphql delay 0"]);
    h.emulator.clearFaults();
    expect((await h.gql<CardShape>(tenant, Card)).body.data?.integration).toBeNull();
  });

  it("connect: the later calls of the check get only the time left, not a GitHub call's own limit", async () => {
    const tenant = await h.token("hang-2", "admin");
    // The key check answers after 1.2 s; the reach (REST /user/repos) then hangs.
    h.emulator.fail({ kind: "delay", ms: 1200, times: 1 });
    h.emulator.fail({ kind: "delay", ms: 60_000 });
    const mark = h.emulator.requests.length;
    const { ms, result } = await timed(h.gql(tenant, Connect, { token: key.token }));
    expect(code(result)).toBe("GITHUB_UNAVAILABLE");
    expect(ms).toBeLessThan(2 * REQUEST_TIMEOUT_MS);
    const sent = h.emulator.requests.slice(mark);
    expect(sent.map((r) => r.path)).toEqual(["/graphql", "/user/repos"]);
    expect(sent[1].status).toBe(0);
    h.emulator.clearFaults();
    expect((await h.gql<CardShape>(tenant, Card)).body.data?.integration).toBeNull();
  });

  it("renew: GitHub never answers the check: GITHUB_UNAVAILABLE at the deadline, and the current key stays", async () => {
    expect((await h.gql(admin, Connect, { token: key.token })).body.errors).toBeUndefined();
    const before = (await h.gql<CardShape>(admin, Card)).body.data?.integration;
    const next = classicKey("octocat");
    h.emulator.addKey(next);
    h.emulator.fail({ kind: "delay", ms: 60_000 });
    const mark = h.emulator.requests.length;
    const { ms, result } = await timed(h.gql(admin, Renew, { token: next.token }));
    expect(code(result)).toBe("GITHUB_UNAVAILABLE");
    expect(ms).toBeLessThan(2 * REQUEST_TIMEOUT_MS);
    expect(h.emulator.requests.slice(mark)).toHaveLength(1);
    h.emulator.clearFaults();
    expect((await h.gql<CardShape>(admin, Card)).body.data?.integration).toEqual(before);
  });
});

describe("a database that does not answer ends the request within its deadline", () => {
  const key = classicKey("octocat");
  let h: Harness;
  let db: TestDatabase;
  let proxy: TcpProxy;
  let service: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = new URL(db.url);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    // The harness makes no database of its own ("pglite") and is pointed at PostgreSQL through the proxy.
    h = await startHarness({
      database: "pglite",
      keys: [key],
      env: { DATABASE_URL: url.toString(), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), KEY_CHANGE_LEASE_MS: String(LEASE_MS) },
    });
    seedSampleData(h.emulator.store);
    expect((await h.gql(await h.token("acme", "admin"), Connect, { token: key.token })).body.errors).toBeUndefined();
    service = await h.token("acme", "service");
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await db?.drop();
  });
  afterEach(() => proxy.restore());

  /**
   * The key held in memory serves GitHub requests while this instance's lease holds (its listening
   * connection goes through the same proxy); once the lease lapses by its own clock, the instance reads
   * the key per request, and those reads meet the misbehaving link.
   */
  async function untilKeysAreReadPerRequest() {
    const feed = h.gateway.services.keyChanges;
    while (feed.listening()) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** One `github { viewer }` while the database misbehaves: the contract's code, said plainly, logged once. */
  async function expectDatabaseTimeout() {
    const mark = h.logs.length;
    const { ms, result } = await timed(h.gql(service, Viewer));
    expect(code(result)).toBe("INTERNAL_SERVER_ERROR");
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + MARGIN_MS);
    const { body } = result as GraphQLResult;
    expect(body.errors?.[0].message).toMatch(/database did not answer in time/i);
    const logged = h.logs.slice(mark).map((l) => JSON.parse(l) as { msg: string; err?: { message?: string } });
    const unexpected = logged.filter((l) => l.msg === "unexpected error");
    expect(unexpected).toHaveLength(1);
    expect(unexpected[0].err?.message).toMatch(/did not answer/i);
  }

  async function expectServedAgain() {
    const r = await h.gql<{ github: { viewer: { login: string } } }>(service, Viewer);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.github.viewer.login).toBe("octocat");
  }

  it("the server stalls (a lock held on the key's table): the server cancels the statement (statement_timeout)", async () => {
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE integration IN ACCESS EXCLUSIVE MODE");
    // Without a limit the request waits for the lock: let it go eventually so that the test ends.
    const unlock = setTimeout(() => void locker.query("ROLLBACK").catch(() => undefined), 10_000);
    try {
      await expectDatabaseTimeout();
    } finally {
      clearTimeout(unlock);
      await locker.query("ROLLBACK").catch(() => undefined);
      await locker.end();
    }
    await expectServedAgain();
  });

  it("the link stalls (bytes held both ways): the client gives up (query_timeout)", async () => {
    await expectServedAgain();
    proxy.stall();
    const resume = setTimeout(() => proxy.restore(), 15_000);
    try {
      // Within the lease the key comes from memory: the stall costs the request nothing.
      await expectServedAgain();
      await untilKeysAreReadPerRequest();
      await expectDatabaseTimeout();
    } finally {
      clearTimeout(resume);
      proxy.restore();
    }
    await expectServedAgain();
  });

  it("the link silently drops every byte: each request ends in time (query and connection timeouts), and the gateway recovers", async () => {
    await expectServedAgain();
    proxy.drop();
    await untilKeysAreReadPerRequest();
    // The first finds a pooled connection whose query is lost; later ones find fresh connections that never finish starting.
    for (let i = 0; i < 3; i++) await expectDatabaseTimeout();
    proxy.restore();
    // The connections that lost bytes are gone, not handed out again.
    await expectServedAgain();
  });
});
