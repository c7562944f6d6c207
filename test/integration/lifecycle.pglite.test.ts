import { classicKey, fineGrainedKey } from "../support/keys";
import { startHarness, type Harness } from "../support/harness";
import { runLifecycle } from "./lifecycle-scenario";

const first = classicKey("octo-carol", { scopes: ["repo"] });
const second = fineGrainedKey("octo-carol");

// No DATABASE_URL: the embedded PGlite under DATA_DIR, with the same migrations.
describe("integration lifecycle on embedded PGlite", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ database: "pglite", keys: [first, second] });
    expect(h.config.databaseUrl).toBeUndefined();
  }, 60_000);
  afterAll(() => h?.close());

  it("passes the same lifecycle as PostgreSQL", async () => {
    await runLifecycle(h, first, second);
  });

  it("serialises concurrent transactions on its single connection", async () => {
    const admin = await h.token("acme", "admin", "alice");
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.gql(admin, `mutation($a: Boolean!) { toggleIntegration(input: { active: $a }) { status } }`, { a: i % 2 === 0 })),
    );
    expect(results.every((r) => !r.body.errors)).toBe(true);
    const actions: { action: string }[] = await h.gateway.dataSource.query(
      `SELECT action FROM integration_event WHERE action IN ('ACTIVATED','DEACTIVATED') ORDER BY id`,
    );
    // Every change that took effect has exactly one event: in commit order they strictly alternate.
    actions.forEach((a, i) => expect(a.action).toBe(i % 2 === 0 ? "DEACTIVATED" : "ACTIVATED"));
    const card = await h.gql<{ integration: { status: string } }>(admin, `{ integration { status } }`);
    expect(card.body.data?.integration.status).toBe(actions.length % 2 === 0 ? "ACTIVE" : "INACTIVE");
    expect(actions.length).toBeGreaterThan(2); // the lifecycle's two plus at least one from this burst
  });
});
