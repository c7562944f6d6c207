import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callerToken, flood, watched, withBystander, type Bystander, type FloodResult } from "./attack-load";
import { commandLine, exitWith, OUT_FLAG, parseCli, resultsDir, shown, UsageError, type CliSpec } from "./cli";
import { benchConfig, benchSettingsHelp, FULL, whereSettings } from "./config";
import { createBenchDatabase, type BenchDatabase } from "./database";
import { startEmulator, type BenchEmulator } from "./emulator";
import { startBenchGateway, type BenchGateway } from "./gateway";
import { connectKey } from "./gateway-client";
import { assertPortFree, sleep } from "./processes";
import { BENCH } from "../github-emulator/bench-data";
import { BOT_LOGIN, classicKey, credentialKeys, jwtSecret, RATE_LIMIT_PER_HOUR } from "./world";

// `npm run attack`: the floods SECURITY.md describes (document cache, padded documents, cost bypasses,
// amplification, refused requests), replayed by a caller holding an ordinary caller token against a
// gateway configured as in production (NODE_ENV=production, the default limits and budget) on PostgreSQL,
// with the GitHub emulator upstream. Local only and bounded: every case has a fixed size or duration
// (ATTACK_DOCUMENTS, ATTACK_SECONDS). It prints, per attack, what got through: upstream requests, gateway
// CPU seconds, resident memory, and another workspace's latency while it ran. Figures go to SECURITY.md.

const log = (line: string) => process.stdout.write(`[attack ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const DEFAULTS = { ATTACK_DOCUMENTS: 8_000, ATTACK_SECONDS: 20 };
type AttackSetting = keyof typeof DEFAULTS;
const int = (name: AttackSetting) => {
  const text = process.env[name];
  if (text === undefined || text.trim() === "") return DEFAULTS[name];
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name} must be a positive integer, got "${text}"`);
  return value;
};

const CLI: CliSpec = {
  name: "attack",
  command: "npm run attack",
  script: "node dist/bench/attack.js",
  about: [
    "Replays the floods of SECURITY.md (document-cache flood, padded and over-long documents, cost bypasses, amplification,",
    "refused-request flood) as a caller with an ordinary token against a gateway configured as in production",
    "(NODE_ENV=production, the default limits and budget) on PostgreSQL, with the GitHub emulator (30 ms) upstream.",
    "Prints per attack what got through: upstream requests, gateway CPU, RSS, another workspace's p50. Local and",
    "bounded; reports figures (for SECURITY.md), it judges no target.",
    "",
    "Takes about 1.5 minutes on 2 cores (plus the build under npm run attack).",
  ],
  flags: [OUT_FLAG],
  settingGroups: [
    {
      title: "Settings that change what is run (environment; any value other than the default makes a trial)",
      settings: [
        { name: "ATTACK_DOCUMENTS", default: String(DEFAULTS.ATTACK_DOCUMENTS), meaning: "distinct padded documents of the document-cache flood (smaller may not reach the cache's bound)" },
        { name: "ATTACK_SECONDS", default: String(DEFAULTS.ATTACK_SECONDS), meaning: "seconds of the refused-request flood" },
        ...benchSettingsHelp(["BENCH_GATEWAY_LOG_LEVEL"]),
      ],
    },
    { title: "Settings that say where (never make a trial)", settings: whereSettings() },
  ],
  results: [
    "With the default settings: bench/results/attack-latest.json and attack-latest.md, the committed figures",
    "  SECURITY.md quotes.",
    "Any other run (a trial): bench/results/trial/attack-latest.json and .md (ignored by git).",
    "--out DIR: DIR/attack-latest.json and .md. The path and the table are printed at the end.",
    "Exit code: 0 when the run completes; 1 when it fails; 2 for an unknown flag, a bad setting or a pinned port in use.",
  ],
};
const CONNECTIONS = 16;
const BYSTANDER_QUERY = "{ integration { status keyFingerprint lastUsedAt } }";
const LONG_THREAD = `{ owner: "${BENCH.owner}", repo: "${BENCH.longThread.repo}", number: ${BENCH.longThread.number} }`;

/** A document just under QUERY_MAX_CHARS (32,000), nearly all one-character comments: the most tokens a parsed document can hold. */
const paddedDocument = (i: number) => `query Flood${i} { integration { id } }\n${"#\n".repeat(15_900)}`;

interface AttackReport {
  name: string;
  promise: string;
  sent: number;
  answers: Record<string, number>;
  upstreamRequests: number;
  cpuSeconds: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssAfterMiB: number;
  bystander?: Bystander;
}

interface World {
  /** ATTACK_DOCUMENTS, ATTACK_SECONDS. */
  documents: number;
  seconds: number;
  gateway: BenchGateway;
  emulator: BenchEmulator;
  secret: string;
  key: string;
  bystanderToken: string;
}

let workspaces = 0;

/** A workspace of the attacker's with the key connected and its whole budget: each attack meets the gateway's defences afresh. */
async function attackerWorkspace(w: World): Promise<string> {
  const tenant = `attacker-${++workspaces}`;
  await connectKey(w.gateway.url, await callerToken(w.secret, tenant, "admin"), w.key);
  return callerToken(w.secret, tenant, "service");
}

/** Runs one attack with the gateway watched, the emulator's record reset, and the bystander timed. */
async function attack(w: World, name: string, promise: string, run: (attacker: string) => Promise<{ sent: number; answers: Record<string, number> }>): Promise<AttackReport> {
  log(`${name}...`);
  const attacker = await attackerWorkspace(w);
  await w.emulator.resetRequests();
  // The bystander reads its integration card: the gateway and its database, nothing upstream, so every
  // upstream request in the window is the attacker's.
  const { value, bystander } = await withBystander(w.gateway.url, w.bystanderToken, BYSTANDER_QUERY, () => watched(w.gateway.pid, () => run(attacker)));
  const upstream = await w.emulator.window();
  const report: AttackReport = {
    name,
    promise,
    sent: value.value.sent,
    answers: value.value.answers,
    upstreamRequests: upstream.requests,
    cpuSeconds: value.cpuSeconds,
    rssBeforeMiB: value.rssBeforeMiB,
    rssPeakMiB: value.rssPeakMiB,
    rssAfterMiB: value.rssAfterMiB,
    bystander,
  };
  log(`${name}: ${JSON.stringify(report)}`);
  return report;
}

/** Sends `count` requests one after another, tallying the answers by error code (or "data"). */
async function sequential(url: string, token: string, count: number, body: () => string): Promise<{ sent: number; answers: Record<string, number> }> {
  const answers: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: body() });
    const answer = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    const code = `${response.status} ${answer.errors?.[0]?.extensions?.code ?? "data"}`;
    answers[code] = (answers[code] ?? 0) + 1;
  }
  return { sent: count, answers };
}

const floodAnswers = (r: FloodResult) => ({ sent: r.requests, answers: { ...r.byStatus, ...(r.errors ? { connectionErrors: r.errors } : {}) } });

async function attacks(w: World): Promise<AttackReport[]> {
  const reports: AttackReport[] = [];
  const url = w.gateway.url;
  const { documents: DOCUMENTS, seconds: SECONDS } = w;
  /** A padded document costs 16 budget units (src/limits/admission.ts): enough workspaces that the budget never stops the cache flood, which must meet the cache's own bound. */
  const FLOOD_WORKSPACES = Math.ceil(DOCUMENTS / 150);
  const floodTokens = await Promise.all(Array.from({ length: FLOOD_WORKSPACES }, (_, i) => callerToken(w.secret, `flood-${i}`, "service")));

  reports.push(
    await attack(w, "baseline (no attack)", "the bystander's latency with nothing else running", async () => {
      await sleep(5000);
      return { sent: 0, answers: {} };
    }),
  );
  reports.push(
    await attack(w, "document-cache flood", "1. memory is bounded by what the parsed-document cache really holds", async () =>
      floodAnswers(await flood({ url, connections: CONNECTIONS, amount: DOCUMENTS, request: (i) => ({ token: floodTokens[i % FLOOD_WORKSPACES], body: JSON.stringify({ query: paddedDocument(i) }) }) })),
    ),
  );
  reports.push(
    await attack(w, "one workspace's padded flood", "1, 9. a workspace pays for its text before it is parsed: past its budget, 429 unparsed", async (attacker) =>
      floodAnswers(await flood({ url, connections: CONNECTIONS, amount: 3_000, request: (i) => ({ token: attacker, body: JSON.stringify({ query: paddedDocument(DOCUMENTS + i) }) }) })),
    ),
  );
  reports.push(
    await attack(w, "over-long documents", "1. a document over QUERY_MAX_CHARS is refused before it is parsed", async (attacker) =>
      floodAnswers(await flood({ url, connections: CONNECTIONS, amount: 2_000, request: (i) => ({ token: attacker, body: JSON.stringify({ query: `${paddedDocument(i)}${"#".repeat(2_000)}` }) }) })),
    ),
  );
  const threads = (n: number) => Array.from({ length: n }, (_, i) => `t${i}: issueThreads(refs: [${LONG_THREAD}], maxComments: 2000) { title }`).join(" ");
  reports.push(
    await attack(w, "cost bypass: null for a defaulted variable (x20, nominal cost 484)", "2. a request whose cost cannot be computed is refused, never run", (attacker) =>
      sequential(url, attacker, 20, () =>
        JSON.stringify({ query: `query($o: String = "${BENCH.owner}") { github { issue(owner: $o, repo: "r0", number: 1) { number } ${threads(23)} } }`, variables: { o: null } }),
      ),
    ),
  );
  const spreads = (name: string) => Array.from({ length: 100 }, () => `...${name}`).join(" ");
  reports.push(
    await attack(w, "cost bypass: 10,000 counted nodes (x20)", "2. a request whose cost cannot be computed is refused, never run", (attacker) =>
      sequential(url, attacker, 20, () => JSON.stringify({ query: `{ github { ${spreads("A")} } } fragment A on GitHub { ${spreads("B")} } fragment B on GitHub { viewer { login } }` })),
    ),
  );
  reports.push(
    await attack(w, "amplification: 100 aliases of issueThreads at 2,000 comments (x5, nominal cost 2,100)", "2. refused by cost before anything runs", (attacker) =>
      sequential(url, attacker, 5, () => JSON.stringify({ query: `{ github { ${threads(100)} } }` })),
    ),
  );
  // Short names, so that both lists fit the gateway's 100 kB body limit.
  const names = (prefix: string) => Array.from({ length: 6000 }, (_, i) => `${prefix}${i.toString(36)}`);
  reports.push(
    await attack(w, "amplification: createGitHubIssue with 6,000 labels and 6,000 assignees (x5)", "5. labels and assignees within GitHub's bounds, priced", (attacker) =>
      sequential(url, attacker, 5, () =>
        JSON.stringify({
          query: `mutation($l: [String!], $a: [String!]) { createGitHubIssue(input: { owner: "${BENCH.owner}", repo: "r0", title: "x", labels: $l, assignees: $a }) { number } }`,
          variables: { l: names("l"), a: names("u") },
        }),
      ),
    ),
  );
  reports.push(
    await attack(w, `refused-request flood (${SECONDS} s of documents failing validation)`, "9. refused requests cost their sender; other workspaces keep their latency", async (attacker) =>
      floodAnswers(await flood({ url, connections: CONNECTIONS, seconds: SECONDS, request: (i) => ({ token: attacker, body: JSON.stringify({ query: `{ github { notAField${i} } }` }) }) })),
    ),
  );
  return reports;
}

function markdown(reports: AttackReport[]): string {
  const rows = reports.map((r) =>
    [
      r.name,
      r.sent,
      Object.entries(r.answers).map(([k, v]) => `${k}: ${v}`).join(", ") || "-",
      r.upstreamRequests,
      r.cpuSeconds,
      `${r.rssBeforeMiB} / ${r.rssPeakMiB} / ${r.rssAfterMiB}`,
      r.bystander ? `${r.bystander.p50Ms} (in the gateway ${r.bystander.gatewayP50Ms}; ${r.bystander.requests} requests, ${r.bystander.failed} failed)` : "-",
    ].join(" | "),
  );
  return [
    "| attack | sent | answers | upstream requests | gateway CPU s | RSS MiB before / peak / after | other workspace p50 ms |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((row) => `| ${row} |`),
  ].join("\n");
}

async function main(): Promise<void> {
  const flags = parseCli(CLI);
  const started = Date.now();
  const documents = int("ATTACK_DOCUMENTS");
  const seconds = int("ATTACK_SECONDS");
  const bench = benchConfig();
  const overrides = [
    ...(documents !== DEFAULTS.ATTACK_DOCUMENTS ? [`ATTACK_DOCUMENTS=${documents}`] : []),
    ...(seconds !== DEFAULTS.ATTACK_SECONDS ? [`ATTACK_SECONDS=${seconds}`] : []),
    ...(bench.gatewayLogLevel !== FULL.gatewayLogLevel ? [`BENCH_GATEWAY_LOG_LEVEL=${bench.gatewayLogLevel}`] : []),
  ];
  const trial = overrides.length > 0;
  const outDir = resultsDir(flags.get("--out"), trial);
  await assertPortFree(bench.gatewayPort, "BENCH_GATEWAY_PORT");
  await assertPortFree(bench.emulatorPort, "BENCH_EMULATOR_PORT");
  if (trial) log(`a trial run (${overrides.join(" ")}): results go to ${shown(outDir)}, not the committed bench/results`);
  let database: BenchDatabase | undefined;
  let emulator: BenchEmulator | undefined;
  let gateway: BenchGateway | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "cg-attack-"));
  const cleanUp = async () => {
    await gateway?.stop().catch(() => undefined);
    await emulator?.stop().catch(() => undefined);
    await database?.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanUp().finally(() => process.exit(130)));
  try {
    const key = classicKey();
    const secret = jwtSecret();
    database = await createBenchDatabase(bench.postgresAdminUrl);
    emulator = await startEmulator({ latencyMs: 30, key, login: BOT_LOGIN, rateLimitPerHour: RATE_LIMIT_PER_HOUR, port: bench.emulatorPort });
    // Production as shipped: only the budget the bench lifts is put back to its default.
    gateway = await startBenchGateway(
      "gateway",
      { databaseUrl: database.url, githubApiUrl: emulator.url, jwtSecret: secret, credentialKeys: credentialKeys(), dataDir, logLevel: bench.gatewayLogLevel },
      { TENANT_RATE_LIMIT_PER_MINUTE: "3000" },
      bench.gatewayPort,
    );
    log(`emulator ${emulator.url}; gateway ${gateway.url.replace(/\/graphql$/, "")} (pid ${gateway.pid}; /metrics there)`);
    await connectKey(gateway.url, await callerToken(secret, "bystander", "admin"), key);
    const world: World = { documents, seconds, gateway, emulator, secret, key, bystanderToken: await callerToken(secret, "bystander", "admin") };
    const reports = await attacks(world);
    const command = commandLine("npm run attack", [...Object.keys(DEFAULTS), "BENCH_GATEWAY_LOG_LEVEL"]);
    const results = { date: new Date().toISOString(), command, trial, overrides, runSeconds: Math.round((Date.now() - started) / 1000), documents, seconds, reports };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "attack-latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    const table = markdown(reports);
    writeFileSync(join(outDir, "attack-latest.md"), `${table}\n`);
    process.stdout.write(`\n${table}\n`);
    log(`wrote ${shown(join(outDir, "attack-latest.json"))} and attack-latest.md in ${results.runSeconds} s${trial ? " (a trial: the committed bench/results are untouched)" : ""}`);
  } finally {
    await cleanUp();
  }
}

main().catch((e: unknown) => exitWith("attack", e));
