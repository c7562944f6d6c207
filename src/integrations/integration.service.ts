import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { IntegrationEntity } from "../../entities/integration.entity";
import { IntegrationCredentialEntity } from "../../entities/integration-credential.entity";
import { IntegrationEventEntity } from "../../entities/integration-event.entity";
import type { Principal } from "../auth/caller-token";
import { inTransaction, pgCodeOf } from "../db/transaction";
import type { Logger } from "../logger";
import type { CredentialCipher } from "../secrets/credential-cipher";
import { GitHubTokenType, IntegrationEventAction, IntegrationProvider, IntegrationStatus } from "../../entities/integration-enums";
import type { KeyFacts } from "../github/key-inspector";
import { alreadyConnected, notConnected } from "./integration-errors";
import { expiresSoon, GITHUB_ACTOR } from "./key-health";
import { checkKeyShape, fingerprintOf } from "./key-shape";
import type { KeyVault } from "./key-vault";

/**
 * Checks a key with the provider (GitHub) and says whose it is; throws a GatewayError when it is refused,
 * or when the provider has not answered by `deadline` (epoch ms).
 */
export type KeyChecker = (key: string, tokenType: GitHubTokenType, deadline: number) => Promise<KeyFacts>;

export interface Disconnected {
  provider: IntegrationProvider;
  disconnectedAt: Date;
}

/**
 * The integration lifecycle. Every change happens in one transaction that locks the integration row,
 * writes the change and its audit event together, so concurrent changes serialise and each one that
 * took effect has exactly one event. A key is checked with GitHub before that transaction starts,
 * within the request's time (`requestTimeoutMs`, counted from the start of connect or renew).
 * Each change is logged by the caller's request logger when given (its request id), else the service's.
 */
export class IntegrationService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: CredentialCipher,
    private readonly checkKey: KeyChecker,
    private readonly vault: KeyVault,
    private readonly log: Logger,
    /** REQUEST_TIMEOUT_MS: GitHub may take no longer than this to answer a key check. */
    private readonly requestTimeoutMs: number,
  ) {}

  find(tenantId: string, provider: IntegrationProvider): Promise<IntegrationEntity | null> {
    return this.ds.getRepository(IntegrationEntity).findOneBy({ tenantId, provider });
  }

  list(tenantId: string): Promise<IntegrationEntity[]> {
    return this.ds.getRepository(IntegrationEntity).find({ where: { tenantId }, order: { provider: "ASC" } });
  }

  async connect(actor: Principal, provider: IntegrationProvider, rawKey: string, log: Logger = this.log): Promise<IntegrationEntity> {
    const deadline = Date.now() + this.requestTimeoutMs;
    const { key, tokenType } = checkKeyShape(rawKey);
    if (await this.find(actor.tenant, provider)) throw alreadyConnected(provider);
    const facts = await this.checkKey(key, tokenType, deadline);
    let integration: IntegrationEntity;
    try {
      integration = await inTransaction(this.ds, async (em) => {
        const now = new Date();
        const created = em.create(IntegrationEntity, {
          id: randomUUID(),
          tenantId: actor.tenant,
          provider,
          status: IntegrationStatus.ACTIVE,
          keyVersion: 1,
          ...this.keyFields(key, tokenType, facts, actor, now),
        });
        await em.insert(IntegrationEntity, created);
        await em.insert(IntegrationCredentialEntity, this.sealFor(created, key, now));
        await this.record(em, created, IntegrationEventAction.CONNECTED, actor.sub, now);
        await this.recordExpiryWarning(em, created, now);
        return created;
      });
    } catch (e) {
      if (pgCodeOf(e) === "23505") throw alreadyConnected(provider);
      throw e;
    }
    log.info({ tenant: actor.tenant, provider, integrationId: integration.id, actor: actor.sub }, "integration connected");
    return integration;
  }

  async renew(actor: Principal, provider: IntegrationProvider, rawKey: string, log: Logger = this.log): Promise<IntegrationEntity> {
    const deadline = Date.now() + this.requestTimeoutMs;
    const { key, tokenType } = checkKeyShape(rawKey);
    if (!(await this.find(actor.tenant, provider))) throw notConnected(provider);
    const facts = await this.checkKey(key, tokenType, deadline);
    const renewed = await inTransaction(this.ds, async (em) => {
      const integration = await this.lock(em, actor.tenant, provider);
      const now = new Date();
      const changes = { ...this.keyFields(key, tokenType, facts, actor, now), keyVersion: integration.keyVersion + 1 };
      await em.update(IntegrationEntity, { id: integration.id }, changes);
      Object.assign(integration, changes);
      // Same row, new version: the associated data changes, so the old ciphertext could not stand in.
      await em.update(IntegrationCredentialEntity, { integrationId: integration.id }, this.sealFor(integration, key, now));
      await this.record(em, integration, IntegrationEventAction.RENEWED, actor.sub, now);
      await this.recordExpiryWarning(em, integration, now);
      return integration;
    });
    this.vault.forget(renewed.id);
    log.info({ tenant: actor.tenant, provider, integrationId: renewed.id, keyVersion: renewed.keyVersion, actor: actor.sub }, "integration renewed");
    return renewed;
  }

  async toggle(actor: Principal, provider: IntegrationProvider, active: boolean, log: Logger = this.log): Promise<IntegrationEntity> {
    const target = active ? IntegrationStatus.ACTIVE : IntegrationStatus.INACTIVE;
    let changed = false;
    const integration = await inTransaction(this.ds, async (em) => {
      const row = await this.lock(em, actor.tenant, provider);
      // Asking for the state it is already in changes nothing and records nothing.
      if (row.status === target) return row;
      await em.update(IntegrationEntity, { id: row.id }, { status: target });
      row.status = target;
      changed = true;
      const action = active ? IntegrationEventAction.ACTIVATED : IntegrationEventAction.DEACTIVATED;
      await this.record(em, row, action, actor.sub, new Date());
      return row;
    });
    if (changed) log.info({ tenant: actor.tenant, provider, integrationId: integration.id, status: target, actor: actor.sub }, "integration toggled");
    return integration;
  }

  async disconnect(actor: Principal, provider: IntegrationProvider, log: Logger = this.log): Promise<Disconnected> {
    const result = await inTransaction(this.ds, async (em) => {
      const integration = await this.lock(em, actor.tenant, provider);
      const now = new Date();
      await em.delete(IntegrationCredentialEntity, { integrationId: integration.id });
      await em.delete(IntegrationEntity, { id: integration.id });
      await this.record(em, integration, IntegrationEventAction.DISCONNECTED, actor.sub, now);
      return { integrationId: integration.id, disconnectedAt: now };
    });
    this.vault.forget(result.integrationId);
    log.info({ tenant: actor.tenant, provider, integrationId: result.integrationId, actor: actor.sub }, "integration disconnected");
    return { provider, disconnectedAt: result.disconnectedAt };
  }

  private async lock(em: EntityManager, tenantId: string, provider: IntegrationProvider): Promise<IntegrationEntity> {
    const row = await em
      .getRepository(IntegrationEntity)
      .createQueryBuilder("i")
      .setLock("pessimistic_write")
      .where("i.tenant_id = :tenantId AND i.provider = :provider", { tenantId, provider })
      .getOne();
    if (!row) throw notConnected(provider);
    return row;
  }

  private keyFields(key: string, tokenType: GitHubTokenType, facts: KeyFacts, actor: Principal, now: Date) {
    return {
      keyFingerprint: fingerprintOf(key),
      registeredAt: now,
      registeredBy: actor.sub,
      tokenType,
      accountLogin: facts.accountLogin,
      scopes: facts.scopes,
      expiresAt: facts.expiresAt,
      keyRejectedAt: null,
      expiryWarnedAt: expiresSoon(facts.expiresAt, now.getTime()) ? now : null,
      searchScope: facts.searchScope,
      searchScopeRefreshedAt: now,
      keyReach: facts.reach,
    };
  }

  private sealFor(integration: IntegrationEntity, key: string, now: Date) {
    const sealed = this.cipher.seal(key, { tenantId: integration.tenantId, integrationId: integration.id, keyVersion: integration.keyVersion });
    return { integrationId: integration.id, keyVersion: integration.keyVersion, encryptedAt: now, ...sealed };
  }

  /** A key registered with less than 7 days left is flagged at once (a later use would find it already flagged). */
  private async recordExpiryWarning(em: EntityManager, integration: IntegrationEntity, now: Date) {
    if (integration.expiryWarnedAt) await this.record(em, integration, IntegrationEventAction.KEY_EXPIRING_SOON, GITHUB_ACTOR, now);
  }

  private async record(em: EntityManager, integration: IntegrationEntity, action: IntegrationEventAction, actor: string, at: Date) {
    await em.insert(IntegrationEventEntity, {
      tenantId: integration.tenantId,
      provider: integration.provider,
      integrationId: integration.id,
      action,
      actor,
      keyFingerprint: integration.keyFingerprint,
      at,
    });
  }
}
