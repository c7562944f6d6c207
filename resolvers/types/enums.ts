import { registerEnumType } from "type-graphql";
import { GitHubTokenType, IntegrationEventAction, IntegrationKeyHealth, IntegrationProvider, IntegrationStatus } from "../../entities/integration-enums";

registerEnumType(IntegrationProvider, { name: "IntegrationProvider" });
registerEnumType(IntegrationStatus, { name: "IntegrationStatus", description: "ACTIVE: in use. INACTIVE: the key stays stored and nothing uses it." });
registerEnumType(GitHubTokenType, { name: "GitHubTokenType" });
registerEnumType(IntegrationEventAction, { name: "IntegrationEventAction", description: "KEY_EXPIRING_SOON and KEY_REJECTED are recorded by the gateway (actor `github`), once per key." });
registerEnumType(IntegrationKeyHealth, {
  name: "IntegrationKeyHealth",
  description: "HEALTHY; EXPIRING_SOON: GitHub reports an expiry within 7 days; EXPIRED; REJECTED: GitHub refused the key (revoked or expired): renew it.",
});

export { GitHubTokenType, IntegrationEventAction, IntegrationKeyHealth, IntegrationProvider, IntegrationStatus };
