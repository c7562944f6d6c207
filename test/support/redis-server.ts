import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

/** Debian's redis-server (apt-get install -y redis-server; .ci/run installs it); REDIS_SERVER_PATH overrides. */
export const REDIS_SERVER = process.env.REDIS_SERVER_PATH || "redis-server";

/** Why the suite cannot start a Redis of its own here, or undefined when it can. */
export function redisServerProblem(): string | undefined {
  const probe = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8" });
  if (probe.status === 0) return undefined;
  return `${REDIS_SERVER} cannot be run (${probe.error?.message ?? probe.stderr.trim()}): install Redis (apt-get install -y redis-server; .ci/run does) or set REDIS_SERVER_PATH; the shared-limits tests start Redis servers of their own, so that they can stop one`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real Redis server of the test's own, on a port of its own, that the test may stop and start again (on the
 * same port, empty, as a restarted Redis without persistence is): the machine's Redis is shared by every test file.
 */
export class TestRedis {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedis> {
    const redis = new TestRedis(await freePort());
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) and waits until it answers PING. */
  async resume(): Promise<void> {
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--enable-debug-command", "local"];
    this.process = spawn(REDIS_SERVER, args, { stdio: "ignore" });
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    for (let attempt = 0; ; attempt += 1) {
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch (e) {
        client.disconnect();
        if (attempt >= 100) throw new Error(`redis-server on port ${this.port} did not answer: ${String(e)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Stops the server for real (SIGKILL: no goodbye to its clients, as a crash or a network cut). */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }

  /**
   * Blocks the server for `seconds` (DEBUG SLEEP): it stays connected and answers nothing meanwhile. Resolves once
   * the server is seen frozen (a PING from another client goes unanswered), with the moment it thaws.
   */
  async freeze(seconds: number): Promise<{ thawed: Promise<void> }> {
    const sleeper = new Redis(this.url, { maxRetriesPerRequest: 0 });
    const prober = new Redis(this.url, { maxRetriesPerRequest: 0, commandTimeout: 50 });
    prober.on("error", () => undefined);
    try {
      // Both connected before the server stops answering (a connection's own handshake would wait too).
      await Promise.all([sleeper.ping(), prober.ping()]);
      const thawed = sleeper.call("DEBUG", "SLEEP", String(seconds)).then(() => undefined).finally(() => sleeper.disconnect());
      while (await prober.ping().then(() => true, () => false)) await new Promise((r) => setTimeout(r, 5));
      return { thawed };
    } finally {
      prober.disconnect();
    }
  }
}
