import type { DataSource } from "typeorm";
import { IntegrationEntity } from "../../entities/integration.entity";
import { IntegrationCredentialEntity } from "../../entities/integration-credential.entity";
import { ErrorCode, GatewayError } from "../errors";
import { inactive, notConnected } from "./integration-errors";
import type { CredentialCipher } from "../secrets/credential-cipher";
import { IntegrationProvider, IntegrationStatus } from "./integration-enums";

/** An integration that may be used right now, with its decrypted key. Never handed to a formatter or a log. */
export interface UsableKey {
  integration: IntegrationEntity;
  key: string;
}

const MAX_CACHED_KEYS = 10_000;

/**
 * Hands out a tenant's current key. Every call reads the integration and its credential in one query
 * (one snapshot), so a renew, deactivate or disconnect committed by any instance is seen by the very
 * next request; only the decryption is cached, keyed by integration and key version.
 */
export class KeyVault {
  private readonly cache = new Map<string, { keyVersion: number; key: string }>();

  constructor(
    private readonly ds: DataSource,
    private readonly cipher: CredentialCipher,
  ) {}

  async usableKey(tenantId: string, provider: IntegrationProvider, attempt = 1): Promise<UsableKey> {
    const integration = await this.ds
      .getRepository(IntegrationEntity)
      .createQueryBuilder("i")
      .where("i.tenant_id = :tenantId AND i.provider = :provider", { tenantId, provider })
      .getOne();
    if (!integration) throw notConnected(provider);
    if (integration.status !== IntegrationStatus.ACTIVE) throw inactive(provider);
    const cached = this.cache.get(integration.id);
    if (cached?.keyVersion === integration.keyVersion) return { integration, key: cached.key };

    const credential = await this.ds.getRepository(IntegrationCredentialEntity).findOneBy({ integrationId: integration.id });
    // A renew or disconnect that committed between the two reads: read both again once.
    if (!credential || credential.keyVersion !== integration.keyVersion) {
      if (attempt < 2) return this.usableKey(tenantId, provider, attempt + 1);
      throw new GatewayError(ErrorCode.CONFLICT, "The key was being replaced; retry the request.");
    }
    let key: string;
    try {
      key = this.cipher.open(credential, { tenantId, integrationId: integration.id, keyVersion: credential.keyVersion });
    } catch (e) {
      // Logged by the error formatter with its cause; the caller learns what an admin can do about it.
      throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The stored key cannot be decrypted (were CREDENTIAL_KEYS changed?); an admin can renew it.", {}, e);
    }
    this.remember(integration.id, integration.keyVersion, key);
    return { integration, key };
  }

  forget(integrationId: string): void {
    this.cache.delete(integrationId);
  }

  private remember(integrationId: string, keyVersion: number, key: string): void {
    this.cache.delete(integrationId);
    if (this.cache.size >= MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(integrationId, { keyVersion, key });
  }
}
