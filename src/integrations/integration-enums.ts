/** Plain enums shared by the entities, the services and the GraphQL types. */
export enum IntegrationProvider {
  GITHUB = "GITHUB",
}

export enum IntegrationStatus {
  ACTIVE = "ACTIVE",
  INACTIVE = "INACTIVE",
}

export enum GitHubTokenType {
  CLASSIC = "CLASSIC",
  FINE_GRAINED = "FINE_GRAINED",
}

export enum IntegrationEventAction {
  CONNECTED = "CONNECTED",
  RENEWED = "RENEWED",
  DEACTIVATED = "DEACTIVATED",
  ACTIVATED = "ACTIVATED",
  DISCONNECTED = "DISCONNECTED",
}
