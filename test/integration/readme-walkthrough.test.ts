import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "../..");
const dist = join(root, "dist");

/** The shell blocks of one README section, in order. */
function sectionBlocks(readme: string, heading: string): string[] {
  const start = readme.indexOf(`## ${heading}`);
  const end = readme.indexOf("\n## ", start + 1);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  return [...readme.slice(start, end < 0 ? undefined : end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

/**
 * A README answer as a pattern: its timestamps stand for any timestamp, and its "..." for anything the
 * README left out; the rest must be what the gateway said, character for character.
 */
function answerPattern(shown: string): RegExp {
  const escaped = shown
    .split(ISO)
    .map((part) => part.split("...").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*"))
    .join(ISO.source);
  return new RegExp(`^${escaped}$`);
}

/**
 * The README's worked example, run as written against `npm run demo` as a newcomer would: start the demo,
 * paste the lines it prints, then each block of "A worked example with curl" in order; every answer must
 * be the one the README shows under its command. `npm run token` inside the blocks runs the compiled CLI
 * (what npm runs after its build, which `npm test` has done).
 */
describe("README: the worked example against npm run demo", () => {
  let demo: ChildProcess | undefined;
  let printed = "";
  const dataDir = mkdtempSync(join(tmpdir(), "cg-readme-"));

  beforeAll(async () => {
    if (!existsSync(join(dist, "demo/demo.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
    demo = spawn(process.execPath, [join(dist, "demo/demo.js")], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", PORT: "0", DATA_DIR: dataDir, EMULATOR_LATENCY_MS: "0", LOG_LEVEL: "warn" },
    });
    let errors = "";
    demo.stderr?.on("data", (d) => (errors += d));
    await new Promise<void>((resolve, reject) => {
      demo!.stdout?.on("data", (d) => {
        printed += d;
        if (printed.includes("Ctrl-C stops")) resolve();
      });
      demo!.on("exit", (code) => reject(new Error(`the demo exited (${code}): ${errors}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (demo && demo.exitCode === null) {
      const exited = new Promise((resolve) => demo!.on("exit", resolve));
      demo.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints the lines to paste, and then every command answers as the README shows", () => {
    const paste = /README "A worked example with curl".*\n((?: {2}.+\n)+)/.exec(printed)?.[1];
    expect(paste).toBeDefined();
    const lines = paste!.split("\n").filter(Boolean).map((l) => l.trim());
    expect(lines.map((l) => l.split("=")[0])).toEqual(["export GATEWAY", "ADMIN", "KEY", "NEW_KEY"]);
    // Different endings, so that renew shows a different fingerprint.
    expect(lines[2].slice(-4)).not.toBe(lines[3].slice(-4));

    const blocks = sectionBlocks(readFileSync(join(root, "README.md"), "utf8"), "A worked example with curl");
    const shown = blocks.flatMap((b) => b.split("\n").filter((l) => l.startsWith("# {")).map((l) => l.slice(2)));
    expect(shown.length).toBeGreaterThanOrEqual(8);
    const script = join(dataDir, "walkthrough.sh");
    writeFileSync(
      script,
      [
        "set -euo pipefail",
        // `npm run token` as npm runs it once built; anything else the README's blocks do really runs.
        `npm() { if [ "$1 $2" = "run token" ]; then shift 3; node ${JSON.stringify(join(dist, "src/cli/token.js"))} "$@"; else command npm "$@"; fi; }`,
        ...lines,
        ...blocks,
      ].join("\n"),
    );
    const run = spawnSync("bash", [script], { cwd: root, env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir }, encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    const answers = run.stdout.split("\n").filter(Boolean);
    expect(answers).toHaveLength(shown.length);
    answers.forEach((answer, i) => expect(answer).toMatch(answerPattern(shown[i])));
  }, 90_000);

  it("npm run op sends a named operation with a minted token to $GATEWAY, and lists them all without one", () => {
    const gateway = /export GATEWAY=(\S+)/.exec(printed)?.[1];
    expect(gateway).toBeDefined();
    const op = (...args: string[]) =>
      spawnSync(process.execPath, [join(dist, "src/cli/op.js"), ...args], { cwd: root, env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, GATEWAY: gateway }, encoding: "utf8" });
    const review = op("PullRequestReviewStatus", '{"owner": "acme", "repo": "webshop", "number": 43}');
    expect(review.status).toBe(0);
    expect(JSON.parse(review.stdout).data.github.pullRequest.reviewStatus.decision).toBe("CHANGES_REQUESTED");
    const list = op();
    expect(list.status).toBe(0);
    for (const name of ["MergedPullRequestsThisWeek", "OpenBugIssues", "CreateIssue", "PullRequestReviewStatus", "SearchCode", "IssueThreadContext"]) expect(list.stdout).toContain(name);
    const missing = op("PullRequestReviewStatus", '{"owner": "acme"}');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('PullRequestReviewStatus needs repo (String!), number (Int!), for example \'{"owner":"","repo":"","number":0}\'\n');
    const unconnected = op("OpenBugIssues", "--tenant", "nobody");
    expect(unconnected.status).toBe(1);
    expect(JSON.parse(unconnected.stdout).errors[0].extensions.code).toBe("INTEGRATION_NOT_CONNECTED");
    expect(unconnected.stderr).toContain("no GitHub key yet");
  });
});
