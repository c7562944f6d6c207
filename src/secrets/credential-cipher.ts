import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { CredentialKey } from "../config";

/** What a ciphertext is bound to: copied to another row (or another key version) it no longer decrypts. */
export interface CredentialBinding {
  tenantId: string;
  integrationId: string;
  keyVersion: number;
}

export interface SealedCredential {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

export class CredentialDecryptError extends Error {
  constructor(reason: string) {
    super(`stored credential cannot be decrypted: ${reason}`);
    this.name = "CredentialDecryptError";
  }
}

/** JSON of an array is unambiguous, so no two different bindings share associated data. */
function associatedData(b: CredentialBinding): Buffer {
  return Buffer.from(JSON.stringify(["connector-gateway/credential/v1", b.tenantId, b.integrationId, b.keyVersion]), "utf8");
}

/** AES-256-GCM with a fresh 12-byte IV each time; the first of CREDENTIAL_KEYS encrypts, every one decrypts. */
export class CredentialCipher {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: CredentialKey[]) {
    if (keys.length === 0) throw new Error("CredentialCipher needs at least one key");
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  get currentKeyId(): string {
    return this.keys[0].id;
  }

  /** Encrypts a GitHub key for the row `binding` names. */
  seal(key: string, binding: CredentialBinding): SealedCredential {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.keys[0].key, iv);
    cipher.setAAD(associatedData(binding));
    const ciphertext = Buffer.concat([cipher.update(key, "utf8"), cipher.final()]);
    return { keyId: this.keys[0].id, iv, ciphertext, authTag: cipher.getAuthTag() };
  }

  /** The GitHub key sealed for the row `binding` names. */
  open(sealed: SealedCredential, binding: CredentialBinding): string {
    const credentialKey = this.byId.get(sealed.keyId);
    if (!credentialKey) throw new CredentialDecryptError(`unknown key id '${sealed.keyId}' (not in CREDENTIAL_KEYS)`);
    try {
      const decipher = createDecipheriv("aes-256-gcm", credentialKey, Buffer.from(sealed.iv));
      decipher.setAAD(associatedData(binding));
      decipher.setAuthTag(Buffer.from(sealed.authTag));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext)), decipher.final()]).toString("utf8");
    } catch {
      throw new CredentialDecryptError("authentication failed (altered, moved to another row, or wrong key)");
    }
  }
}
