import { IntegrationKeyHealth } from "../../entities/integration-enums";

/** The actor of the audit events the gateway records from what GitHub said (expiry, refusal). */
export const GITHUB_ACTOR = "github";

/** GitHub's own warning window: a key that expires within this is flagged on the card and in the audit trail. */
export const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000;

export function expiresSoon(expiresAt: Date | null, now = Date.now()): boolean {
  return expiresAt !== null && expiresAt.getTime() - now <= EXPIRY_WARNING_MS;
}

/** The card's verdict on the stored key, from what GitHub last said about it. */
export function keyHealthOf(integration: { keyRejectedAt: Date | null; expiresAt: Date | null }, now = Date.now()): IntegrationKeyHealth {
  if (integration.keyRejectedAt) return IntegrationKeyHealth.REJECTED;
  if (integration.expiresAt && integration.expiresAt.getTime() <= now) return IntegrationKeyHealth.EXPIRED;
  if (expiresSoon(integration.expiresAt, now)) return IntegrationKeyHealth.EXPIRING_SOON;
  return IntegrationKeyHealth.HEALTHY;
}
