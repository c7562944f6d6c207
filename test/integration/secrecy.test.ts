import { classicKey, fineGrainedKey } from "../support/keys";
import { startHarness, type Harness } from "../support/harness";
import { Card, Cards, Connect, Disconnect, Events, Renew, Toggle, Viewer } from "../support/operations";

const first = fineGrainedKey("octo-finn");
const second = classicKey("octo-finn");
const rejected = classicKey("not-registered");

/** Every spelling of a key that would count as "in clear". */
function spellings(key: string): string[] {
  const b = Buffer.from(key, "utf8");
  return [key, b.toString("hex"), b.toString("base64").replace(/=+$/, ""), b.toString("base64url"), key.slice(0, -4)];
}

describe("a key never appears in clear", () => {
  let h: Harness;
  const responses: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [first, second] });
    const admin = await h.token("acme", "admin", "alice");
    const member = await h.token("acme", "member");
    const run = async (token: string, op: string, vars?: Record<string, unknown>) => responses.push(JSON.stringify((await h.gql(token, op, vars)).body));
    await run(admin, Connect, { token: first.token });
    await run(admin, Connect, { token: first.token }); // already connected
    await run(admin, Card);
    await run(member, Cards);
    await run(admin, Viewer);
    await run(member, Renew, { token: second.token }); // forbidden
    await run(admin, Renew, { token: rejected.token }); // GitHub says no
    await run(admin, Renew, { token: second.token });
    await run(admin, Toggle, { active: false });
    await run(admin, Viewer); // inactive
    await run(admin, Toggle, { active: true });
    await run(admin, Events);
    await run(admin, Viewer);
    await run(admin, `mutation { connectIntegration(input: { token: ${JSON.stringify(second.token)}, provider: NOPE }) { id } }`);
    await run(admin, `mutation($t: Int!) { connectIntegration(input: { token: $t }) { id } }`, { t: second.token });
  });
  afterAll(() => h?.close());

  it("went through the whole lifecycle (the scan below has something to scan)", () => {
    expect(responses).toHaveLength(15);
    // One line per operation, naming it and its error codes: the scan below reads real request logs.
    const requests = h.logs.filter((l) => l.includes('"msg":"graphql request"'));
    expect(requests.length).toBe(15);
    expect(requests.some((l) => l.includes('"operation":"Renew"') && l.includes("GITHUB_TOKEN_REJECTED"))).toBe(true);
    expect(h.emulator.requests.filter((r) => r.token === second.token).length).toBeGreaterThan(1);
  });

  it.each([["the first key", first.token], ["the renewed key", second.token], ["a rejected key", rejected.token]])(
    "%s is in no GraphQL response",
    (_name, key) => {
      for (const s of spellings(key)) expect(responses.join("\n")).not.toContain(s);
    },
  );

  it.each([["the first key", first.token], ["the renewed key", second.token], ["a rejected key", rejected.token]])("%s is in no log line", (_name, key) => {
    for (const s of spellings(key)) expect(h.logs.join("")).not.toContain(s);
  });

  it("no column of any table holds a key in clear, hex or base64", async () => {
    const tables: { table_name: string }[] = await h.gateway.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["integration", "integration_credential", "integration_event"]));
    let dump = "";
    for (const { table_name } of tables) {
      const rows: { row: string }[] = await h.gateway.dataSource.query(`SELECT t::text AS row FROM "${table_name}" t`);
      dump += rows.map((r) => r.row).join("\n");
    }
    expect(dump).toContain(second.token.slice(-4)); // the fingerprint is there, so the dump is real
    for (const key of [first.token, second.token, rejected.token]) {
      for (const s of spellings(key)) expect(dump.toLowerCase()).not.toContain(s.toLowerCase());
    }
  });

  it("disconnect leaves no ciphertext behind", async () => {
    const admin = await h.token("acme", "admin", "alice");
    await h.gql(admin, Disconnect);
    expect(await h.gateway.dataSource.query(`SELECT count(*)::int AS n FROM integration_credential`)).toEqual([{ n: 0 }]);
  });
});
