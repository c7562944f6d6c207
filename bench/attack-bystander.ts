import { percentile, round } from "./stats";

// `npm run attack`'s bystander, in a process of its own (bench/attack-load.ts starts it): another workspace's
// request (BYSTANDER_QUERY with BYSTANDER_TOKEN, to BYSTANDER_URL) every 20 ms until SIGTERM. The floods are
// sent by autocannon from the attack's own process; a bystander timed on that event loop waits behind
// thousands of answers a second being read there, which is the load generator's delay, not the gateway's
// (bench case 7 found 24 ms of such a delay in a p50). Prints `ready` after a first answer, and the tally as
// one JSON line when stopped: p50 and p99 as the bystander saw them, the gateway's own (its Server-Timing
// total), how many requests and how many failed.

const url = process.env.BYSTANDER_URL ?? "";
const body = JSON.stringify({ query: process.env.BYSTANDER_QUERY ?? "" });
const headers = { "content-type": "application/json", authorization: `Bearer ${process.env.BYSTANDER_TOKEN ?? ""}` };
const PAUSE_MS = 20;

let stopping = false;
process.once("SIGTERM", () => (stopping = true));

const wall: number[] = [];
const inGateway: number[] = [];
let failed = 0;

async function once(): Promise<void> {
  const started = performance.now();
  try {
    const response = await fetch(url, { method: "POST", headers, body });
    const answer = (await response.json()) as { errors?: unknown };
    if (!response.ok || answer.errors) failed += 1;
    const total = /total;dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "")?.[1];
    if (total !== undefined) inGateway.push(Number(total));
  } catch {
    failed += 1;
  }
  wall.push(performance.now() - started);
}

const p = (values: number[], at: number) => round(percentile([...values].sort((a, b) => a - b), at));

async function main(): Promise<void> {
  if (!url) throw new Error("BYSTANDER_URL is required");
  await once();
  wall.length = 0;
  inGateway.length = 0;
  failed = 0;
  process.stdout.write("ready\n");
  while (!stopping) {
    await once();
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  process.stdout.write(`${JSON.stringify({ p50Ms: p(wall, 50), p99Ms: p(wall, 99), gatewayP50Ms: p(inGateway, 50), requests: wall.length, failed })}\n`);
}

main().then(
  // A moment for the attack to read the tally before the exit (its reader races the exit).
  () => setTimeout(() => process.exit(0), 200),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
