// Case 7's bursts, in a process of their own (bench/scenarios/fleet.ts starts it): one workspace's requests
// (BURST_BODIES, JSON) sent all at once, spread round-robin over BURST_URLS, burst after burst until SIGTERM.
// The bystander is timed in the bench's own process: were the bursts sent from there too, its clock would
// wait behind a thousand answers a second being read on the same event loop (24 ms of its p50 in a probe,
// against 6-8 ms with the bursts here), which is the load generator's delay, not the gateway's.
// Prints `ready` after a first burst, and `{"bursts":N,"failed":F}` when stopped.

const urls = JSON.parse(process.env.BURST_URLS ?? "[]") as string[];
const bodies = JSON.parse(process.env.BURST_BODIES ?? "[]") as string[];
const headers = { "content-type": "application/json", authorization: `Bearer ${process.env.BURST_TOKEN ?? ""}` };

let stopping = false;
let failed = 0;
process.once("SIGTERM", () => (stopping = true));

const burst = () =>
  Promise.all(
    bodies.map(async (body, i) => {
      const res = await fetch(urls[i % urls.length], { method: "POST", headers, body });
      const text = await res.text();
      if (!res.ok || text.includes('"errors"')) failed += 1;
    }),
  );

async function main(): Promise<void> {
  if (urls.length === 0 || bodies.length === 0) throw new Error("BURST_URLS and BURST_BODIES are required");
  await burst();
  process.stdout.write("ready\n");
  let bursts = 0;
  while (!stopping) {
    await burst();
    bursts += 1;
  }
  process.stdout.write(`${JSON.stringify({ bursts, failed })}\n`);
}

main().then(
  // A moment for the bench to read the tally before the exit (its reader races the exit).
  () => setTimeout(() => process.exit(0), 200),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
