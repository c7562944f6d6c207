import { classicKey } from "../support/keys";
import { startHarness, type Harness } from "../support/harness";
import { Connect } from "../support/operations";

const acme = classicKey("acme-bot");
const globex = classicKey("globex-bot");

async function seedAndConnect(h: Harness) {
  for (const owner of ["acme", "globex"]) {
    h.emulator.store.addRepository({ owner, name: "site" });
    for (let i = 1; i <= 10; i++) h.emulator.store.addIssue({ owner, repo: "site", title: `${owner} ${i}` });
  }
  for (const [tenant, key] of [["acme", acme], ["globex", globex]] as const) {
    expect((await h.gql(await h.token(tenant, "admin"), Connect, { token: key.token })).body.errors).toBeUndefined();
  }
}

const one = (owner: string, n: number) => `{ github { issue(owner: "${owner}", repo: "site", number: ${n}) { title } } }`;

describe("across requests: a tenant's concurrent requests share upstream documents", () => {
  let h: Harness;
  beforeAll(async () => {
    // A wide window, so that requests started together surely meet in it on a busy machine.
    h = await startHarness({ database: "postgres", keys: [acme, globex], env: { GITHUB_BATCH_WINDOW_MS: "50" } });
    await seedAndConnect(h);
  });
  afterAll(() => h?.close());

  it("20 concurrent requests of two tenants: fewer documents than requests, none mixing tenants", async () => {
    const [acmeToken, globexToken] = [await h.token("acme", "service"), await h.token("globex", "service")];
    const mark = h.emulator.requests.length;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? h.gql<{ github: { issue: { title: string } } }>(globexToken, one("globex", (i % 10) + 1)) : h.gql<{ github: { issue: { title: string } } }>(acmeToken, one("acme", (i % 10) + 1)))),
    );
    results.forEach((r, i) => expect(r.body.data?.github.issue.title).toBe(`${i % 2 ? "globex" : "acme"} ${(i % 10) + 1}`));
    const docs = h.emulator.requests.slice(mark);
    expect(docs.length).toBeLessThan(20);
    for (const d of docs) {
      const owners = Object.entries(d.variables ?? {}).filter(([k]) => k.endsWith("_owner")).map(([, v]) => v);
      const expected = d.token === acme.token ? "acme" : "globex";
      expect(owners.every((o) => o === expected)).toBe(true);
    }
  });
});

describe("GITHUB_BATCHING=off: one upstream document per look-up (the benchmark's baseline)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [acme, globex], env: { GITHUB_BATCHING: "off" } });
    await seedAndConnect(h);
  });
  afterAll(() => h?.close());

  it("10 look-ups in one request are 10 upstream documents", async () => {
    const fields = Array.from({ length: 10 }, (_, i) => `i${i}: issue(owner: "acme", repo: "site", number: ${i + 1}) { title }`);
    const mark = h.emulator.requests.length;
    const r = await h.gql(await h.token("acme", "service"), `{ github { ${fields.join(" ")} } }`);
    expect(r.body.errors).toBeUndefined();
    expect(h.emulator.requests.length - mark).toBe(10);
  });
});
