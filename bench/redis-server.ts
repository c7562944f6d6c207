import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

// A Redis server of one's own (Debian's redis-server, REDIS_SERVER_PATH overrides), for the benchmark's
// fleet case and the shared-limits tests: the machine's Redis is shared by everything else that runs.

/** Debian's redis-server (apt-get install -y redis-server; .ci/run installs it); REDIS_SERVER_PATH overrides. */
export const REDIS_SERVER = process.env.REDIS_SERVER_PATH || "redis-server";

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
 * A real Redis server on a port of its own, that its owner may stop and start again (on the same port, empty,
 * as a restarted Redis without persistence is) or freeze.
 */
export class OwnRedis {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
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
    // Refused until the server listens: each attempt's failure is answered below, not reported as unhandled.
    client.on("error", () => undefined);
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
