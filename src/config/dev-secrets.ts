import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Outside production a missing secret is generated once into DATA_DIR (mode 0600) so that
 * `npm start` works on a fresh machine, and the same secret is read back on the next start and by
 * `npm run token`.
 */
export function readOrCreateDevSecret(dataDir: string, name: "auth-jwt-secret" | "credential-keys"): { value: string; created: boolean } {
  const file = join(dataDir, name);
  if (existsSync(file)) return { value: readFileSync(file, "utf8").trim(), created: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const value = name === "auth-jwt-secret" ? randomBytes(48).toString("base64url") : `dev1:${randomBytes(32).toString("base64")}`;
  // `wx` refuses to overwrite a file another process created meanwhile; then read theirs.
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return { value: readFileSync(file, "utf8").trim(), created: false };
    throw e;
  }
  chmodSync(file, 0o600);
  return { value, created: true };
}
