import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { UsageError } from "./cli";

// The emulator and the gateways run as child processes of the bench, so that /proc/PID shows
// the gateway's own CPU time and resident memory, apart from the load generator's.

export interface Child {
  name: string;
  pid: number;
  /** Resolves with the first stdout line `pick` accepts. */
  firstLine<T>(pick: (line: string) => T | undefined, timeoutMs: number): Promise<T>;
  /** Rejects when the process exits (for racing against readiness checks). */
  exited: Promise<never>;
  stderrTail(): string;
  stop(): Promise<void>;
}

const TAIL_CHARS = 4000;

export function startChild(name: string, script: string, env: Record<string, string>): Child {
  const proc: ChildProcess = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  if (proc.pid === undefined) throw new Error(`${name}: could not start ${script}`);
  const pid = proc.pid;
  let stderr = "";
  let pending = "";
  const listeners = new Set<(line: string) => void>();
  proc.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-TAIL_CHARS)));
  proc.stdout?.on("data", (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) for (const listener of listeners) listener(line);
  });
  let running = true;
  const exited = new Promise<never>((_, reject) => {
    proc.once("exit", (code, signal) => {
      running = false;
      reject(new Error(`${name} exited (${signal ?? code}): ${stderr.trim().slice(-1000)}`));
    });
  });
  exited.catch(() => undefined); // observed by whoever races it

  return {
    name,
    pid,
    exited,
    stderrTail: () => stderr,
    firstLine<T>(pick: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
      const found = new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no ready line within ${timeoutMs} ms`)), timeoutMs);
        const listener = (line: string) => {
          const value = pick(line);
          if (value === undefined) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(value);
        };
        listeners.add(listener);
      });
      return Promise.race([found, exited]);
    },
    async stop(): Promise<void> {
      if (!running) return;
      const gone = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** A port that was free a moment ago (the gateway logs its URL only at LOG_LEVEL=info). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A pinned port (BENCH_GATEWAY_PORT, BENCH_EMULATOR_PORT) checked before anything starts, so that a
 * port in use is one line naming the setting rather than a child's EADDRINUSE stack. 0 passes: a free
 * port is picked later.
 */
export function assertPortFree(port: number, setting: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (e: NodeJS.ErrnoException) => {
      const why = e.code === "EADDRINUSE" ? "is in use" : e.code === "EACCES" ? "needs privileges" : `cannot be listened on (${e.code ?? e.message})`;
      reject(new UsageError(`${setting}=${port}: port ${port} on 127.0.0.1 ${why}; pick another, or unset ${setting} for a free port`));
    });
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime + stime of the process, in ms (fields 14 and 15 of /proc/PID/stat). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3 (state)
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
}

/** VmRSS of the process, in MiB. */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
