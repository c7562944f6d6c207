import "reflect-metadata";
import { join } from "node:path";
import { signCallerToken } from "../src/auth/caller-token";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logger";
import { startGateway } from "../src/server";
import { startGitHubEmulator, type EmulatorStore } from "./github-emulator";

/** Sample data for the assistant's requests (merged PRs, open bugs, review status, threads). */
function seed(store: EmulatorStore): void {
  const repo = { owner: "acme", repo: "webshop" };
  store.addRepository({ owner: "acme", name: "webshop", description: "The demo shop" });
  store.addLabel({ ...repo, name: "bug", color: "d73a4a" });
  store.addLabel({ ...repo, name: "enhancement", color: "a2eeef" });
  const login = store.addIssue({ ...repo, title: "Login fails with a + in the e-mail address", body: "Steps: sign up as a+b@example.com, log in.", author: "mona", labels: ["bug"] });
  store.addComment({ ...repo, number: login.number, body: "Reproduced on staging.", author: "hubot" });
  store.addIssue({ ...repo, title: "Dark mode for the checkout", author: "mona", labels: ["enhancement"] });
  store.addPullRequest({ ...repo, title: "Escape + in login e-mails", author: "hubot", mergedAt: new Date(), reviewDecision: "APPROVED", checkState: "SUCCESS" });
  store.addPullRequest({ ...repo, title: "Checkout dark mode", author: "mona", reviewDecision: "REVIEW_REQUIRED", checkState: "PENDING" });
}

/**
 * `npm run demo`: a local GitHub emulator with sample data and the gateway pointed at it, on the
 * embedded database under DATA_DIR (default ./.data/demo). Prints what to paste.
 */
async function main(): Promise<void> {
  const fineGrained = { token: `github_pat_11DEMO0000000000000000_${"d".repeat(55)}demo`, login: "acme-bot", type: "fine_grained" as const, expiresAt: new Date(Date.now() + 90 * 86400_000) };
  const classic = { token: `ghp_${"c".repeat(32)}demo`, login: "acme-bot", type: "classic" as const, scopes: ["repo", "read:org"] };
  const emulator = await startGitHubEmulator({ keys: [fineGrained, classic], latencyMs: Number(process.env.EMULATOR_LATENCY_MS ?? 30) });
  seed(emulator.store);
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR ?? join(process.cwd(), ".data/demo"), GITHUB_API_URL: emulator.url });
  const gateway = await startGateway(config, createLogger(process.env.LOG_LEVEL ?? "warn"));
  const admin = await signCallerToken({ tenant: "acme", role: "admin", sub: "demo-admin" }, config.authJwtSecret);
  const member = await signCallerToken({ tenant: "acme", role: "member", sub: "demo-member" }, config.authJwtSecret);
  process.stdout.write(
    [
      `Gateway:          ${gateway.url}/graphql   (GitHub emulator at ${emulator.url})`,
      `Admin token:      ${admin}`,
      `Member token:     ${member}`,
      `Sample GitHub keys the emulator accepts (fake, for this demo only):`,
      `  fine-grained:   ${fineGrained.token}`,
      `  classic (repo): ${classic.token}`,
      "",
      "Try:",
      `  curl -s ${gateway.url}/graphql -H 'content-type: application/json' -H "authorization: Bearer ${admin}" \\`,
      `    -d '{"query":"mutation($t:String!){connectIntegration(input:{token:$t}){status keyFingerprint registeredAt accountLogin}}","variables":{"t":"${fineGrained.token}"}}'`,
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
