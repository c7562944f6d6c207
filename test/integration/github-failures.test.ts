import { classicKey, fineGrainedKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect } from "../support/operations";

const key = classicKey("acme-bot");
const readOnly = fineGrainedKey("globex-bot", { permissions: { issues: "read", contents: "read" } });
const ISSUE = `{ github { issue(owner: "acme", repo: "webshop", number: 1) { number } } }`;
const CREATE = `mutation { createGitHubIssue(input: { owner: "acme", repo: "webshop", title: "From the assistant" }) { number } }`;

describe("GitHub's failures map to the contract's codes", () => {
  let h: Harness;
  let service: string;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [key, readOnly], env: { GITHUB_TIMEOUT_MS: "2500" } });
    h.emulator.store.addRepository({ owner: "acme", name: "webshop" });
    h.emulator.store.addIssue({ owner: "acme", repo: "webshop", title: "One" });
    expect((await h.gql(await h.token("acme", "admin"), Connect, { token: key.token })).body.errors).toBeUndefined();
    expect((await h.gql(await h.token("globex", "admin"), Connect, { token: readOnly.token })).body.errors).toBeUndefined();
    service = await h.token("acme", "service");
  });
  afterAll(() => h?.close());
  afterEach(() => h.emulator.clearFaults());

  const sent = (mark: number) => h.emulator.requests.slice(mark).length;

  it("a 502 is retried and the request succeeds", async () => {
    h.emulator.fail({ kind: "status", status: 502, times: 1 });
    const mark = h.emulator.requests.length;
    const r = await h.gql<{ github: { issue: { number: number } } }>(service, ISSUE);
    expect(r.body.data?.github.issue.number).toBe(1);
    expect(sent(mark)).toBe(2);
  });

  it("502s that persist: bounded retries, then GITHUB_UNAVAILABLE", async () => {
    h.emulator.fail({ kind: "status", status: 502 });
    const mark = h.emulator.requests.length;
    expect(codeOf(await h.gql(service, ISSUE))).toBe("GITHUB_UNAVAILABLE");
    expect(sent(mark)).toBe(3);
  });

  it("an answer slower than the gateway waits: GITHUB_UNAVAILABLE, not retried", async () => {
    h.emulator.fail({ kind: "delay", ms: 4000, times: 1 });
    const mark = h.emulator.requests.length;
    expect(codeOf(await h.gql(service, ISSUE))).toBe("GITHUB_UNAVAILABLE");
    expect(sent(mark)).toBe(1);
  });

  it("a mutation is never retried blindly", async () => {
    h.emulator.fail({ kind: "status", status: 502, onlyMutations: true });
    const mark = h.emulator.requests.length;
    expect(codeOf(await h.gql(service, CREATE))).toBe("GITHUB_UNAVAILABLE");
    const mutations = h.emulator.requests.slice(mark).filter((r) => r.query?.includes("createIssue"));
    expect(mutations).toHaveLength(1);
  });

  it("RATE_LIMITED in an HTTP 200: GITHUB_RATE_LIMITED with retryAfter and resetAt; nothing is sent for the key until the reset, then it works again", async () => {
    h.emulator.fail({ kind: "rateLimited", times: 1, resetInSeconds: 1 });
    const r = await h.gql(service, ISSUE);
    expect(codeOf(r)).toBe("GITHUB_RATE_LIMITED");
    const ext = r.body.errors![0].extensions!;
    expect(ext.retryAfter).toEqual(expect.any(Number));
    const resetAt = new Date(String(ext.resetAt)).getTime();
    expect(resetAt).toBeGreaterThan(Date.now() - 1000);

    const mark = h.emulator.requests.length;
    const held = await h.gql(service, ISSUE);
    expect(codeOf(held)).toBe("GITHUB_RATE_LIMITED");
    expect(held.body.errors![0].extensions!.resetAt).toBe(ext.resetAt);
    expect(sent(mark)).toBe(0);

    await new Promise((resolve) => setTimeout(resolve, Number(held.body.errors![0].extensions!.retryAfter) * 1000 + 100));
    const after = await h.gql<{ github: { issue: { number: number } } }>(service, ISSUE);
    expect(after.body.data?.github.issue.number).toBe(1);
    expect(sent(mark)).toBe(1);
  });

  it.each([403, 429, 200] as const)("a secondary limit (HTTP %i) whose retry-after fits in the request's time is waited out", async (status) => {
    h.emulator.fail({ kind: "secondaryRateLimit", status, retryAfterSeconds: 1, times: 1 });
    const mark = h.emulator.requests.length;
    const r = await h.gql<{ github: { issue: { number: number } } }>(service, ISSUE);
    expect(r.body.data?.github.issue.number).toBe(1);
    expect(sent(mark)).toBe(2);
  });

  it("a secondary limit longer than the request's time: GITHUB_RATE_LIMITED with its retry-after, and the key rests that long", async () => {
    // Its own tenant and key: the 60 s rest would hold up the other tests' key.
    const resting = classicKey("hooli-bot");
    h.emulator.addKey(resting);
    expect((await h.gql(await h.token("hooli", "admin"), Connect, { token: resting.token })).body.errors).toBeUndefined();
    const hooli = await h.token("hooli", "service");
    h.emulator.fail({ kind: "secondaryRateLimit", status: 403, retryAfterSeconds: 60, times: 1, token: resting.token });
    const r = await h.gql(hooli, ISSUE);
    expect(codeOf(r)).toBe("GITHUB_RATE_LIMITED");
    expect(r.body.errors![0].extensions!.retryAfter).toBe(60);
    const mark = h.emulator.requests.length;
    const again = await h.gql(hooli, `{ github { viewer { login } } }`);
    expect(codeOf(again)).toBe("GITHUB_RATE_LIMITED");
    expect(Number(again.body.errors![0].extensions!.retryAfter)).toBeGreaterThan(55);
    expect(sent(mark)).toBe(0);
    // Another workspace's key is not held up.
    expect((await h.gql(service, ISSUE)).body.errors).toBeUndefined();
  });

  it("a key without the permission: GITHUB_PERMISSION_DENIED naming it", async () => {
    h.emulator.store.addRepository({ owner: "globex", name: "site" });
    const globex = await h.token("globex", "service");
    const r = await h.gql(globex, `mutation { createGitHubIssue(input: { owner: "globex", repo: "site", title: "x" }) { number } }`);
    expect(codeOf(r)).toBe("GITHUB_PERMISSION_DENIED");
    expect(r.body.errors![0].extensions!.permission).toBe("issues=write");
  });

  it("a key GitHub no longer accepts: GITHUB_TOKEN_REJECTED, and the card shows it", async () => {
    h.emulator.removeKey(key.token);
    try {
      expect(codeOf(await h.gql(service, ISSUE))).toBe("GITHUB_TOKEN_REJECTED");
      const card = await h.gql<{ integration: { keyRejectedAt: string | null } }>(service, `{ integration { keyRejectedAt } }`);
      expect(card.body.data?.integration.keyRejectedAt).not.toBeNull();
    } finally {
      h.emulator.addKey(key);
    }
  });

  it("a tenant without an integration gets INTEGRATION_NOT_CONNECTED and nothing is sent", async () => {
    const mark = h.emulator.requests.length;
    expect(codeOf(await h.gql(await h.token("initech", "service"), ISSUE))).toBe("INTEGRATION_NOT_CONNECTED");
    expect(sent(mark)).toBe(0);
  });

  it("one tenant's slow GitHub never holds up another tenant", async () => {
    h.emulator.store.addRepository({ owner: "globex", name: "intranet" });
    h.emulator.store.addIssue({ owner: "globex", repo: "intranet", title: "Globex one" });
    h.emulator.fail({ kind: "delay", ms: 2000, token: key.token });
    const mark = h.emulator.requests.length;
    // Six slow requests: four fill acme's upstream slots, two queue behind them.
    const slow = Array.from({ length: 6 }, () => h.gql(service, ISSUE));
    const globex = await h.gql<{ github: { issue: { number: number } } }>(
      await h.token("globex", "service"),
      `{ github { issue(owner: "globex", repo: "intranet", number: 1) { number } } }`,
    );
    expect(globex.body.data?.github.issue.number).toBe(1);
    // When globex had its answer, none of acme's had been answered yet.
    const acmeAnswered = h.emulator.requests.slice(mark).filter((r) => r.token === key.token && r.status !== 0);
    expect(acmeAnswered).toEqual([]);
    h.emulator.clearFaults();
    await Promise.all(slow);
  });
});
