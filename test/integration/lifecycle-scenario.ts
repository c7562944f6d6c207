import type { EmulatorKey } from "../../github-emulator";
import { codeOf, type Harness } from "../support/harness";
import { Card, Connect, Disconnect, Events, Renew, Toggle, Viewer, type CardShape, type EventShape } from "../support/operations";

/**
 * The whole admin lifecycle through GraphQL over HTTP, as the integration card sees it. Shared by the
 * PostgreSQL and the PGlite runs so both databases pass the very same steps.
 */
export async function runLifecycle(h: Harness, first: EmulatorKey, second: EmulatorKey): Promise<void> {
  const admin = await h.token("acme", "admin", "alice");
  const requestsWith = (token: string) => h.emulator.requests.filter((r) => r.token === token).length;

  expect((await h.gql<{ integration: null }>(admin, Card)).body.data?.integration).toBeNull();
  expect(codeOf(await h.gql(admin, Viewer))).toBe("INTEGRATION_NOT_CONNECTED");

  // Connect: the key is checked with GitHub (who it is, over GraphQL; what it reaches, one page of REST
  // GET /user/repos), and the card shows what GitHub reported.
  const connected = await h.gql<{ connectIntegration: CardShape }>(admin, Connect, { token: first.token });
  expect(connected.body.errors).toBeUndefined();
  const card1 = connected.body.data!.connectIntegration;
  expect(card1).toMatchObject({
    provider: "GITHUB",
    status: "ACTIVE",
    keyFingerprint: first.token.slice(-4),
    registeredBy: "alice",
    tokenType: first.type === "fine_grained" ? "FINE_GRAINED" : "CLASSIC",
    accountLogin: first.login,
    scopes: first.type === "fine_grained" ? [] : first.scopes,
    expiresAt: first.expiresAt ? first.expiresAt.toISOString() : null,
    lastUsedAt: null,
  });
  expect(h.emulator.requests.filter((r) => r.token === first.token).map((r) => r.path)).toEqual(["/graphql", "/user/repos"]);

  // The github namespace uses the connected key.
  const viewer = await h.gql<{ github: { viewer: { login: string } } }>(admin, Viewer);
  expect(viewer.body.data?.github.viewer.login).toBe(first.login);
  expect(requestsWith(first.token)).toBe(3);

  // Deactivate: the card changes, registeredAt does not, and nothing reaches GitHub while inactive.
  const off = await h.gql<{ toggleIntegration: CardShape }>(admin, Toggle, { active: false });
  expect(off.body.data?.toggleIntegration.status).toBe("INACTIVE");
  expect(off.body.data?.toggleIntegration.registeredAt).toBe(card1.registeredAt);
  const before = h.emulator.requests.length;
  expect(codeOf(await h.gql(admin, Viewer))).toBe("INTEGRATION_INACTIVE");
  expect(h.emulator.requests.length).toBe(before);
  // Repeating the same state changes nothing and records nothing.
  expect((await h.gql<{ toggleIntegration: CardShape }>(admin, Toggle, { active: false })).body.data?.toggleIntegration.status).toBe("INACTIVE");

  const on = await h.gql<{ toggleIntegration: CardShape }>(admin, Toggle, { active: true });
  expect(on.body.data?.toggleIntegration.status).toBe("ACTIVE");

  // Renew: a new fingerprint and registration date; from now on GitHub sees only the new key.
  const renewed = await h.gql<{ renewIntegration: CardShape }>(admin, Renew, { token: second.token });
  expect(renewed.body.errors).toBeUndefined();
  const card2 = renewed.body.data!.renewIntegration;
  expect(card2.id).toBe(card1.id);
  expect(card2.keyFingerprint).toBe(second.token.slice(-4));
  expect(card2.accountLogin).toBe(second.login);
  expect(new Date(card2.registeredAt).getTime()).toBeGreaterThan(new Date(card1.registeredAt).getTime());
  const firstKeyUses = requestsWith(first.token);
  for (let i = 0; i < 3; i++) {
    expect((await h.gql<{ github: { viewer: { login: string } } }>(admin, Viewer)).body.data?.github.viewer.login).toBe(second.login);
  }
  expect(requestsWith(first.token)).toBe(firstKeyUses);
  expect(requestsWith(second.token)).toBe(5); // the check at renew (2 requests) + 3 viewer calls

  // Disconnect: the card is gone, the credential row is gone, the events stay.
  const gone = await h.gql<{ disconnectIntegration: { provider: string; disconnectedAt: string } }>(admin, Disconnect);
  expect(gone.body.data?.disconnectIntegration.provider).toBe("GITHUB");
  expect(new Date(gone.body.data!.disconnectIntegration.disconnectedAt).getTime()).toBeGreaterThan(0);
  expect((await h.gql<{ integration: null }>(admin, Card)).body.data?.integration).toBeNull();
  expect(await h.gateway.dataSource.query(`SELECT count(*)::int AS n FROM integration_credential`)).toEqual([{ n: 0 }]);
  expect(codeOf(await h.gql(admin, Viewer))).toBe("INTEGRATION_NOT_CONNECTED");

  const events = await h.gql<{ integrationEvents: { nodes: EventShape[] } }>(admin, Events, { first: 10 });
  expect(events.body.data?.integrationEvents.nodes.map((e) => [e.action, e.actor, e.keyFingerprint])).toEqual([
    ["DISCONNECTED", "alice", second.token.slice(-4)],
    ["RENEWED", "alice", second.token.slice(-4)],
    ["ACTIVATED", "alice", first.token.slice(-4)],
    ["DEACTIVATED", "alice", first.token.slice(-4)],
    ["CONNECTED", "alice", first.token.slice(-4)],
  ]);

  // Connecting again works after a disconnect.
  const again = await h.gql<{ connectIntegration: CardShape }>(admin, Connect, { token: first.token });
  expect(again.body.data?.connectIntegration.status).toBe("ACTIVE");
  expect(again.body.data?.connectIntegration.id).not.toBe(card1.id);
}
