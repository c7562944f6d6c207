import { SignJWT } from "jose";
import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Card, Cards, Connect, Disconnect, Events, Renew, Toggle, Viewer } from "../support/operations";

const acmeKey = classicKey("acme-bot");
const otherKey = classicKey("globex-bot");

describe("who may do what", () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [acmeKey, otherKey] });
    admin = await h.token("acme", "admin", "alice");
    expect((await h.gql(admin, Connect, { token: acmeKey.token })).body.errors).toBeUndefined();
  });
  afterAll(() => h?.close());

  describe("caller authentication", () => {
    const sign = (secret: string, claims: Record<string, unknown>, exp: number | string = "1h") =>
      new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("mallory").setExpirationTime(exp).sign(new TextEncoder().encode(secret));

    it.each([
      ["no token", async () => null],
      ["a forged token", async () => sign("x".repeat(40), { tenant: "acme", role: "admin" })],
      ["an expired token", async () => sign(h.config.authJwtSecret, { tenant: "acme", role: "admin" }, Math.floor(Date.now() / 1000) - 60)],
      ["a token with an unknown role", async () => sign(h.config.authJwtSecret, { tenant: "acme", role: "root" })],
      ["a token without a tenant", async () => sign(h.config.authJwtSecret, { role: "admin" })],
      ["an unsigned token", async () => `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"m","tenant":"acme","role":"admin"}').toString("base64url")}.`],
    ])("%s gets UNAUTHENTICATED with HTTP 401", async (_name, make) => {
      const r = await h.gql(await make(), Card);
      expect(r.status).toBe(401);
      expect(codeOf(r)).toBe("UNAUTHENTICATED");
      expect(r.body.data).toBeUndefined();
    });

    it("a valid token with role admin reads the card", async () => {
      const r = await h.gql<{ integration: { keyFingerprint: string } }>(admin, Card);
      expect(r.status).toBe(200);
      expect(r.body.data?.integration.keyFingerprint).toBe(acmeKey.token.slice(-4));
    });
  });

  describe.each(["member", "service"] as const)("a %s", (role) => {
    it("reads the card and uses github", async () => {
      const t = await h.token("acme", role);
      expect((await h.gql<{ integrations: unknown[] }>(t, Cards)).body.data?.integrations).toHaveLength(1);
      expect((await h.gql<{ github: { viewer: { login: string } } }>(t, Viewer)).body.data?.github.viewer.login).toBe("acme-bot");
    });

    it("cannot change the integration or read its events: FORBIDDEN", async () => {
      const t = await h.token("acme", role);
      for (const [op, vars] of [[Connect, { token: otherKey.token }], [Renew, { token: otherKey.token }], [Toggle, { active: false }], [Disconnect, {}], [Events, {}]] as const) {
        const r = await h.gql(t, op, vars);
        expect(codeOf(r)).toBe("FORBIDDEN");
      }
      const card = await h.gql<{ integration: { status: string; keyFingerprint: string } }>(admin, Card);
      expect(card.body.data?.integration).toMatchObject({ status: "ACTIVE", keyFingerprint: acmeKey.token.slice(-4) });
      expect(h.emulator.requests.some((r) => r.token === otherKey.token)).toBe(false);
    });
  });

  describe("another tenant", () => {
    it("never sees or uses this tenant's integration", async () => {
      const globex = await h.token("globex", "admin", "gina");
      expect((await h.gql<{ integration: null }>(globex, Card)).body.data?.integration).toBeNull();
      expect((await h.gql<{ integrations: unknown[] }>(globex, Cards)).body.data?.integrations).toEqual([]);
      expect((await h.gql<{ integrationEvents: { nodes: unknown[] } }>(globex, Events)).body.data?.integrationEvents.nodes).toEqual([]);
      const before = h.emulator.requests.filter((r) => r.token === acmeKey.token).length;
      expect(codeOf(await h.gql(globex, Viewer))).toBe("INTEGRATION_NOT_CONNECTED");
      for (const [op, vars] of [[Renew, { token: otherKey.token }], [Toggle, { active: false }], [Disconnect, {}]] as const) {
        expect(codeOf(await h.gql(globex, op, vars))).toBe("INTEGRATION_NOT_CONNECTED");
      }
      expect(h.emulator.requests.filter((r) => r.token === acmeKey.token).length).toBe(before);
    });

    it("connects its own key beside it, and each uses its own", async () => {
      const globex = await h.token("globex", "admin", "gina");
      expect((await h.gql(globex, Connect, { token: otherKey.token })).body.errors).toBeUndefined();
      const g = await h.gql<{ github: { viewer: { login: string } } }>(globex, Viewer);
      const a = await h.gql<{ github: { viewer: { login: string } } }>(admin, Viewer);
      expect([g.body.data?.github.viewer.login, a.body.data?.github.viewer.login]).toEqual(["globex-bot", "acme-bot"]);
      expect((await h.gql<{ integrationEvents: { nodes: { actor: string }[] } }>(admin, Events)).body.data?.integrationEvents.nodes.map((e) => e.actor)).toEqual(["alice"]);
    });
  });

  describe("event pagination", () => {
    it("pages newest first with opaque cursors and refuses a forged cursor", async () => {
      for (const active of [false, true, false, true]) expect((await h.gql(admin, Toggle, { active })).body.errors).toBeUndefined();
      type Page = { integrationEvents: { nodes: { id: string; action: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
      const p1 = (await h.gql<Page>(admin, Events, { first: 2 })).body.data!.integrationEvents;
      expect(p1.nodes.map((n) => n.action)).toEqual(["ACTIVATED", "DEACTIVATED"]);
      expect(p1.pageInfo.hasNextPage).toBe(true);
      const p2 = (await h.gql<Page>(admin, Events, { first: 2, after: p1.pageInfo.endCursor })).body.data!.integrationEvents;
      const p3 = (await h.gql<Page>(admin, Events, { first: 2, after: p2.pageInfo.endCursor })).body.data!.integrationEvents;
      expect([...p1.nodes, ...p2.nodes, ...p3.nodes].map((n) => n.action)).toEqual(["ACTIVATED", "DEACTIVATED", "ACTIVATED", "DEACTIVATED", "CONNECTED"]);
      expect(p3.pageInfo.hasNextPage).toBe(false);
      expect(codeOf(await h.gql(admin, Events, { after: "bm90LWEtY3Vyc29y" }))).toBe("BAD_USER_INPUT");
      expect(codeOf(await h.gql(admin, Events, { first: 101 }))).toBe("BAD_USER_INPUT");
    });
  });

  describe("malformed requests", () => {
    it("a body that is not JSON, or too large, gets a JSON error with a code and no stack trace", async () => {
      const post = (body: string) =>
        fetch(`${h.gateway.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${admin}` }, body });
      const bad = await post(`{"query": "{ integration { id } }",}`);
      expect(bad.status).toBe(400);
      const badBody = await bad.text();
      expect(JSON.parse(badBody)).toEqual({ errors: [{ message: "The request body is not valid JSON.", extensions: { code: "BAD_USER_INPUT" } }] });
      const big = await post(JSON.stringify({ query: `{ integration { id } }`, variables: { pad: "x".repeat(200_000) } }));
      expect(big.status).toBe(413);
      expect(((await big.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe("BAD_USER_INPUT");
      expect(badBody).not.toMatch(/node_modules|at /);
    });
  });

  describe("probes", () => {
    it("/healthz says alive and /readyz checks the database", async () => {
      expect(await (await fetch(`${h.gateway.url}/healthz`)).json()).toEqual({ status: "ok" });
      const ready = await fetch(`${h.gateway.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
    });
  });
});
