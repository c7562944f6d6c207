import { Writable } from "node:stream";
import { createLogger } from "../../src/logger";
import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect } from "../support/operations";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const key = classicKey("acme-bot");
const LOOKUPS = `query Lookups { github { a: issue(owner: "acme", repo: "webshop", number: 1) { number } b: issue(owner: "acme", repo: "webshop", number: 2) { number } c: issue(owner: "acme", repo: "webshop", number: 3) { number } } }`;

const lines = (h: Harness, from: number) => h.logs.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>);

/** The value of one sample in Prometheus' text format, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(name) || line[name.length] !== "{" && line[name.length] !== " ") continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? "";
    if (wanted.every((w) => labelText.split(",").includes(w))) return Number(line.split(" ").pop());
  }
  return undefined;
}

describe("what operators get: logs, metrics, readiness", () => {
  let h: Harness;
  let db: TestDatabase;
  let proxy: TcpProxy;
  let admin: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = new URL(db.url);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    // The harness makes no database of its own ("pglite") and is pointed at PostgreSQL through the proxy.
    h = await startHarness({ database: "pglite", keys: [key], env: { DATABASE_URL: url.toString() } });
    h.emulator.store.addRepository({ owner: "acme", name: "webshop" });
    for (const title of ["One", "Two", "Three"]) h.emulator.store.addIssue({ owner: "acme", repo: "webshop", title });
    admin = await h.token("acme", "admin");
    expect((await h.gql(admin, Connect, { token: key.token })).body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await db?.drop();
  });

  it("every log line written while serving a request carries its id, which the response echoes", async () => {
    const mark = h.logs.length;
    const res = await fetch(`${h.gateway.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json", "x-request-id": "trace-42" },
      body: JSON.stringify({ query: LOOKUPS, operationName: "Lookups" }),
    });
    expect(res.headers.get("x-request-id")).toBe("trace-42");
    const written = lines(h, mark);
    expect(written.length).toBeGreaterThan(0);
    for (const line of written) expect(line.requestId).toBe("trace-42");

    // Lines the services write (a lifecycle change) carry it too.
    const toggleMark = h.logs.length;
    for (const active of [false, true]) {
      const toggled = await fetch(`${h.gateway.url}/graphql`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json", "x-request-id": `toggle-${active}` },
        body: JSON.stringify({ query: `mutation { toggleIntegration(input: { provider: GITHUB, active: ${active} }) { status } }` }),
      });
      expect(toggled.status).toBe(200);
    }
    const toggleLines = lines(h, toggleMark);
    expect(toggleLines.filter((l) => l.msg === "integration toggled").map((l) => l.requestId)).toEqual(["toggle-false", "toggle-true"]);
    for (const line of toggleLines) expect(String(line.requestId)).toMatch(/^toggle-(true|false)$/);

    // An id that is not plain is replaced by one of the gateway's own.
    const odd = await fetch(`${h.gateway.url}/healthz`, { headers: { "x-request-id": "a b\u202e".replace(/[^\x20-\x7e]/g, "x") } });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("every /graphql answer says where its time went (Server-Timing): body, auth, key, github and total", async () => {
    const stagesOf = (res: Response) =>
      Object.fromEntries(
        (res.headers.get("server-timing") ?? "").split(", ").map((entry) => {
          const [name, dur] = entry.split(";dur=");
          return [name, Number(dur)];
        }),
      );
    const post = (query: string) =>
      fetch(`${h.gateway.url}/graphql`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ query }) });
    const github = stagesOf(await post(LOOKUPS));
    expect(Object.keys(github)).toEqual(["body", "auth", "key", "github", "total"]);
    for (const ms of Object.values(github)) expect(ms).toBeGreaterThanOrEqual(0);
    // The stages lie within the request; GitHub's part is there when GitHub was asked.
    expect(github.total + 0.02).toBeGreaterThanOrEqual(github.body + github.auth + github.github); // each rounded to 0.01 ms
    expect(github.github).toBeGreaterThan(0);
    // A request that never reaches GitHub spends nothing there and loads no key.
    const card = stagesOf(await post(`{ integration { status } }`));
    expect([card.key, card.github]).toEqual([0, 0]);
  });

  it("the request's log line names the codes the caller got, not Apollo's own", async () => {
    const mark = h.logs.length;
    const r = await h.gql(admin, `query Typo { integration { keyFingerprnt } }`);
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    const line = lines(h, mark).find((l) => l.msg === "graphql request");
    expect(line?.errors).toEqual(["BAD_USER_INPUT"]);
  });

  it("a key-shaped string never reaches a log line, whatever carries it", async () => {
    const mark = h.logs.length;
    // The operation name is the caller's and is logged: shaped like a key, it is redacted.
    const r = await h.gql(admin, `query ${key.token} { integration { id } }`);
    expect(r.body.errors).toBeUndefined();
    const written = h.logs.slice(mark).join("\n");
    expect(written).toContain("[redacted]");
    expect(written).not.toContain(key.token);

    let out = "";
    const log = createLogger("info", new Writable({ write: (chunk, _enc, done) => ((out += chunk), done()) }));
    const pat = `github_pat_${"A1b2".repeat(6)}_${"Z9y8".repeat(15)}`;
    log.info({ err: new Error(`GitHub refused ${key.token}`), nested: { list: [pat] }, headers: { authorization: "Bearer abc.def.ghi" } }, `saw ${pat}`);
    expect(out).not.toContain(key.token);
    expect(out).not.toContain(pat);
    expect(out).not.toContain("abc.def.ghi");
    expect(JSON.parse(out)).toMatchObject({ msg: "saw [redacted]", nested: { list: ["[redacted]"] }, headers: { authorization: "[redacted]" } });
  });

  it("/metrics: request latency by operation, upstream requests and batch sizes, errors by code, points left per integration", async () => {
    const before = await (await fetch(`${h.gateway.url}/metrics`)).text();
    const okBefore = sample(before, "gateway_graphql_request_duration_seconds_count", { operation: "Lookups", outcome: "ok" }) ?? 0;
    expect((await h.gql(admin, LOOKUPS)).body.errors).toBeUndefined();
    h.emulator.fail({ kind: "status", status: 502 });
    try {
      expect(codeOf(await h.gql(admin, `query Broken { github { viewer { login } } }`))).toBe("GITHUB_UNAVAILABLE");
    } finally {
      h.emulator.clearFaults();
    }
    const res = await fetch(`${h.gateway.url}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(sample(text, "gateway_graphql_request_duration_seconds_count", { operation: "Lookups", outcome: "ok" })).toBe(okBefore + 1);
    expect(sample(text, "gateway_graphql_request_duration_seconds_count", { operation: "Broken", outcome: "GITHUB_UNAVAILABLE" })).toBe(1);
    expect(sample(text, "gateway_github_requests_total", { api: "graphql", status: "200" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "gateway_github_requests_total", { api: "graphql", status: "502" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "gateway_github_errors_total", { code: "GITHUB_UNAVAILABLE" })).toBe(1);
    // The three look-ups went up as one document.
    expect(sample(text, "gateway_github_batch_lookups_bucket", { le: "2" })).toBe(sample(before, "gateway_github_batch_lookups_bucket", { le: "2" }));
    expect(sample(text, "gateway_github_batch_lookups_sum")).toBe(sample(before, "gateway_github_batch_lookups_sum")! + 3);
    expect(sample(text, "gateway_github_batch_lookups_count")).toBe(sample(before, "gateway_github_batch_lookups_count")! + 1);
    const card = await h.gql<{ integration: { id: string } }>(admin, `{ integration { id } }`);
    const remaining = sample(text, "gateway_github_rate_limit_remaining", { integration: card.body.data!.integration.id });
    expect(remaining).toBeLessThan(5000);
    expect(remaining).toBeGreaterThan(0);
    expect(text).not.toContain(key.token);
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("/readyz fails while the database is unreachable and recovers by itself when it returns", async () => {
    expect((await fetch(`${h.gateway.url}/readyz`)).status).toBe(200);
    proxy.cut();
    try {
      const down = await fetch(`${h.gateway.url}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: "database unreachable" });
      expect((await fetch(`${h.gateway.url}/healthz`)).status).toBe(200);
      const mark = h.logs.length;
      const r = await h.gql(admin, `{ integration { id } }`);
      expect(codeOf(r)).toBe("INTERNAL_SERVER_ERROR");
      // Logged in full, by the request's logger: with its request id.
      const logged = lines(h, mark).find((l) => l.msg === "unexpected error");
      expect(logged?.requestId).toEqual(expect.any(String));
      expect(logged?.err).toBeDefined();
      expect(JSON.stringify(r.body)).not.toMatch(/ECONNRE|connect|127\.0\.0\.1/i);
    } finally {
      proxy.restore();
    }
    expect((await fetch(`${h.gateway.url}/readyz`)).status).toBe(200);
    const again = await h.gql<{ github: { a: { number: number } } }>(admin, LOOKUPS);
    expect(again.body.data?.github.a.number).toBe(1);
  });
});
