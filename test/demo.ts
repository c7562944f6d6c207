import "reflect-metadata";
import { join } from "node:path";
import { signCallerToken } from "../src/auth/caller-token";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logger";
import { startGateway } from "../src/server";
import { IntegrationProvider } from "../src/integrations/integration-enums";
import { startGitHubEmulator } from "./github-emulator";
import { SAMPLE, seedSampleData } from "./github-emulator/sample-data";

/**
 * `npm run demo`: a local GitHub emulator with sample data and the gateway pointed at it, on the
 * embedded database under DATA_DIR (default ./.data/demo), with workspace `acme` connected to a demo
 * key. Prints the admin page's address, tokens, the keys and an example query.
 */
async function main(): Promise<void> {
  // As the product guide has an admin create it: resource owner acme, its four permissions (no Members, so a
  // requested team shows as "not visible to this key"), all of acme's repositories.
  const fineGrained = {
    token: `github_pat_11DEMO0000000000000000_${"d".repeat(55)}demo`, login: "mona", type: "fine_grained" as const, resourceOwner: "acme",
    permissions: { issues: "write", pull_requests: "write", contents: "read", metadata: "read" } as const, expiresAt: new Date(Date.now() + 90 * 86400_000),
  };
  const classic = { token: `ghp_${"c".repeat(32)}demo`, login: "mona", type: "classic" as const, scopes: ["repo", "read:org"] };
  const emulator = await startGitHubEmulator({ keys: [fineGrained, classic], latencyMs: Number(process.env.EMULATOR_LATENCY_MS ?? 30) });
  seedSampleData(emulator.store);
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR ?? join(process.cwd(), ".data/demo"), GITHUB_API_URL: emulator.url });
  const gateway = await startGateway(config, createLogger(process.env.LOG_LEVEL ?? "warn"));
  const admin = await signCallerToken({ tenant: "acme", role: "admin", sub: "demo-admin" }, config.authJwtSecret);
  const adminPrincipal = { tenant: "acme", role: "admin" as const, sub: "demo-admin" };
  if (!(await gateway.services.integrations.find("acme", IntegrationProvider.GITHUB))) {
    await gateway.services.integrations.connect(adminPrincipal, IntegrationProvider.GITHUB, fineGrained.token);
  }
  const member = await signCallerToken({ tenant: "acme", role: "member", sub: "demo-member" }, config.authJwtSecret);
  process.stdout.write(
    [
      `Gateway:          ${gateway.url}/graphql   (GitHub emulator at ${emulator.url})`,
      `Admin page:       ${gateway.url}/admin   (paste the admin or the member token below to sign in)`,
      `Admin token:      ${admin}`,
      `Member token:     ${member}`,
      `Sample GitHub keys the emulator accepts (fake, for this demo only):`,
      `  fine-grained:   ${fineGrained.token}`,
      `  classic (repo): ${classic.token}`,
      "",
      `Workspace acme is connected with the fine-grained key. Try "review status of PR #${SAMPLE.pullRequests.reviewRequired}":`,
      `  curl -s ${gateway.url}/graphql -H 'content-type: application/json' -H "authorization: Bearer ${admin}" \\`,
      `    -d '{"query":"{ integration { status keyFingerprint registeredAt } github { pullRequest(owner: \\"acme\\", repo: \\"webshop\\", number: ${SAMPLE.pullRequests.reviewRequired}) { title reviewStatus { summary } } } }"}'`,
      "",
      "Ctrl-C stops both.",
      "",
    ].join("\n"),
  );
  const stop = async () => {
    await gateway.stop();
    await emulator.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
