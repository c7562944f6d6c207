import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect, Renew, Toggle, Viewer } from "../support/operations";
import type { PostgresKeyChangeFeed } from "../../src/integrations/key-change-feed";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

// Keys kept in memory (KeyVault) without weakening "the old key is invalid at once": each instance hears
// every change through PostgreSQL and a change answers only once every live instance has heard it
// (src/integrations/key-change-feed.ts). Two instances on one database, each with its own feed.

const keys = [classicKey("mona"), classicKey("mona"), classicKey("mona"), classicKey("mona")];
const LEASE_MS = 1500;
type Login = { github: { viewer: { login: string } } };

const until = async (what: () => boolean | Promise<boolean>) => {
  while (!(await what())) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe("keys kept in memory while key changes are heard", () => {
  let a: Harness;
  let b: Harness;
  let admin: string;
  let service: string;
  const feedOf = (h: Harness) => h.gateway.services.keyChanges as PostgresKeyChangeFeed;
  const reads = async (h: Harness) => {
    const values = (await h.gateway.services.metrics.keyReads.get()).values;
    const of = (source: string) => values.find((v) => v.labels.source === source)?.value ?? 0;
    return { memory: of("memory"), database: of("database") };
  };
  const tokensSince = (mark: number) => a.emulator.requests.slice(mark).map((r) => r.token);
  let current = 0;
  const renew = async () => {
    current = (current + 1) % keys.length;
    return a.gql(admin, Renew, { token: keys[current].token });
  };

  beforeAll(async () => {
    const env = { KEY_CHANGE_LEASE_MS: String(LEASE_MS) };
    a = await startHarness({ database: "postgres", keys, env });
    b = await startHarness({ database: "postgres", shareWith: a, env });
    admin = await a.token("acme", "admin");
    service = await b.token("acme", "service");
    expect((await a.gql(admin, Connect, { token: keys[0].token })).body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it("a warm instance hands out the key from memory: no database read per request", async () => {
    await b.gql(service, Viewer);
    const before = await reads(b);
    for (let i = 0; i < 10; i++) expect((await b.gql<Login>(service, Viewer)).body.data?.github.viewer.login).toBe("mona");
    const after = await reads(b);
    expect(after.database - before.database).toBe(0);
    expect(after.memory - before.memory).toBe(10);
  });

  it("after a renew through the other instance answers, the very next request reads the new key once and sends only it", async () => {
    await b.gql(service, Viewer);
    expect((await renew()).body.errors).toBeUndefined();
    const before = await reads(b);
    const mark = a.emulator.requests.length;
    expect((await b.gql<Login>(service, Viewer)).body.data?.github.viewer.login).toBe("mona");
    expect((await b.gql<Login>(service, Viewer)).body.data?.github.viewer.login).toBe("mona");
    expect(tokensSince(mark)).toEqual([keys[current].token, keys[current].token]);
    const after = await reads(b);
    expect(after.database - before.database).toBe(1);
  });

  it("a deactivate held in memory as 'inactive' ends with the activate: the next request is served", async () => {
    expect((await a.gql(admin, Toggle, { active: false })).body.errors).toBeUndefined();
    expect(codeOf(await b.gql(service, Viewer))).toBe("INTEGRATION_INACTIVE");
    expect(codeOf(await b.gql(service, Viewer))).toBe("INTEGRATION_INACTIVE");
    expect((await a.gql(admin, Toggle, { active: true })).body.errors).toBeUndefined();
    expect((await b.gql<Login>(service, Viewer)).body.data?.github.viewer.login).toBe("mona");
  });

  it("a change waits for a live instance that has not heard it, until that instance's lease ends", async () => {
    // An instance that registered, then went silent (a stalled event loop, a cut link): its lease runs out.
    const [{ until: leaseUntil }] = await a.gateway.dataSource.query(
      `INSERT INTO gateway_instance (id, lease_until, heard_change) VALUES (gen_random_uuid(), now() + interval '1 second', 0) RETURNING lease_until AS until`,
    );
    // And one whose lease ended long ago: it holds nothing up.
    await a.gateway.dataSource.query(`INSERT INTO gateway_instance (id, lease_until, heard_change) VALUES (gen_random_uuid(), now() - interval '1 second', 0)`);
    expect((await renew()).body.errors).toBeUndefined();
    const [{ now }] = await a.gateway.dataSource.query(`SELECT now() AS now`);
    expect(new Date(now).getTime()).toBeGreaterThanOrEqual(new Date(leaseUntil).getTime());
    // With it gone, a change answers as soon as the two real instances have heard it.
    await a.gateway.dataSource.query(`DELETE FROM gateway_instance WHERE heard_change = 0`);
    expect((await renew()).body.errors).toBeUndefined();
    const [{ waiting }] = await a.gateway.dataSource.query(`SELECT count(*)::int AS waiting FROM gateway_instance WHERE lease_until > now() AND heard_change < (SELECT seq FROM key_change_clock)`);
    expect(waiting).toBe(0);
  });

  it("an instance that loses its channel reads the key on every request until it is back, and a renew meanwhile is never missed", async () => {
    const feed = feedOf(b);
    await b.gql(service, Viewer);
    const [{ cut }] = await a.gateway.dataSource.query(
      `SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity WHERE application_name = $1`,
      [feed.applicationName],
    );
    expect(cut).toBe(1);
    await until(() => !feed.listening());
    // Cut off, B reads per request: two requests, two reads.
    const before = await reads(b);
    await b.gql(service, Viewer);
    await b.gql(service, Viewer);
    expect((await reads(b)).database - before.database).toBeGreaterThanOrEqual(2);
    // A renew while B may not have heard it: B's next request sends the new key, whether or not B is back yet.
    expect((await renew()).body.errors).toBeUndefined();
    const mark = a.emulator.requests.length;
    await b.gql(service, Viewer);
    expect(tokensSince(mark)).toEqual([keys[current].token]);
    // Back: keys come from memory again.
    await until(() => feed.listening());
    await b.gql(service, Viewer);
    const back = await reads(b);
    await b.gql(service, Viewer);
    expect((await reads(b)).database).toBe(back.database);
  });

  it("a notification on the channel that is not a well-formed change makes the instance read again, never trust it", async () => {
    await b.gql(service, Viewer);
    const epoch = feedOf(b).epoch;
    await a.gateway.dataSource.query(`SELECT pg_notify('connector_gateway_key_changes', '{"kind":"key","tenant":"acme"}')`);
    await until(() => feedOf(b).epoch > epoch);
    const before = await reads(b);
    await b.gql(service, Viewer);
    expect((await reads(b)).database - before.database).toBe(1);
  });
});

describe("an instance whose link to PostgreSQL goes silent while it holds the key in memory", () => {
  const LEASE = 1500;
  let a: Harness;
  let b: Harness;
  let proxy: TcpProxy;
  let admin: string;

  beforeAll(async () => {
    a = await startHarness({ database: "postgres", keys, env: { KEY_CHANGE_LEASE_MS: String(LEASE) } });
    const url = new URL(a.config.databaseUrl!);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    // B reaches the same database through a proxy the test can stall; it shares A's secrets.
    b = await startHarness({ database: "postgres", shareWith: a, env: { KEY_CHANGE_LEASE_MS: String(LEASE), DATABASE_URL: url.toString(), REQUEST_TIMEOUT_MS: "2000" } });
    admin = await a.token("acme", "admin");
    expect((await a.gql(admin, Connect, { token: keys[0].token })).body.errors).toBeUndefined();
  });
  afterAll(async () => {
    proxy?.restore();
    await b?.close();
    await a?.close();
    await proxy?.close();
  });

  it("a renew answers only after the silent instance's lease ran out, and from then on it never sends the old key", async () => {
    const service = await b.token("acme", "service");
    expect((await b.gql<Login>(service, Viewer)).body.data?.github.viewer.login).toBe("mona");
    // B's link stalls: it cannot hear the renew, nor acknowledge it, nor renew its lease.
    proxy.stall();
    const started = Date.now();
    expect((await a.gql(admin, Renew, { token: keys[1].token })).body.errors).toBeUndefined();
    const answered = Date.now();
    // A waited for B's lease in PostgreSQL to end rather than answer while B might still send the old key.
    expect(answered - started).toBeGreaterThanOrEqual(LEASE / 3);
    expect(b.gateway.services.keyChanges.listening()).toBe(false);
    // B, still cut off, now reads the key per request: its reads fail in time, and nothing goes to GitHub with the old key.
    const mark = a.emulator.requests.length;
    const during = await b.gql(service, Viewer);
    expect(codeOf(during)).toBe("INTERNAL_SERVER_ERROR");
    proxy.restore();
    expect((await b.gql<Login>(service, Viewer)).body.data?.github.viewer.login).toBe("mona");
    expect(a.emulator.requests.slice(mark).map((r) => r.token)).toEqual([keys[1].token]);
  });
});
