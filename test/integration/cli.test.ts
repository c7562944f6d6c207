import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { signCallerToken, verifyCallerToken } from "../../src/auth/caller-token";
import { startGitHubEmulator } from "../../github-emulator";
import { loadConfig } from "../../src/config";
import { classicKey } from "../support/keys";
import { startHarness } from "../support/harness";
import { Connect, Viewer } from "../support/operations";
import { createTestDatabase } from "../support/test-database";

const dist = join(__dirname, "../../dist/src");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a compiled entry point (npm test builds first) with only the variables given, plus PATH. */
function runNode(
  script: string,
  args: string[],
  env: Record<string, string>,
  until?: (out: string) => boolean,
): Promise<Run & { stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [join(dist, script), ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  let stdout = "";
  let stderr = "";
  return new Promise((resolve) => {
    const stop = () => (child.kill("SIGTERM"), exited);
    const done = (code: number | null) => resolve({ code, stdout, stderr, stop });
    child.stdout.on("data", (d) => {
      stdout += d;
      if (until?.(stdout)) done(null);
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => done(code));
  });
}

describe("the commands (compiled, as npm runs them)", () => {
  beforeAll(() => {
    if (!existsSync(join(dist, "main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  });

  it("`npm run token` prints a JWT alone on stdout, signed with the secret the server uses", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cg-cli-"));
    const r = await runNode("cli/token.js", ["--tenant", "acme", "--role", "member", "--sub", "sam"], { DATA_DIR: dataDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    // The first mint in an empty DATA_DIR made the secret: it says where, for a gateway elsewhere would refuse it.
    expect(r.stderr).toContain(`no secret in ${dataDir}, so a new one was generated there`);
    expect((await runNode("cli/token.js", ["--tenant", "acme", "--role", "member"], { DATA_DIR: dataDir })).stderr).toBe("");
    // The server reads the same generated secret from DATA_DIR.
    const principal = await verifyCallerToken(r.stdout.trim(), loadConfig({ DATA_DIR: dataDir }).authJwtSecret);
    expect(principal).toEqual({ tenant: "acme", role: "member", sub: "sam" });
    const bad = await runNode("cli/token.js", ["--tenant", "acme", "--role", "root"], { DATA_DIR: dataDir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("--role must be one of admin, member, service");
  });

  it("the gateway refuses to start on a bad environment and names every problem", async () => {
    const r = await runNode("main.js", [], { NODE_ENV: "production", PORT: "99999", GITHUB_API_URL: "ftp://x", DATA_DIR: tmpdir() });
    expect(r.code).toBe(1);
    for (const name of ["PORT", "GITHUB_API_URL", "AUTH_JWT_SECRET", "CREDENTIAL_KEYS"]) expect(r.stderr).toContain(name);
  });

  it("`npm start` serves /healthz on embedded PGlite and stops on SIGTERM", async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), "cg-start-")), PORT: "0", LOG_LEVEL: "info" };
    const r = await runNode("main.js", [], env, (out) => out.includes("gateway listening"));
    try {
      const url = /"url":"(http:[^"]+)\/graphql"/.exec(r.stdout)?.[1];
      expect(url).toBeDefined();
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: "ready" });
      expect(r.stdout).toContain("generated one into DATA_DIR");
    } finally {
      expect(await r.stop()).toBe(0);
    }
  }, 60_000);

  it("a start-up failure is one line naming the setting, its value and what to do: a second gateway on the same DATA_DIR or PORT, a DATABASE_URL nothing answers", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cg-start-"));
    const first = await runNode("main.js", [], { DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "info" }, (out) => out.includes("gateway listening"));
    try {
      const port = /"url":"http:\/\/127\.0\.0\.1:(\d+)\/graphql"/.exec(first.stdout)?.[1];
      expect(port).toBeDefined();
      // Embedded PGlite is one process's database: the second is refused before it opens it.
      const sameDir = await runNode("main.js", [], { DATA_DIR: dataDir, PORT: "0" });
      expect(sameDir.code).toBe(1);
      expect(sameDir.stderr).toMatch(new RegExp(`^gateway failed to start: DATA_DIR="${dataDir}": another gateway, demo or npm run migrate has its embedded database open.*set DATABASE_URL.*\n$`));
      const samePort = await runNode("main.js", [], { DATA_DIR: mkdtempSync(join(tmpdir(), "cg-start-")), PORT: port!, LOG_LEVEL: "silent" });
      expect(samePort.code).toBe(1);
      expect(samePort.stderr).toMatch(new RegExp(`^gateway failed to start: PORT=${port}: 127\\.0\\.0\\.1:${port} is already in use .*set PORT to a free port.*\n$`));
      // The first one is still serving.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    // Stopped cleanly, it let go of the folder: the next one starts there.
    const again = await runNode("main.js", [], { DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "info" }, (out) => out.includes("gateway listening"));
    expect(await again.stop()).toBe(0);
    const noDatabase = await runNode("main.js", [], { DATA_DIR: dataDir, DATABASE_URL: "postgres://u:hunter2@127.0.0.1:1/db" });
    expect(noDatabase.code).toBe(1);
    expect(noDatabase.stderr).toBe(
      'gateway failed to start: DATABASE_URL="postgres://u:***@127.0.0.1:1/db": nothing is listening at 127.0.0.1:1; start PostgreSQL there, correct the host and port, or unset DATABASE_URL to use the embedded database under DATA_DIR\n',
    );
  }, 90_000);

  it("on SIGTERM, a request in flight is finished before the process exits", async () => {
    const key = classicKey("octo-drain");
    const emulator = await startGitHubEmulator({ keys: [key] });
    const db = await createTestDatabase();
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), "cg-drain-")), PORT: "0", LOG_LEVEL: "info", GITHUB_API_URL: emulator.url, DATABASE_URL: db.url };
    const r = await runNode("main.js", [], env, (out) => out.includes("gateway listening"));
    try {
      const url = /"url":"(http:[^"]+\/graphql)"/.exec(r.stdout)![1];
      const admin = await signCallerToken({ tenant: "acme", role: "admin", sub: "ada" }, loadConfig({ DATA_DIR: env.DATA_DIR }).authJwtSecret);
      const post = (query: string, variables?: Record<string, unknown>) =>
        fetch(url, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      expect(((await (await post(Connect, { token: key.token })).json()) as { errors?: unknown }).errors).toBeUndefined();

      emulator.setLatency(1500);
      const mark = emulator.requests.length;
      const inFlight = post(Viewer);
      while (emulator.requests.length === mark) await new Promise((resolve) => setTimeout(resolve, 20));
      const exited = r.stop();
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ data: { github: { viewer: { login: "octo-drain" } } } });
      expect(await exited).toBe(0);
    } finally {
      await r.stop();
      await emulator.close();
      await db.drop();
    }
  }, 60_000);

  it("`npm run migrate` applies pending migrations once, and `npm run rotate-keys` re-encrypts under the first key", async () => {
    const db = await createTestDatabase();
    try {
      const env = { DATABASE_URL: db.url, DATA_DIR: mkdtempSync(join(tmpdir(), "cg-mig-")) };
      const first = await runNode("cli/migrate.js", [], env);
      expect(first.stdout).toContain("applied: InitialSchema");
      expect((await runNode("cli/migrate.js", [], env)).stdout).toBe("no pending migrations\n");
    } finally {
      await db.drop();
    }

    const key = classicKey("octo-rot");
    const h = await startHarness({ database: "postgres", keys: [key] });
    try {
      const admin = await h.token("acme", "admin");
      await h.gql(admin, Connect, { token: key.token });
      const old = `test1:${h.config.credentialKeys[0].key.toString("base64")}`;
      const env = { DATABASE_URL: h.config.databaseUrl!, DATA_DIR: h.config.dataDir, CREDENTIAL_KEYS: `next:${randomBytes(32).toString("base64")},${old}` };
      const r = await runNode("cli/rotate-keys.js", [], env);
      expect(r.stdout).toBe("re-encrypted 1 credential(s) under key 'next'; 0 already were\n");
      expect((await h.gateway.dataSource.query(`SELECT key_id FROM integration_credential`))[0].key_id).toBe("next");
      // This gateway instance still runs with only the old key: it cannot read the rotated row, as it should not.
      h.gateway.services.vault.forget((await h.gateway.dataSource.query(`SELECT id FROM integration`))[0].id);
      expect((await h.gql(admin, Viewer)).body.errors?.[0].extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await h.close();
    }
  });
});
