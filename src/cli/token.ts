import { DEFAULT_CALLER_TOKEN_TTL, roles, signCallerToken, type Role } from "../auth/caller-token";
import { loadConfig } from "../config";
import { parseArgs, runCli } from "./args";

/** `npm run token -- --tenant T --role admin [--sub S] [--ttl SECONDS]`: a caller JWT alone on stdout. */
void runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ["tenant", "role", "sub", "ttl"]);
  if (!args.tenant) throw new Error("usage: npm run token -- --tenant T --role admin|member|service [--sub S] [--ttl SECONDS]");
  const role = (args.role ?? "admin") as Role;
  if (!roles.includes(role)) throw new Error(`--role must be one of ${roles.join(", ")}`);
  const config = loadConfig();
  const max = config.callerTokenMaxTtlSeconds;
  // The gateway refuses a token that claims to live longer than CALLER_TOKEN_MAX_TTL: printing one
  // would hand out a token that fails on first use. Without --ttl, shorten the default to fit.
  const ttl = args.ttl ? Number(args.ttl) : Math.min(DEFAULT_CALLER_TOKEN_TTL, max);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error("--ttl must be a positive number of seconds");
  if (ttl > max) throw new Error(`--ttl ${ttl} is longer than CALLER_TOKEN_MAX_TTL (${max} seconds); the gateway would refuse the token`);
  const token = await signCallerToken({ tenant: args.tenant, role, sub: args.sub ?? `${role}@${args.tenant}` }, config.authJwtSecret, ttl);
  // No secret was there yet: one was made now, so no running gateway signs with it. Say where it looked
  // (stderr: stdout stays the token alone), since a gateway on another DATA_DIR would refuse the token.
  if (config.generatedSecrets.includes("AUTH_JWT_SECRET")) {
    process.stderr.write(`npm run token: no AUTH_JWT_SECRET and no secret in ${config.dataDir}, so a new one was generated there; a gateway started with another DATA_DIR or AUTH_JWT_SECRET will refuse this token\n`);
  }
  process.stdout.write(`${token}\n`);
});
