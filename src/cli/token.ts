import { roles, signCallerToken, type Role } from "../auth/caller-token";
import { loadConfig } from "../config";
import { parseArgs, runCli } from "./args";

/** `npm run token -- --tenant T --role admin [--sub S] [--ttl SECONDS]`: a caller JWT alone on stdout. */
void runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ["tenant", "role", "sub", "ttl"]);
  if (!args.tenant) throw new Error("usage: npm run token -- --tenant T --role admin|member|service [--sub S] [--ttl SECONDS]");
  const role = (args.role ?? "admin") as Role;
  if (!roles.includes(role)) throw new Error(`--role must be one of ${roles.join(", ")}`);
  const ttl = args.ttl ? Number(args.ttl) : 12 * 3600;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error("--ttl must be a positive number of seconds");
  const config = loadConfig();
  const token = await signCallerToken({ tenant: args.tenant, role, sub: args.sub ?? `${role}@${args.tenant}` }, config.authJwtSecret, ttl);
  process.stdout.write(`${token}\n`);
});
