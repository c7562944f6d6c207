import { SignJWT } from "jose";
import { CallerTokenVerifier, signCallerToken } from "../../src/auth/caller-token";

// The doors' caller token check keeps tokens it verified, by digest, until their exp: tested as an attacker
// would try it (expired after being kept, forged, tampered, a flood of distinct tokens).

const SECRET = "s".repeat(32);
const principal = { sub: "bot", tenant: "acme", role: "service" as const };
const tokenLiving = (seconds: number, sub = "bot") =>
  new SignJWT({ tenant: "acme", role: "service" }).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setIssuedAt().setExpirationTime(Math.floor(Date.now() / 1000) + seconds).sign(new TextEncoder().encode(SECRET));

describe("CallerTokenVerifier", () => {
  it("verifies a token once and recognises it after, with the same principal", async () => {
    const verifier = new CallerTokenVerifier(SECRET);
    const token = await signCallerToken(principal, SECRET);
    expect(await verifier.verify(token)).toEqual(principal);
    expect(await verifier.verify(token)).toEqual(principal);
    expect(verifier.size).toBe(1);
  });

  it("never recognises a kept token at or after its exp", async () => {
    const verifier = new CallerTokenVerifier(SECRET);
    const token = await tokenLiving(2);
    await verifier.verify(token);
    // Only the clock moves (jose reads it through new Date(), the cache through Date.now()).
    jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "setTimeout", "setInterval", "queueMicrotask"] });
    try {
      jest.setSystemTime(Date.now() + 3_000);
      await expect(verifier.verify(token)).rejects.toThrow(/expired/);
      expect(verifier.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it("keeps nothing forged, tampered or malformed, and a kept token's digest admits no neighbour", async () => {
    const verifier = new CallerTokenVerifier(SECRET);
    const good = await signCallerToken(principal, SECRET);
    await verifier.verify(good);
    const forged = await signCallerToken({ ...principal, role: "admin" }, "x".repeat(32));
    const tampered = good.slice(0, -2) + (good.endsWith("AA") ? "BB" : "AA");
    for (const bad of [forged, tampered, "not-a-jwt", `${good}.`]) await expect(verifier.verify(bad)).rejects.toThrow(/not valid/);
    expect(verifier.size).toBe(1);
  });

  it("holds at most its bound under a flood of distinct valid tokens, and still verifies an evicted one", async () => {
    const verifier = new CallerTokenVerifier(SECRET, { maxEntries: 50 });
    const first = await tokenLiving(600, "bot-0");
    await verifier.verify(first);
    for (let i = 1; i <= 500; i++) await verifier.verify(await tokenLiving(600, `bot-${i}`));
    expect(verifier.size).toBe(50);
    expect(await verifier.verify(first)).toMatchObject({ sub: "bot-0" });
  });

  it("applies every rule of an uncached check: a token living past CALLER_TOKEN_MAX_TTL is refused, and not kept", async () => {
    const verifier = new CallerTokenVerifier(SECRET, { maxTtlSeconds: 60 });
    await expect(verifier.verify(await tokenLiving(3_600))).rejects.toThrow(/lives longer than the 60-second maximum/);
    expect(verifier.size).toBe(0);
  });
});
