/** The tests' own operations against the gateway, named as a client would name them. */
export const CARD_FIELDS = `id provider status keyFingerprint registeredAt registeredBy tokenType accountLogin scopes expiresAt lastUsedAt`;

export const Card = `query Card { integration { ${CARD_FIELDS} } }`;
export const Cards = `query Cards { integrations { ${CARD_FIELDS} } }`;
export const Events = `query Events($first: Int, $after: String) {
  integrationEvents(first: $first, after: $after) { nodes { id action actor keyFingerprint at } pageInfo { hasNextPage endCursor } }
}`;
export const Connect = `mutation Connect($token: String!) { connectIntegration(input: { provider: GITHUB, token: $token }) { ${CARD_FIELDS} } }`;
export const Renew = `mutation Renew($token: String!) { renewIntegration(input: { provider: GITHUB, token: $token }) { ${CARD_FIELDS} } }`;
export const Toggle = `mutation Toggle($active: Boolean!) { toggleIntegration(input: { provider: GITHUB, active: $active }) { ${CARD_FIELDS} } }`;
export const Disconnect = `mutation Disconnect { disconnectIntegration(input: { provider: GITHUB }) { provider disconnectedAt } }`;
export const Viewer = `query Viewer { github { viewer { login } } }`;

export interface CardShape {
  id: string;
  provider: string;
  status: "ACTIVE" | "INACTIVE";
  keyFingerprint: string;
  registeredAt: string;
  registeredBy: string;
  tokenType: "CLASSIC" | "FINE_GRAINED";
  accountLogin: string;
  scopes: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
}
export interface EventShape {
  id: string;
  action: string;
  actor: string;
  keyFingerprint: string | null;
  at: string;
}
