import { randomBytes } from "node:crypto";
import type { EmulatorKey } from "../../github-emulator";

const alnum = (n: number) => randomBytes(n * 2).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, n);

/** Typed seeds for GitHub keys: shaped like real ones, random each run, registered with the emulator. */
export function classicKey(login: string, extra: Partial<EmulatorKey> = {}): EmulatorKey {
  return { token: `ghp_${alnum(36)}`, login, type: "classic", scopes: ["repo", "read:org"], ...extra };
}

export function fineGrainedKey(login: string, extra: Partial<EmulatorKey> = {}): EmulatorKey {
  return { token: `github_pat_${alnum(22)}_${alnum(59)}`, login, type: "fine_grained", ...extra };
}
