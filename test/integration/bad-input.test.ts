import { classicKey, fineGrainedKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect, Disconnect, Renew, Toggle } from "../support/operations";

const good = fineGrainedKey("octo-dana");
const noRepoScope = classicKey("octo-eve", { scopes: ["read:org", "gist"] });
const unknownToGitHub = classicKey("nobody"); // never registered with the emulator

async function storedRows(h: Harness): Promise<Record<string, number>> {
  const [row] = await h.gateway.dataSource.query(`SELECT
    (SELECT count(*)::int FROM integration) AS integrations,
    (SELECT count(*)::int FROM integration_credential) AS credentials,
    (SELECT count(*)::int FROM integration_event) AS events`);
  return row;
}

describe("bad input and a failing GitHub: a clear code, and nothing stored", () => {
  let h: Harness;
  let admin: string;
  const nothing = { integrations: 0, credentials: 0, events: 0 };
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [good, noRepoScope], env: { GITHUB_TIMEOUT_MS: "1000" } });
    admin = await h.token("acme", "admin", "alice");
  });
  afterAll(() => h?.close());
  afterEach(() => h.emulator.clearFaults());

  it.each([
    ["an empty key", "", "BAD_USER_INPUT", /empty/],
    ["a malformed key", "hello-this-is-not-a-key", "BAD_USER_INPUT", /github_pat_/],
    ["a 10 kB key", `ghp_${"A".repeat(10_240)}`, "BAD_USER_INPUT", /at most 255/],
  ])("%s: BAD_USER_INPUT before anything reaches GitHub", async (_name, token, code, message) => {
    const before = h.emulator.requests.length;
    const r = await h.gql(admin, Connect, { token });
    expect(codeOf(r)).toBe(code);
    expect(r.body.errors?.[0].message).toMatch(message);
    expect(r.body.errors?.[0].extensions?.field).toBe("token");
    expect(h.emulator.requests.length).toBe(before);
    expect(await storedRows(h)).toEqual(nothing);
  });

  it("a key GitHub rejects: GITHUB_TOKEN_REJECTED", async () => {
    const r = await h.gql(admin, Connect, { token: unknownToGitHub.token });
    expect(codeOf(r)).toBe("GITHUB_TOKEN_REJECTED");
    expect(r.body.errors?.[0].message).toMatch(/rejected/);
    expect(h.emulator.requests.at(-1)?.status).toBe(401);
    expect(await storedRows(h)).toEqual(nothing);
  });

  it("a classic key without the repo scope: BAD_USER_INPUT naming the scope", async () => {
    const r = await h.gql(admin, Connect, { token: noRepoScope.token });
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    expect(r.body.errors?.[0].message).toContain("'repo'");
    expect(await storedRows(h)).toEqual(nothing);
  });

  it.each([
    ["answers 502", { kind: "status", status: 502 } as const],
    ["drops the connection", { kind: "drop" } as const],
    ["answers slower than the gateway waits", { kind: "delay", ms: 5_000 } as const],
  ])("GitHub %s: GITHUB_UNAVAILABLE", async (_name, fault) => {
    // Persistent: a single 502 or reset is retried (and would succeed).
    h.emulator.fail(fault);
    const r = await h.gql(admin, Connect, { token: good.token });
    expect(codeOf(r)).toBe("GITHUB_UNAVAILABLE");
    expect(await storedRows(h)).toEqual(nothing);
  });

  it("GitHub unreachable (nothing listening): GITHUB_UNAVAILABLE", async () => {
    const down = await startHarness({ database: "postgres", emulator: h.emulator, env: { GITHUB_API_URL: "http://127.0.0.1:9" } });
    try {
      const t = await down.token("acme", "admin");
      expect(codeOf(await down.gql(t, Connect, { token: good.token }))).toBe("GITHUB_UNAVAILABLE");
      expect(await storedRows(down)).toEqual(nothing);
    } finally {
      await down.close();
    }
  });

  it("connect twice: INTEGRATION_ALREADY_CONNECTED, the first stays", async () => {
    expect((await h.gql(admin, Connect, { token: good.token })).body.errors).toBeUndefined();
    const r = await h.gql(admin, Connect, { token: good.token });
    expect(codeOf(r)).toBe("INTEGRATION_ALREADY_CONNECTED");
    expect(await storedRows(h)).toEqual({ integrations: 1, credentials: 1, events: 1 });
    expect((await h.gql(admin, Disconnect)).body.errors).toBeUndefined();
  });

  it("renew, toggle or disconnect when not connected: INTEGRATION_NOT_CONNECTED", async () => {
    const other = await h.token("initech", "admin");
    for (const [op, vars] of [[Renew, { token: good.token }], [Toggle, { active: true }], [Disconnect, {}]] as const) {
      expect(codeOf(await h.gql(other, op, vars))).toBe("INTEGRATION_NOT_CONNECTED");
    }
  });

  it("a renew with a key GitHub rejects keeps the old key in use", async () => {
    expect((await h.gql(admin, Connect, { token: good.token })).body.errors).toBeUndefined();
    const r = await h.gql(admin, Renew, { token: unknownToGitHub.token });
    expect(codeOf(r)).toBe("GITHUB_TOKEN_REJECTED");
    const card = await h.gql<{ integration: { keyFingerprint: string } }>(admin, `{ integration { keyFingerprint } }`);
    expect(card.body.data?.integration.keyFingerprint).toBe(good.token.slice(-4));
    const viewer = await h.gql<{ github: { viewer: { login: string } } }>(admin, `{ github { viewer { login } } }`);
    expect(viewer.body.data?.github.viewer.login).toBe("octo-dana");
  });

  it("a key sent with the wrong type is refused without echoing it", async () => {
    const r = await h.gql(admin, Connect, { token: [good.token] });
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(r.body)).not.toContain(good.token);
  });
});
