import { randomBytes } from "node:crypto";
import { CredentialCipher, CredentialDecryptError } from "../../src/secrets/credential-cipher";

const k = (id: string) => ({ id, key: randomBytes(32) });
const binding = { tenantId: "acme", integrationId: "7d1c7f1e-0000-4000-8000-000000000001", keyVersion: 1 };
const SECRET = "github_pat_11AAAAAAA0abcdefghijklmnopqrstuvwxyz0123456789";

describe("CredentialCipher (AES-256-GCM)", () => {
  const k1 = k("k1");
  const cipher = new CredentialCipher([k1]);

  it("round-trips and never repeats an IV", () => {
    const a = cipher.seal(SECRET, binding);
    const b = cipher.seal(SECRET, binding);
    expect(a.iv).toHaveLength(12);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.keyId).toBe("k1");
    expect(cipher.open(a, binding)).toBe(SECRET);
    expect(a.ciphertext.toString("utf8")).not.toContain(SECRET.slice(0, 20));
  });

  it("fails on a changed byte of ciphertext, IV or tag", () => {
    const sealed = cipher.seal(SECRET, binding);
    for (const part of ["ciphertext", "iv", "authTag"] as const) {
      const altered = { ...sealed, [part]: Buffer.from(sealed[part]) };
      altered[part][0] ^= 0x01;
      expect(() => cipher.open(altered, binding)).toThrow(CredentialDecryptError);
    }
  });

  it("fails when moved to another tenant, integration or key version", () => {
    const sealed = cipher.seal(SECRET, binding);
    expect(() => cipher.open(sealed, { ...binding, tenantId: "other" })).toThrow(CredentialDecryptError);
    expect(() => cipher.open(sealed, { ...binding, integrationId: "7d1c7f1e-0000-4000-8000-000000000002" })).toThrow(CredentialDecryptError);
    expect(() => cipher.open(sealed, { ...binding, keyVersion: 2 })).toThrow(CredentialDecryptError);
  });

  it("fails on an unknown key id and says which", () => {
    const sealed = cipher.seal(SECRET, binding);
    expect(() => cipher.open({ ...sealed, keyId: "gone" }, binding)).toThrow(/unknown key id 'gone'/);
  });

  it("encrypts with the first key and decrypts with any listed key", () => {
    const k2 = k("k2");
    const old = new CredentialCipher([k1]).seal(SECRET, binding);
    const rotated = new CredentialCipher([k2, k1]);
    expect(rotated.open(old, binding)).toBe(SECRET);
    expect(rotated.seal(SECRET, binding).keyId).toBe("k2");
    expect(() => new CredentialCipher([k2]).open(old, binding)).toThrow(CredentialDecryptError);
  });
});
