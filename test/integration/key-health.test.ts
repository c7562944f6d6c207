import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect, Renew, Viewer } from "../support/operations";

const DAY = 24 * 60 * 60 * 1000;
const HEALTH = `{ integration { health expiresAt keyRejectedAt } }`;
const EVENTS = `{ integrationEvents(first: 100) { nodes { action actor keyFingerprint } } }`;

interface Health {
  integration: { health: string; expiresAt: string | null; keyRejectedAt: string | null };
}
interface Events {
  integrationEvents: { nodes: { action: string; actor: string; keyFingerprint: string | null }[] };
}

describe("the key's health on the card and in the audit trail", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres" });
  });
  afterAll(() => h?.close());

  async function connectTenant(tenant: string, key: ReturnType<typeof classicKey>) {
    h.emulator.addKey(key);
    const admin = await h.token(tenant, "admin");
    expect((await h.gql(admin, Connect, { token: key.token })).body.errors).toBeUndefined();
    return admin;
  }
  const healthOf = async (admin: string) => (await h.gql<Health>(admin, HEALTH)).body.data!.integration;
  const actionsOf = async (admin: string) => (await h.gql<Events>(admin, EVENTS)).body.data!.integrationEvents.nodes;

  it("a key that expires in 3 days is EXPIRING_SOON from the start, with one event however often it is used", async () => {
    const key = classicKey("soon-bot", { expiresAt: new Date(Date.now() + 3 * DAY) });
    const admin = await connectTenant("soon", key);
    expect((await healthOf(admin)).health).toBe("EXPIRING_SOON");
    for (let i = 0; i < 3; i++) expect((await h.gql(admin, Viewer)).body.errors).toBeUndefined();
    const events = await actionsOf(admin);
    expect(events.map((e) => e.action)).toEqual(["KEY_EXPIRING_SOON", "CONNECTED"]);
    expect(events[0]).toEqual({ action: "KEY_EXPIRING_SOON", actor: "github", keyFingerprint: key.token.slice(-4) });
  });

  it("a key whose expiry GitHub reports within 7 days on a later answer: flagged once, across concurrent requests", async () => {
    const key = classicKey("later-bot", { expiresAt: new Date(Date.now() + 60 * DAY) });
    const admin = await connectTenant("later", key);
    expect((await healthOf(admin)).health).toBe("HEALTHY");
    expect((await h.gql(admin, Viewer)).body.errors).toBeUndefined();
    expect((await actionsOf(admin)).map((e) => e.action)).toEqual(["CONNECTED"]);

    // GitHub now reports a nearer expiry (the emulator answers it in GitHub-Authentication-Token-Expiration).
    const soon = new Date(Date.now() + 2 * DAY);
    h.emulator.addKey({ ...key, expiresAt: soon });
    const answers = await Promise.all(Array.from({ length: 8 }, () => h.gql(admin, Viewer)));
    answers.forEach((a) => expect(a.body.errors).toBeUndefined());
    const card = await healthOf(admin);
    expect(card.health).toBe("EXPIRING_SOON");
    expect(Math.abs(new Date(card.expiresAt!).getTime() - soon.getTime())).toBeLessThan(1000);
    expect((await actionsOf(admin)).map((e) => e.action)).toEqual(["KEY_EXPIRING_SOON", "CONNECTED"]);
  });

  it("a key GitHub refuses is REJECTED with one KEY_REJECTED event; a renew makes it HEALTHY again", async () => {
    const key = classicKey("revoked-bot");
    const admin = await connectTenant("revoked", key);
    h.emulator.removeKey(key.token);
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.gql(admin, Viewer)));
    answers.forEach((a) => expect(codeOf(a)).toBe("GITHUB_TOKEN_REJECTED"));
    expect((await h.gql(admin, Viewer)).body.errors?.[0].extensions?.code).toBe("GITHUB_TOKEN_REJECTED");
    expect((await healthOf(admin)).health).toBe("REJECTED");
    const events = await actionsOf(admin);
    expect(events.map((e) => e.action)).toEqual(["KEY_REJECTED", "CONNECTED"]);
    expect(events[0]).toEqual({ action: "KEY_REJECTED", actor: "github", keyFingerprint: key.token.slice(-4) });

    const fresh = classicKey("revoked-bot");
    h.emulator.addKey(fresh);
    expect((await h.gql(admin, Renew, { token: fresh.token })).body.errors).toBeUndefined();
    const card = await healthOf(admin);
    expect(card).toMatchObject({ health: "HEALTHY", keyRejectedAt: null });
    expect((await actionsOf(admin)).map((e) => e.action)).toEqual(["RENEWED", "KEY_REJECTED", "CONNECTED"]);
  });

  it("a key past its expiry reads EXPIRED on the card", async () => {
    const key = classicKey("past-bot", { expiresAt: new Date(Date.now() + 3 * DAY) });
    const admin = await connectTenant("past", key);
    await h.gateway.dataSource.query(`UPDATE integration SET expires_at = now() - interval '1 hour' WHERE tenant_id = 'past'`);
    expect((await healthOf(admin)).health).toBe("EXPIRED");
  });
});
