import { SignJWT, jwtVerify } from "jose";
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

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  tenant: z.string().min(1).max(200),
  role: z.enum(roles),
});

const ALG = "HS256";
const keyOf = (secret: string) => new TextEncoder().encode(secret);

/** Verifies a Bearer JWT (HS256, `exp` honoured); any failure is UNAUTHENTICATED without saying which check failed. */
export async function verifyCallerToken(token: string, secret: string): Promise<Principal> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), { algorithms: [ALG] }));
  } catch (e) {
    const expired = (e as { code?: string }).code === "ERR_JWT_EXPIRED";
    throw unauthenticated(expired ? "The caller token has expired." : "The caller token is not valid.");
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw unauthenticated("The caller token lacks sub, tenant or a valid role.");
  return claims.data;
}

export async function signCallerToken(principal: Principal, secret: string, ttlSeconds = 12 * 3600): Promise<string> {
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
