import { classicKey, fineGrainedKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Card, Connect, Disconnect, Renew, Toggle, Viewer } from "../support/operations";

const oldKey = classicKey("octo-ivy");
const newKey = fineGrainedKey("octo-ivy");
type Login = { github: { viewer: { login: string } } };

// Two gateway processes' worth of state (each its own services, caches and pool) on one PostgreSQL.
describe("two instances on one database", () => {
  let a: Harness;
  let b: Harness;
  let adminA: string;
  let adminB: string;
  beforeAll(async () => {
    a = await startHarness({ database: "postgres", keys: [oldKey, newKey] });
    b = await startHarness({ database: "postgres", shareWith: a });
    adminA = await a.token("acme", "admin");
    adminB = await b.token("acme", "admin");
    expect((await a.gql(adminA, Connect, { token: oldKey.token })).body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it("a renew through one: the other's very next request uses the new key, never the old", async () => {
    // B has decrypted and cached the old key.
    expect((await b.gql<Login>(adminB, Viewer)).body.data?.github.viewer.login).toBe("octo-ivy");
    expect(a.emulator.requests.at(-1)?.token).toBe(oldKey.token);
    expect((await a.gql(adminA, Renew, { token: newKey.token })).body.errors).toBeUndefined();
    const mark = a.emulator.requests.length;
    expect((await b.gql<Login>(adminB, Viewer)).body.data?.github.viewer.login).toBe("octo-ivy");
    const after = a.emulator.requests.slice(mark);
    expect(after.map((r) => r.token)).toEqual([newKey.token]);
  });

  it("a deactivate through one: the other sends nothing to GitHub on its next request", async () => {
    expect((await a.gql(adminA, Toggle, { active: false })).body.errors).toBeUndefined();
    const mark = a.emulator.requests.length;
    expect(codeOf(await b.gql(adminB, Viewer))).toBe("INTEGRATION_INACTIVE");
    expect(a.emulator.requests.length).toBe(mark);
    expect((await b.gql(adminB, Toggle, { active: true })).body.errors).toBeUndefined();
    expect((await a.gql<Login>(adminA, Viewer)).body.data?.github.viewer.login).toBe("octo-ivy");
  });

  it("a disconnect through one: the other answers not connected and sends nothing", async () => {
    expect((await b.gql(adminB, Disconnect)).body.errors).toBeUndefined();
    const mark = a.emulator.requests.length;
    expect(codeOf(await a.gql(adminA, Viewer))).toBe("INTEGRATION_NOT_CONNECTED");
    expect((await a.gql<{ integration: null }>(adminA, Card)).body.data?.integration).toBeNull();
    expect(a.emulator.requests.length).toBe(mark);
  });

  it("records lastUsedAt when the key is used", async () => {
    expect((await a.gql(adminA, Connect, { token: newKey.token })).body.errors).toBeUndefined();
    const before = await a.gql<{ integration: { lastUsedAt: string | null } }>(adminA, `{ integration { lastUsedAt } }`);
    expect(before.body.data?.integration.lastUsedAt).toBeNull();
    await b.gql(adminB, Viewer);
    const after = await a.gql<{ integration: { lastUsedAt: string | null } }>(adminA, `{ integration { lastUsedAt } }`);
    expect(after.body.data?.integration.lastUsedAt).not.toBeNull();
  });
});
