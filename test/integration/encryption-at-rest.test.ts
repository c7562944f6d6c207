import { randomBytes } from "node:crypto";
import { CredentialCipher } from "../../src/secrets/credential-cipher";
import { rotateCredentialKeys } from "../../src/secrets/rotate-keys";
import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect, Viewer } from "../support/operations";

const acme = classicKey("acme-bot");
const globex = classicKey("globex-bot");
type Login = { github: { viewer: { login: string } } };

describe("credentials at rest", () => {
  let h: Harness;
  let acmeAdmin: string;
  let globexAdmin: string;
  const credentialOf = async (tenant: string) =>
    (
      await h.gateway.dataSource.query(
        `SELECT c.* FROM integration_credential c JOIN integration i ON i.id = c.integration_id WHERE i.tenant_id = $1`,
        [tenant],
      )
    )[0];

  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [acme, globex] });
    acmeAdmin = await h.token("acme", "admin");
    globexAdmin = await h.token("globex", "admin");
    for (const [t, k] of [[acmeAdmin, acme], [globexAdmin, globex]] as const) {
      expect((await h.gql(t, Connect, { token: k.token })).body.errors).toBeUndefined();
    }
  });
  afterAll(() => h?.close());

  it("stores AES-256-GCM ciphertext with a 12-byte IV, a 16-byte tag and the key id", async () => {
    const row = await credentialOf("acme");
    expect(row.key_id).toBe("test1");
    expect(row.iv).toHaveLength(12);
    expect(row.auth_tag).toHaveLength(16);
    expect(row.ciphertext).toHaveLength(acme.token.length);
    expect(Buffer.from(row.ciphertext).toString("utf8")).not.toBe(acme.token);
  });

  // Each case alters the row and expects the next use to fail without reaching GitHub, then restores it.
  async function expectUnusable(tenantToken: string, alter: () => Promise<void>, restore: () => Promise<void>) {
    await alter();
    try {
      // The vault caches decrypted keys by version; an edit behind its back needs a re-read.
      for (const { id } of await h.gateway.dataSource.query(`SELECT id FROM integration`)) h.gateway.services.vault.forget(id);
      const before = h.emulator.requests.length;
      const r = await h.gql(tenantToken, Viewer);
      expect(codeOf(r)).toBe("INTERNAL_SERVER_ERROR");
      expect(r.body.errors?.[0].message).toMatch(/cannot be decrypted/);
      expect(h.emulator.requests.length).toBe(before);
    } finally {
      await restore();
    }
    expect((await h.gql<Login>(tenantToken, Viewer)).body.data?.github.viewer.login).toBeDefined();
  }

  it("a changed byte fails to decrypt", async () => {
    const row = await credentialOf("acme");
    const altered = Buffer.from(row.ciphertext);
    altered[3] ^= 0x20;
    await expectUnusable(
      acmeAdmin,
      () => h.gateway.dataSource.query(`UPDATE integration_credential SET ciphertext = $1 WHERE integration_id = $2`, [altered, row.integration_id]),
      () => h.gateway.dataSource.query(`UPDATE integration_credential SET ciphertext = $1 WHERE integration_id = $2`, [row.ciphertext, row.integration_id]),
    );
  });

  it("a ciphertext copied to another tenant's row fails to decrypt, and the other key is never used", async () => {
    const from = await credentialOf("acme");
    const to = await credentialOf("globex");
    const copy = (src: typeof from) =>
      h.gateway.dataSource.query(`UPDATE integration_credential SET iv = $1, ciphertext = $2, auth_tag = $3, key_id = $4 WHERE integration_id = $5`, [
        src.iv, src.ciphertext, src.auth_tag, src.key_id, to.integration_id,
      ]);
    await expectUnusable(globexAdmin, () => copy(from), () => copy(to));
  });

  it("an unknown key id fails to decrypt", async () => {
    const row = await credentialOf("acme");
    await expectUnusable(
      acmeAdmin,
      () => h.gateway.dataSource.query(`UPDATE integration_credential SET key_id = 'retired' WHERE integration_id = $1`, [row.integration_id]),
      () => h.gateway.dataSource.query(`UPDATE integration_credential SET key_id = $1 WHERE integration_id = $2`, [row.key_id, row.integration_id]),
    );
  });

  it("rotate-keys re-encrypts every credential under the first key and keeps each readable", async () => {
    const oldKey = h.config.credentialKeys[0];
    const newKey = { id: "test2", key: randomBytes(32) };
    const report = await rotateCredentialKeys(h.gateway.dataSource, new CredentialCipher([newKey, oldKey]));
    expect(report).toEqual({ reencrypted: 2, alreadyCurrent: 0 });
    const rows: { key_id: string; integration_id: string; key_version: number }[] = await h.gateway.dataSource.query(
      `SELECT c.key_id, c.integration_id, c.key_version, c.iv, c.ciphertext, c.auth_tag, i.tenant_id FROM integration_credential c JOIN integration i ON i.id = c.integration_id ORDER BY i.tenant_id`,
    );
    expect(rows.map((r) => r.key_id)).toEqual(["test2", "test2"]);
    // Readable with the new key alone: the old one can now be retired.
    const onlyNew = new CredentialCipher([newKey]);
    const opened = rows.map((r) => {
      const row = r as unknown as { iv: Buffer; ciphertext: Buffer; auth_tag: Buffer; tenant_id: string };
      return onlyNew.open({ keyId: r.key_id, iv: row.iv, ciphertext: row.ciphertext, authTag: row.auth_tag }, { tenantId: row.tenant_id, integrationId: r.integration_id, keyVersion: r.key_version });
    });
    expect(opened).toEqual([acme.token, globex.token]);
    // Running it again has nothing left to do.
    expect(await rotateCredentialKeys(h.gateway.dataSource, new CredentialCipher([newKey, oldKey]))).toEqual({ reencrypted: 0, alreadyCurrent: 2 });
  });
});
