import { createHash, webcrypto } from "node:crypto";
import { SignJWT, jwtVerify, type JWTPayload } from "jose";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { unauthenticated } from "../errors";

export const roles = ["admin", "member", "service"] as const;
export type Role = (typeof roles)[number];

/** Who is calling: the verified claims of the caller's JWT. */
export interface Principal {
  sub: string;
  tenant: string;
  role: Role;
}

/** CALLER_TOKEN_MAX_TTL's default: twice `npm run token`'s 12 hours, so the tokens it prints stay valid. */
export const DEFAULT_CALLER_TOKEN_MAX_TTL = 24 * 3600;
/** `npm run token`'s lifetime when no --ttl is given. */
export const DEFAULT_CALLER_TOKEN_TTL = 12 * 3600;
/** How far ahead of this clock an issuer's clock may run before its `iat` reads as forged. */
const CLOCK_SKEW_SECONDS = 60;

export interface CallerTokenOptions {
  /** The longest lifetime (exp - iat, or exp - now without iat) a token may claim; CALLER_TOKEN_MAX_TTL. */
  maxTtlSeconds?: number;
}

// sub and tenant become SQL parameters, log fields and audit actors. PostgreSQL refuses 0x00 in text
// (a NUL tenant was an INTERNAL_SERVER_ERROR); a lone surrogate is sent to Postgres as U+FFFD, so two
// different tenant claims would name one tenant; no issuer of ours puts control characters in a name.
// \p{Cs} under the u flag matches only unpaired halves: a well-formed emoji is fine.
const printable = (s: string) => !/[\p{Cc}\p{Cs}]/u.test(s);
const claimText = z.string().min(1).max(200);

const claimsSchema = z.object({
  sub: claimText,
  tenant: claimText,
  role: z.enum(roles),
});

const ALG = "HS256";
const keyOf = (secret: string) => new TextEncoder().encode(secret);

/**
 * Why a correctly signed token must still be refused, or undefined. A token the gateway's secret
 * signed can still be one a careless or compromised issuer made to live forever: jose honours `exp`
 * only when present and puts no bound on it, and trusts `iat` as given.
 */
function lifetimeProblem({ exp, iat }: JWTPayload, maxTtlSeconds: number, now: number): string | undefined {
  if (exp === undefined) return "The caller token has no expiry (exp); tokens must expire.";
  if (iat !== undefined && iat > now + CLOCK_SKEW_SECONDS) return "The caller token was issued in the future (iat); check the issuer's clock.";
  if (exp - (iat ?? now) > maxTtlSeconds) return `The caller token lives longer than the ${maxTtlSeconds}-second maximum (CALLER_TOKEN_MAX_TTL).`;
  return undefined;
}

/**
 * Verifies a Bearer JWT (HS256, `exp` required and bounded). Every failure is UNAUTHENTICATED; a
 * forged or unreadable token is told nothing more, a correctly signed one is told which rule it broke
 * (the issuer is ours to fix), and no message repeats the token or its claims.
 */
export async function verifyCallerToken(token: string, secret: string, options: CallerTokenOptions = {}): Promise<Principal> {
  return (await verified(token, keyOf(secret), options.maxTtlSeconds ?? DEFAULT_CALLER_TOKEN_MAX_TTL)).principal;
}

async function verified(token: string, key: Uint8Array | webcrypto.CryptoKey, maxTtlSeconds: number): Promise<{ principal: Principal; exp: number }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: [ALG] }));
  } catch (e) {
    const expired = (e as { code?: string }).code === "ERR_JWT_EXPIRED";
    throw unauthenticated(expired ? "The caller token has expired." : "The caller token is not valid.");
  }
  const problem = lifetimeProblem(payload, maxTtlSeconds, Math.floor(Date.now() / 1000));
  if (problem) throw unauthenticated(problem);
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw unauthenticated("The caller token lacks sub, tenant or a valid role.");
  if (!printable(claims.data.sub) || !printable(claims.data.tenant)) {
    throw unauthenticated("The caller token has malformed claims: sub and tenant must be printable text.");
  }
  // lifetimeProblem refused a token without exp.
  return { principal: claims.data, exp: payload.exp! };
}

/** Verified tokens an instance recognises at most (a few MiB). */
export const DEFAULT_CALLER_TOKEN_CACHE_ENTRIES = 10_000;

interface Recognised {
  principal: Principal;
  /** The token's exp, in ms: it is recognised strictly before, as jose accepts it. */
  expiresAt: number;
}

/**
 * The doors' caller token check: the secret made a key once, and a token already verified recognised by its
 * SHA-256 until its own `exp` and no later, so a request does not pay for an HMAC key import and a signature
 * check each time (98.8 us a check, 3.4 us once kept: bench/README.md). Only
 * tokens that passed every rule are kept, keyed by digest (a token's length is the caller's choice, a digest's
 * is not), at most `maxEntries`, least recently used first out: a flood of distinct valid tokens (which only
 * the secret's holder can make) costs at most that many entries of a few hundred bytes, and forged or expired
 * ones are never kept.
 */
export class CallerTokenVerifier {
  /** Imported once: jose given the secret's bytes imports a CryptoKey on every call. */
  private readonly key: Promise<webcrypto.CryptoKey>;
  private readonly maxTtlSeconds: number;
  private readonly recognised: LRUCache<string, Recognised>;

  constructor(secret: string, options: CallerTokenOptions & { maxEntries?: number } = {}) {
    this.key = webcrypto.subtle.importKey("raw", keyOf(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    this.maxTtlSeconds = options.maxTtlSeconds ?? DEFAULT_CALLER_TOKEN_MAX_TTL;
    this.recognised = new LRUCache({ max: Math.max(1, options.maxEntries ?? DEFAULT_CALLER_TOKEN_CACHE_ENTRIES) });
  }

  async verify(token: string): Promise<Principal> {
    const digest = createHash("sha256").update(token).digest("base64");
    const known = this.recognised.get(digest);
    if (known) {
      if (Date.now() < known.expiresAt) return known.principal;
      this.recognised.delete(digest);
    }
    const { principal, exp } = await verified(token, await this.key, this.maxTtlSeconds);
    // One object serves every request with this token: frozen, so none can change it for the others.
    const kept = Object.freeze(principal);
    this.recognised.set(digest, { principal: kept, expiresAt: exp * 1000 });
    return kept;
  }

  /** Tokens held (for tests and the memory bound). */
  get size(): number {
    return this.recognised.size;
  }
}

export async function signCallerToken(principal: Principal, secret: string, ttlSeconds = DEFAULT_CALLER_TOKEN_TTL): Promise<string> {
  return new SignJWT({ tenant: principal.tenant, role: principal.role })
    .setProtectedHeader({ alg: ALG, typ: "JWT" })
    .setSubject(principal.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(keyOf(secret));
}

/** The Bearer token of an Authorization header, or undefined. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1];
}
