import type { DataSource } from "typeorm";
import { IntegrationEntity } from "../../entities/integration.entity";
import { IntegrationCredentialEntity } from "../../entities/integration-credential.entity";
import { inTransaction } from "../db/transaction";
import type { CredentialCipher } from "./credential-cipher";

export interface RotationReport {
  reencrypted: number;
  alreadyCurrent: number;
}

/**
 * Re-encrypts every stored credential under the first of CREDENTIAL_KEYS, one row per transaction
 * with the row locked, so it can run while the gateway serves. The key version does not change:
 * the key itself is the same, only its wrapping is.
 */
export async function rotateCredentialKeys(ds: DataSource, cipher: CredentialCipher): Promise<RotationReport> {
  const report: RotationReport = { reencrypted: 0, alreadyCurrent: 0 };
  const ids = (await ds.getRepository(IntegrationCredentialEntity).find({ select: { integrationId: true } })).map((c) => c.integrationId);
  for (const integrationId of ids) {
    await inTransaction(ds, async (em) => {
      const integration = await em
        .getRepository(IntegrationEntity)
        .createQueryBuilder("i")
        .setLock("pessimistic_write")
        .where("i.id = :integrationId", { integrationId })
        .getOne();
      const credential = await em.findOneBy(IntegrationCredentialEntity, { integrationId });
      if (!integration || !credential) return; // disconnected meanwhile
      if (credential.keyId === cipher.currentKeyId) {
        report.alreadyCurrent++;
        return;
      }
      const binding = { tenantId: integration.tenantId, integrationId, keyVersion: credential.keyVersion };
      const sealed = cipher.seal(cipher.open(credential, binding), binding);
      await em.update(IntegrationCredentialEntity, { integrationId }, { ...sealed, encryptedAt: new Date() });
      report.reencrypted++;
    });
  }
  return report;
}
