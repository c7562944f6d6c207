import { codeOf, startHarness, type Harness } from "../support/harness";
import { classicKey } from "../support/keys";
import { Connect, Viewer } from "../support/operations";
import { TestRedis } from "../support/redis-server";

// Three gateway instances' worth of state (each its own services, limiters and Redis link) on one PostgreSQL,
// one emulator and one Redis of the test's own, which the test stops and starts for real.

const BUDGET = 6;
const key = classicKey("mona");
/** A request that reaches the gateway's admission (1 unit of the workspace's budget) and nothing else. */
const CHEAP = "{ __typename }";

const sharedLimits = async (h: Harness) => (await h.gateway.services.metrics.sharedLimits.get()).values[0]?.value;
const fallbacks = async (h: Harness) => (await h.gateway.services.metrics.sharedLimitFallbacks.get()).values.reduce((n, v) => n + v.value, 0);

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}`);
}

/** Three instances on one PostgreSQL and one emulator, sharing their limits through a Redis of the test's own. */
async function startFleet(redis: TestRedis, env: Record<string, string>, keys = [key]): Promise<Harness[]> {
  const shared = { REDIS_URL: redis.url, ...env };
  const first = await startHarness({ database: "postgres", env: shared, keys });
  const instances = [first, await startHarness({ database: "postgres", shareWith: first, env: shared }), await startHarness({ database: "postgres", shareWith: first, env: shared })];
  await until("every instance has its limits shared", async () => (await Promise.all(instances.map(sharedLimits))).every((v) => v === 1));
  return instances;
}

async function stopFleet(instances: Harness[] | undefined, redis: TestRedis | undefined): Promise<void> {
  for (const h of [...(instances ?? [])].reverse()) await h.close();
  await redis?.stop();
}

describe("three instances share one workspace budget through Redis", () => {
  let redis: TestRedis;
  let instances: Harness[];
  let tenantNumber = 0;
  /** A workspace of its own per test: budgets left over from one test do not decide the next. */
  const tokensOfNewTenant = () => {
    const tenant = `shared-${(tenantNumber += 1)}`;
    return Promise.all(instances.map((h) => h.token(tenant, "member")));
  };

  beforeAll(async () => {
    redis = await TestRedis.start();
    instances = await startFleet(redis, { REDIS_TIMEOUT_MS: "100", TENANT_RATE_LIMIT_PER_MINUTE: String(BUDGET) }, []);
  });
  afterAll(() => stopFleet(instances, redis));

  it("spends a workspace's budget once, whichever instance a request reaches", async () => {
    const tokens = await tokensOfNewTenant();
    // Round-robin, as a load balancer spreads them: two requests on each instance use the whole budget of 6.
    for (let i = 0; i < BUDGET; i += 1) expect(codeOf(await instances[i % 3].gql(tokens[i % 3], CHEAP))).toBeUndefined();
    // Per instance, each would still have 4 left; shared, none has.
    for (let i = 0; i < 3; i += 1) {
      const refused = await instances[i].gql(tokens[i], CHEAP);
      expect(codeOf(refused)).toBe("GATEWAY_RATE_LIMITED");
      expect(refused.status).toBe(429);
    }
    // Another workspace is untouched.
    const other = await tokensOfNewTenant();
    expect(codeOf(await instances[0].gql(other[0], CHEAP))).toBeUndefined();
  });

  it("with Redis stopped, no request fails for it: each instance enforces its own budget, and sharing returns with Redis", async () => {
    // Counted from here: on a loaded machine an instance may already have lost and regained Redis once at start-up.
    const logged = (h: Harness, line: string) => h.logs.filter((l) => l.includes(line)).length;
    const awayBefore = instances.map((h) => logged(h, "Redis is away"));
    const sharedBefore = instances.map((h) => logged(h, "limits are shared through Redis"));
    await redis.stop();
    await until("every instance has seen Redis go", async () => (await Promise.all(instances.map(sharedLimits))).every((v) => v === 0));
    const before = await Promise.all(instances.map(fallbacks));
    const tokens = await tokensOfNewTenant();
    // Each instance now allows the workspace its own 6: 18 in all, none failing because Redis is away.
    for (let i = 0; i < BUDGET * 3; i += 1) expect(codeOf(await instances[i % 3].gql(tokens[i % 3], CHEAP))).toBeUndefined();
    // Not a free pass: past its own budget an instance refuses.
    expect(codeOf(await instances[1].gql(tokens[1], CHEAP))).toBe("GATEWAY_RATE_LIMITED");
    const after = await Promise.all(instances.map(fallbacks));
    after.forEach((n, i) => expect(n).toBeGreaterThanOrEqual(before[i] + BUDGET));
    // The change was logged once per instance, not once per request.
    instances.forEach((h, i) => expect(logged(h, "Redis is away")).toBe(awayBefore[i] + 1));

    await redis.resume();
    await until("every instance has its limits shared again", async () => (await Promise.all(instances.map(sharedLimits))).every((v) => v === 1));
    instances.forEach((h, i) => expect(logged(h, "limits are shared through Redis")).toBe(sharedBefore[i] + 1));
    const again = await tokensOfNewTenant();
    for (let i = 0; i < BUDGET; i += 1) expect(codeOf(await instances[i % 3].gql(again[i % 3], CHEAP))).toBeUndefined();
    expect(codeOf(await instances[2].gql(again[2], CHEAP))).toBe("GATEWAY_RATE_LIMITED");
  });

  it("does not wait for a Redis that is connected but answers nothing: the instance decides alone", async () => {
    const tokens = await tokensOfNewTenant();
    const before = await fallbacks(instances[0]);
    const { thawed } = await redis.freeze(3);
    let frozen = true;
    const done = thawed.finally(() => (frozen = false));
    // The server is blocked for 3 s; each of these requests is answered while it still is.
    for (let i = 0; i < 3; i += 1) {
      expect(codeOf(await instances[0].gql(tokens[0], CHEAP))).toBeUndefined();
      expect(frozen).toBe(true);
    }
    expect(await fallbacks(instances[0])).toBeGreaterThanOrEqual(before + 3);
    await done;
  });
});

describe("three instances share the GitHub side's limits through Redis", () => {
  const tenant = "fleet-github";
  let redis: TestRedis;
  let instances: Harness[];
  let members: string[];

  beforeAll(async () => {
    redis = await TestRedis.start();
    // Each request's look-ups in a document of its own, so that a burst is many upstream calls.
    instances = await startFleet(redis, { GITHUB_BATCH_WINDOW_MS: "0" });
    const admin = await instances[0].token(tenant, "admin");
    expect((await instances[0].gql(admin, Connect, { token: key.token })).body.errors).toBeUndefined();
    members = await Promise.all(instances.map((h) => h.token(tenant, "member")));
    instances[0].emulator.store.addRepository({ owner: "acme", name: "fleet" });
  });
  afterAll(() => stopFleet(instances, redis));

  /** `count` new issues of acme/fleet read at once, round-robin over the instances, 40 ms each at GitHub; the peak in flight there. */
  async function burst(count: number, title: string): Promise<number> {
    const emulator = instances[0].emulator;
    const numbers = Array.from({ length: count }, (_, i) => emulator.store.addIssue({ owner: "acme", repo: "fleet", title: `${title} ${i}` }).number);
    emulator.setLatency(40);
    emulator.resetPeakInFlight();
    try {
      const answers = await Promise.all(
        numbers.map((n, i) => instances[i % 3].gql<{ github: { issue: { number: number } } }>(members[i % 3], `{ github { issue(owner: "acme", repo: "fleet", number: ${n}) { number } } }`)),
      );
      answers.forEach((a, i) => expect(a.body.data?.github.issue.number).toBe(numbers[i]));
      return emulator.peakInFlight(key.token);
    } finally {
      emulator.setLatency(0);
    }
  }

  it("after GitHub rate-limits a key through one instance, the other two send nothing for it until the reset", async () => {
    const emulator = instances[0].emulator;
    emulator.fail({ kind: "rateLimited", times: 1, resetInSeconds: 2 });
    expect(codeOf(await instances[0].gql(members[0], Viewer))).toBe("GITHUB_RATE_LIMITED");
    const mark = emulator.requests.length;
    for (const i of [1, 2, 1, 2]) {
      const held = await instances[i].gql(members[i], Viewer);
      expect(codeOf(held)).toBe("GITHUB_RATE_LIMITED");
      expect(held.body.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
    }
    expect(emulator.requests.length).toBe(mark);
    // Once the reset has passed, every instance asks GitHub again.
    await until("the block is over", async () => codeOf(await instances[2].gql(members[2], Viewer)) === undefined);
    expect(emulator.requests.length).toBeGreaterThan(mark);
  });

  it("one workspace's burst spread over three instances has at most 4 upstream calls in flight at GitHub", async () => {
    const peak = await burst(24, "Fleet");
    // GitHub's own count: each instance alone would allow 4, 12 in all.
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThanOrEqual(2);
  });

  it("with Redis stopped, a burst is still answered whole, each instance keeping to its own 4", async () => {
    await redis.stop();
    await until("every instance has seen Redis go", async () => (await Promise.all(instances.map(sharedLimits))).every((v) => v === 0));
    const fallbacksBefore = await Promise.all(instances.map(fallbacks));
    try {
      // 8 requests on each instance, at most 4 of them in flight there: never more than 12 at GitHub.
      expect(await burst(24, "Fleet away")).toBeLessThanOrEqual(12);
      (await Promise.all(instances.map(fallbacks))).forEach((n, i) => expect(n).toBeGreaterThan(fallbacksBefore[i]));
    } finally {
      await redis.resume();
    }
    await until("every instance has its limits shared again", async () => (await Promise.all(instances.map(sharedLimits))).every((v) => v === 1));
  });
});

describe("three instances keep one key under GitHub's secondary limits together", () => {
  let redis: TestRedis;
  let instances: Harness[];

  beforeAll(async () => {
    redis = await TestRedis.start();
    // 14 points a minute is 2 in each 10 s window (secondary-pacing.ts); a request's time is too short to wait for the next.
    instances = await startFleet(redis, { GITHUB_GRAPHQL_POINTS_PER_MINUTE: "14", REQUEST_TIMEOUT_MS: "2000" });
  });
  afterAll(() => stopFleet(instances, redis));

  it("sends a key's window of points once across the instances, and refuses the rest unsent", async () => {
    const tenant = "fleet-paced";
    const admin = await instances[0].token(tenant, "admin");
    // Checking a key before it is stored is not paced: the first use of the stored key opens its window.
    expect((await instances[0].gql(admin, Connect, { token: key.token })).body.errors).toBeUndefined();
    const members = await Promise.all(instances.map((h) => h.token(tenant, "member")));
    const emulator = instances[0].emulator;
    const mark = emulator.requests.length;
    // Twelve requests round-robin, well within one 10 s window: the window's 2 points go, once for the three.
    const answers = [];
    for (let i = 0; i < 12; i += 1) answers.push(await instances[i % 3].gql(members[i % 3], Viewer));
    expect(emulator.requests.length - mark).toBe(2);
    expect(answers.slice(0, 2).map(codeOf)).toEqual([undefined, undefined]);
    for (const refused of answers.slice(2)) {
      expect(codeOf(refused)).toBe("GITHUB_RATE_LIMITED");
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ reason: "SECONDARY_LIMIT" });
    }
  });
});

