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
  /** GitHub reports the key expires within 7 days (actor `github`). */
  KEY_EXPIRING_SOON = "KEY_EXPIRING_SOON",
  /** GitHub refused the key: revoked or expired (actor `github`). */
  KEY_REJECTED = "KEY_REJECTED",
}

/** What the card says about the stored key. */
export enum IntegrationKeyHealth {
  HEALTHY = "HEALTHY",
  EXPIRING_SOON = "EXPIRING_SOON",
  EXPIRED = "EXPIRED",
  REJECTED = "REJECTED",
}
