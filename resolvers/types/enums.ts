import { registerEnumType } from "type-graphql";
import { GitHubTokenType, IntegrationEventAction, IntegrationProvider, IntegrationStatus } from "../../src/integrations/integration-enums";

registerEnumType(IntegrationProvider, { name: "IntegrationProvider" });
registerEnumType(IntegrationStatus, { name: "IntegrationStatus", description: "ACTIVE: in use. INACTIVE: the key stays stored and nothing uses it." });
registerEnumType(GitHubTokenType, { name: "GitHubTokenType" });
registerEnumType(IntegrationEventAction, { name: "IntegrationEventAction" });

export { GitHubTokenType, IntegrationEventAction, IntegrationProvider, IntegrationStatus };
