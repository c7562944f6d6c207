import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { signCallerToken } from "../src/auth/caller-token";
import { loadConfig } from "../src/config";
import { readOrCreateDevSecret } from "../src/config/dev-secrets";
import { ConfigError } from "../src/config";
import { createLogger } from "../src/logger";
import { startGateway } from "../src/server";
import { IntegrationProvider } from "../entities/integration-enums";
import { startGitHubEmulator } from "../github-emulator";
import { SAMPLE, seedSampleData } from "../github-emulator/sample-data";

const DAY = 86_400_000;

/**
 * The demo's fake keys, each ending in its own four characters, so that the card's fingerprint shows which
 * one is in use: acme's (connected at start), and the two the README's worked example connects and renews
 * to in workspace globex, whose fingerprints 1234 and 5678 are the ones the README shows.
 */
const KEYS = {
  // As the product guide has an admin create it: resource owner acme, its four permissions (no Members, so a
  // requested team shows as "not visible to this key"), all of acme's repositories.
  acme: {
    token: `github_pat_11DEMO0000000000000000_${"d".repeat(55)}ac01`, login: "mona", type: "fine_grained" as const, resourceOwner: "acme",
    permissions: { issues: "write", pull_requests: "write", contents: "read", metadata: "read" } as const, expiresAt: new Date(Date.now() + 90 * DAY),
  },
  walkthrough: { token: `ghp_${"c".repeat(32)}1234`, login: "globex-bot", type: "classic" as const, scopes: ["repo"] },
  renewed: {
    token: `github_pat_11DEMO0000000000000001_${"n".repeat(55)}5678`, login: "globex-bot", type: "fine_grained" as const, resourceOwner: "globex-bot",
    permissions: { issues: "write", pull_requests: "write", contents: "read", metadata: "read" } as const, expiresAt: new Date(Date.now() + 60 * DAY),
  },
};

/**
 * `npm run demo`: a local GitHub emulator with sample data and the gateway pointed at it, with workspace
 * `acme` connected and workspace `globex` left for the README's worked example. The database is a fresh
 * embedded one per run (removed on Ctrl-C), so the walkthrough starts the same every time. Caller tokens
 * are signed with the secret `npm start` and `npm run token` use (AUTH_JWT_SECRET, else the one generated
 * into DATA_DIR, ./.data by default), so a token minted by `npm run token` works here as printed.
 */
async function main(): Promise<void> {
  const secretsDir = resolve(process.env.DATA_DIR ?? "./.data");
  const authJwtSecret = process.env.AUTH_JWT_SECRET ?? readOrCreateDevSecret(secretsDir, "auth-jwt-secret").value;
  const emulator = await startGitHubEmulator({ keys: Object.values(KEYS), latencyMs: Number(process.env.EMULATOR_LATENCY_MS ?? 30) });
  seedSampleData(emulator.store);
  const databaseDir = mkdtempSync(join(tmpdir(), "cg-demo-"));
  const removeDatabase = () => rmSync(databaseDir, { recursive: true, force: true });
  const config = loadConfig({ ...process.env, DATA_DIR: databaseDir, DATABASE_URL: "", AUTH_JWT_SECRET: authJwtSecret, GITHUB_API_URL: emulator.url });
  const gateway = await startGateway(config, createLogger(process.env.LOG_LEVEL ?? "warn")).catch(async (e: unknown) => {
    await emulator.close();
    removeDatabase();
    throw e;
  });
  const token = (tenant: string, role: "admin" | "member" | "service", sub: string) => signCallerToken({ tenant, role, sub }, authJwtSecret);
  await gateway.services.integrations.connect({ tenant: "acme", role: "admin", sub: "demo-admin" }, IntegrationProvider.GITHUB, KEYS.acme.token);
  const secretFrom = process.env.AUTH_JWT_SECRET ? "AUTH_JWT_SECRET" : `${relative(process.cwd(), join(secretsDir, "auth-jwt-secret")) || join(secretsDir, "auth-jwt-secret")}`;
  const pr = SAMPLE.pullRequests.reviewRequired;
  process.stdout.write(
    [
      `Gateway:      ${gateway.url}/graphql   (GitHub emulator with sample data at ${emulator.url})`,
      `Explorer:     ${gateway.url}/explorer   (paste a token, pick one of the assistant's requests, Send)`,
      `Admin page:   ${gateway.url}/admin   (sign in with the admin or the member token below)`,
      "",
      `Workspace acme is connected (a fine-grained key ending ac01). Its tokens, valid 12 hours:`,
      `  admin:   ${await token("acme", "admin", "demo-admin")}`,
      `  member:  ${await token("acme", "member", "demo-member")}`,
      `  service: ${await token("acme", "service", "demo-assistant")}`,
      "",
      `The assistant's six requests (README, "The assistant's requests"), e.g. "review status of PR #${pr}":`,
      `  export GATEWAY=${gateway.url}`,
      `  npm run op -- PullRequestReviewStatus '{"owner": "acme", "repo": "webshop", "number": ${pr}}'`,
      `  npm run op            # lists all six and their variables`,
      "",
      `README "A worked example with curl": workspace globex is not connected yet. Paste these, then the README's blocks in order:`,
      `  export GATEWAY=${gateway.url}`,
      `  ADMIN=$(npm run token -- --tenant globex --role admin --sub alice)`,
      `  KEY=${KEYS.walkthrough.token}`,
      `  NEW_KEY=${KEYS.renewed.token}`,
      "",
      `Caller tokens are signed with ${secretFrom}, as npm start and npm run token sign them. The keys are fake: only this emulator accepts them.`,
      "Ctrl-C stops the gateway and the emulator and deletes the demo's database.",
      "",
    ].join("\n"),
  );
  const stop = async () => {
    await gateway.stop();
    await emulator.close();
    removeDatabase();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((e: unknown) => {
  const lines = e instanceof ConfigError ? e.problems : [e instanceof Error ? e.message : String(e)];
  process.stderr.write(lines.map((line) => `demo failed to start: ${line}\n`).join(""));
  process.exit(1);
});
