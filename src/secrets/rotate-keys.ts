import type { DataSource } from "typeorm";
import { IntegrationStore } from "../integrations/integration-store";
import { LocalKeyChangeFeed } from "../integrations/key-change-feed";
import type { CredentialCipher } from "./credential-cipher";

export interface RotationReport {
  reencrypted: number;
  alreadyCurrent: number;
}

/**
 * Re-encrypts every stored credential under the first of CREDENTIAL_KEYS, one row per transaction
 * with the row locked (IntegrationStore.reseal), so it can run while the gateway serves. The key
 * version does not change: the key itself is the same, only its wrapping is.
 */
export async function rotateCredentialKeys(ds: DataSource, cipher: CredentialCipher): Promise<RotationReport> {
  // Resealing changes how a key is wrapped, not the key or its version: nothing is announced.
  const store = new IntegrationStore(ds, new LocalKeyChangeFeed());
  const report: RotationReport = { reencrypted: 0, alreadyCurrent: 0 };
  for (const integrationId of await store.credentialIds()) {
    const outcome = await store.reseal(integrationId, (sealed, binding) =>
      sealed.keyId === cipher.currentKeyId ? null : cipher.seal(cipher.open(sealed, binding), binding),
    );
    if (outcome === "resealed") report.reencrypted++;
    else if (outcome === "unchanged") report.alreadyCurrent++;
  }
  return report;
}
