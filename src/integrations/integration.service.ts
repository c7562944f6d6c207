import type { IntegrationEntity } from "../../entities/integration.entity";
import type { Principal } from "../auth/caller-token";
import type { Logger } from "../logger";
import type { CredentialCipher } from "../secrets/credential-cipher";
import { IntegrationProvider, IntegrationStatus } from "../../entities/integration-enums";
import type { GitHubGate } from "../github/gate/github-gate";
import { inspectKey, type KeyFacts } from "../github/key-inspector";
import { alreadyConnected, notConnected } from "./integration-errors";
import { listEvents, type EventPage } from "./integration-events";
import type { IntegrationStore, KeyRegistration } from "./integration-store";
import { checkKeyShape, fingerprintOf, type CheckedKey } from "./key-shape";
import type { KeyChangeFeed } from "./key-change-feed";

export interface Disconnected {
  provider: IntegrationProvider;
  disconnectedAt: Date;
}

/**
 * The integration lifecycle. Every change is one store transaction that locks the integration row and
 * writes the change with its audit event (IntegrationStore), so concurrent changes serialise and each one
 * that took effect has exactly one event. A key is checked with GitHub before that transaction starts,
 * within the request's time (`requestTimeoutMs`, counted from the start of connect or renew).
 * Each change is logged by the caller's request logger when given (its request id), else the service's.
 */
export class IntegrationService {
  constructor(
    private readonly store: IntegrationStore,
    private readonly cipher: CredentialCipher,
    /** The road to GitHub, for the key check (inspectKey) before anything is stored. */
    private readonly gate: GitHubGate,
    /** A change answers only once every instance has heard it (key-change-feed.ts): none sends an old key after. */
    private readonly changes: KeyChangeFeed,
    private readonly log: Logger,
    /** REQUEST_TIMEOUT_MS: GitHub may take no longer than this to answer a key check. */
    private readonly requestTimeoutMs: number,
  ) {}

  find(tenantId: string, provider: IntegrationProvider): Promise<IntegrationEntity | null> {
    return this.store.find(tenantId, provider);
  }

  list(tenantId: string): Promise<IntegrationEntity[]> {
    return this.store.list(tenantId);
  }

  /** The audit trail, newest first, `first` events after the cursor `after`. */
  events(tenantId: string, provider: IntegrationProvider, first?: number, after?: string | null): Promise<EventPage> {
    return listEvents(this.store, tenantId, provider, first, after);
  }

  async connect(actor: Principal, provider: IntegrationProvider, key: string, log: Logger = this.log): Promise<IntegrationEntity> {
    const deadline = Date.now() + this.requestTimeoutMs;
    const checked = checkKeyShape(key);
    if (await this.find(actor.tenant, provider)) throw alreadyConnected(provider);
    const facts = await inspectKey(this.gate, { tenant: actor.tenant, ...checked, deadline, log });
    const connected = await this.store.connect(actor.tenant, provider, actor.sub, this.registration(checked, facts));
    // Null: a concurrent connect of the same tenant and provider committed first.
    if (!connected) throw alreadyConnected(provider);
    await this.changes.settle(connected.change);
    const integration = connected.result;
    log.info({ tenant: actor.tenant, provider, integrationId: integration.id, actor: actor.sub }, "integration connected");
    return integration;
  }

  async renew(actor: Principal, provider: IntegrationProvider, key: string, log: Logger = this.log): Promise<IntegrationEntity> {
    const deadline = Date.now() + this.requestTimeoutMs;
    const checked = checkKeyShape(key);
    if (!(await this.find(actor.tenant, provider))) throw notConnected(provider);
    const facts = await inspectKey(this.gate, { tenant: actor.tenant, ...checked, deadline, log });
    const changed = await this.store.renew(actor.tenant, provider, actor.sub, this.registration(checked, facts));
    if (!changed) throw notConnected(provider);
    await this.changes.settle(changed.change);
    const renewed = changed.result;
    log.info({ tenant: actor.tenant, provider, integrationId: renewed.id, keyVersion: renewed.keyVersion, actor: actor.sub }, "integration renewed");
    return renewed;
  }

  async toggle(actor: Principal, provider: IntegrationProvider, active: boolean, log: Logger = this.log): Promise<IntegrationEntity> {
    const target = active ? IntegrationStatus.ACTIVE : IntegrationStatus.INACTIVE;
    const result = await this.store.setStatus(actor.tenant, provider, actor.sub, target);
    if (!result) throw notConnected(provider);
    const { integration, change } = result;
    if (change) await this.changes.settle(change);
    if (change) log.info({ tenant: actor.tenant, provider, integrationId: integration.id, status: target, actor: actor.sub }, "integration toggled");
    return integration;
  }

  async disconnect(actor: Principal, provider: IntegrationProvider, log: Logger = this.log): Promise<Disconnected> {
    const changed = await this.store.remove(actor.tenant, provider, actor.sub);
    if (!changed) throw notConnected(provider);
    await this.changes.settle(changed.change);
    const removed = changed.result;
    log.info({ tenant: actor.tenant, provider, integrationId: removed.integrationId, actor: actor.sub }, "integration disconnected");
    return { provider, disconnectedAt: removed.removedAt };
  }

  /** What the store writes of a checked key: the card's facts and a sealer, so the key in clear stays here and in the cipher. */
  private registration({ key, tokenType }: CheckedKey, facts: KeyFacts): KeyRegistration {
    return {
      keyFingerprint: fingerprintOf(key),
      tokenType,
      accountLogin: facts.accountLogin,
      scopes: facts.scopes,
      expiresAt: facts.expiresAt,
      searchScope: facts.searchScope,
      keyReach: facts.reach,
      seal: (binding) => this.cipher.seal(key, binding),
    };
  }
}
