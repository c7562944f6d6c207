import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Card, Connect, Renew, Toggle, Viewer } from "../support/operations";

const keys = Array.from({ length: 11 }, (_, i) => classicKey(`octo-${i}`));

describe("concurrent mutations on one integration (PostgreSQL)", () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys });
    admin = await h.token("acme", "admin", "alice");
  });
  afterAll(() => h?.close());

  it("5 concurrent connects: exactly one wins, the others are told it is already connected", async () => {
    const results = await Promise.all(keys.slice(0, 5).map((k) => h.gql(admin, Connect, { token: k.token })));
    const codes = results.map((r) => codeOf(r) ?? "OK").sort();
    expect(codes).toEqual(["INTEGRATION_ALREADY_CONNECTED", "INTEGRATION_ALREADY_CONNECTED", "INTEGRATION_ALREADY_CONNECTED", "INTEGRATION_ALREADY_CONNECTED", "OK"]);
    const [{ n }] = await h.gateway.dataSource.query(`SELECT count(*)::int AS n FROM integration_event WHERE action = 'CONNECTED'`);
    expect(n).toBe(1);
  });

  it("20 concurrent toggles and renews end consistent, with one audit event per change that took effect", async () => {
    const renewKeys = keys.slice(1, 11);
    const ops = [
      ...renewKeys.map((k) => () => h.gql(admin, Renew, { token: k.token })),
      ...Array.from({ length: 10 }, (_, i) => () => h.gql(admin, Toggle, { active: i % 2 === 1 })),
    ];
    const results = await Promise.all(ops.map((op) => op()));
    for (const r of results) expect([undefined, "CONFLICT"]).toContain(codeOf(r));
    const renewsApplied = results.slice(0, 10).filter((r) => !r.body.errors).length;

    const ds = h.gateway.dataSource;
    const [integration] = await ds.query(`SELECT id, status, key_version, key_fingerprint FROM integration`);
    const [credential] = await ds.query(`SELECT key_version FROM integration_credential`);
    const events: { action: string; key_fingerprint: string }[] = await ds.query(`SELECT action, key_fingerprint FROM integration_event ORDER BY id`);

    // No lost update: every renew that answered OK bumped the version once, and the credential moved with it.
    expect(events.filter((e) => e.action === "RENEWED")).toHaveLength(renewsApplied);
    expect(integration.key_version).toBe(1 + renewsApplied);
    expect(credential.key_version).toBe(integration.key_version);
    // The card shows the key of the last renew to commit, and that is the key GitHub sees next.
    const lastRenew = events.filter((e) => e.action === "RENEWED").at(-1)!;
    expect(integration.key_fingerprint).toBe(lastRenew.key_fingerprint);
    const toggles = events.filter((e) => e.action === "ACTIVATED" || e.action === "DEACTIVATED");
    toggles.forEach((e, i) => expect(e.action).toBe(i % 2 === 0 ? "DEACTIVATED" : "ACTIVATED"));
    expect(integration.status).toBe(toggles.length % 2 === 0 ? "ACTIVE" : "INACTIVE");

    const card = await h.gql<{ integration: { keyFingerprint: string; status: string } }>(admin, Card);
    expect(card.body.data?.integration).toEqual(expect.objectContaining({ keyFingerprint: lastRenew.key_fingerprint, status: integration.status }));
    await h.gql(admin, Toggle, { active: true });
    const viewer = await h.gql<{ github: { viewer: { login: string } } }>(admin, Viewer);
    const used = h.emulator.requests.at(-1)!;
    expect(used.token?.slice(-4)).toBe(lastRenew.key_fingerprint);
    expect(viewer.body.data?.github.viewer.login).toBe(keys.find((k) => k.token === used.token)?.login);
  });
});
