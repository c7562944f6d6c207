import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { runFromEnv } from "../github-emulator/main";
import type { Fault, GitHubEmulator } from "../github-emulator/types";

// The soak's GitHub emulator: the emulator's own process entry (runFromEnv reads the same EMULATOR_*
// variables as dist/github-emulator/main.js), plus a small control server, because faults can
// only be switched from inside the emulator's process (`fail()` / `clearFaults()`) and its admin
// routes only read. It prints one line {"url", "graphqlUrl", "control"} once both listen.
//
// Control routes (127.0.0.1, a test tool like the admin routes):
//   POST /fault        body: one Fault (github-emulator/types.ts); replaces any active fault
//   POST /clear        clears every fault
//   GET  /tally        upstream requests answered so far, by status and by fault kind
//
// The emulator records every request with its document; over a 10-minute soak that record would
// grow by tens of MB in this process, so the tally folds answered records into counters and drops
// them every few seconds (pending ones stay: the server still writes their status).

export interface UpstreamTally {
  answered: number;
  byStatus: Record<string, number>;
  byFault: Record<string, number>;
  points: number;
  mutations: number;
}

const COMPACT_MS = 5000;

function compactor(emulator: GitHubEmulator): () => UpstreamTally {
  const tally: UpstreamTally = { answered: 0, byStatus: {}, byFault: {}, points: 0, mutations: 0 };
  return () => {
    const pending = [];
    for (const r of emulator.requests) {
      // Status 0 is pending (a delayed one too), except a dropped connection: that one is answered by a reset.
      if (r.status === 0 && r.fault !== "drop") {
        pending.push(r);
        continue;
      }
      tally.answered += 1;
      tally.byStatus[r.status] = (tally.byStatus[r.status] ?? 0) + 1;
      const fault = r.fault ?? "none";
      tally.byFault[fault] = (tally.byFault[fault] ?? 0) + 1;
      tally.points += r.cost ?? 0;
      if (r.isMutation) tally.mutations += 1;
    }
    emulator.requests.length = 0;
    emulator.requests.push(...pending);
    return tally;
  };
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (e) {
        reject(e);
      }
    });
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

async function main(): Promise<void> {
  let emulatorLine = "";
  const emulator = await runFromEnv(process.env, (line) => (emulatorLine = line));
  const tally = compactor(emulator);
  const timer = setInterval(tally, COMPACT_MS);
  const control = createServer((req, res) => {
    const route = `${req.method} ${req.url}`;
    readJson(req)
      .then((body) => {
        if (route === "POST /fault") {
          emulator.clearFaults();
          emulator.fail(body as Fault);
          return reply(res, 200, { ok: true });
        }
        if (route === "POST /clear") {
          emulator.clearFaults();
          return reply(res, 200, { ok: true });
        }
        if (route === "GET /tally") return reply(res, 200, tally());
        return reply(res, 404, { message: `no control route ${route}` });
      })
      .catch((e: unknown) => reply(res, 400, { message: String(e) }));
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  const address = control.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ ...(JSON.parse(emulatorLine) as object), control: `http://127.0.0.1:${port}` })}\n`);
  const stop = () => {
    clearInterval(timer);
    control.close();
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
