import autocannon from "autocannon";
import { percentile, round } from "./stats";

// autocannon, the load generator of the concurrent, throughput and memory cases. Latencies are
// taken from its `response` event (sub-millisecond; its own histogram keeps whole milliseconds).

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  /** Request bodies, handed out in turn across all connections. */
  bodies: readonly string[];
  connections: number;
  /** Stop after this many requests ... */
  amount?: number;
  /** ... or after this many seconds. */
  seconds?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 200 answers whose body holds GraphQL `errors` (or no `data`). */
  graphqlErrors: number;
  /** Answers with a 2xx status, `data` and no GraphQL `errors`, and their p50 (case 8 reads them apart from refusals). */
  answered: number;
  answeredP50Ms: number;
}

const answeredBody = (body: unknown) => typeof body === "string" && body.includes('"data"') && !body.includes('"errors"');

export async function load(o: LoadOptions): Promise<LoadResult> {
  if (o.bodies.length === 0) throw new Error("load: no request bodies");
  let next = 0;
  let lastAnswered = false;
  const answeredMs: number[] = [];
  const latencies: number[] = [];
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const options: autocannon.Options = {
    url: o.url,
    method: "POST",
    headers: o.headers,
    connections: o.connections,
    ...(o.amount !== undefined ? { amount: o.amount } : { duration: o.seconds ?? 10 }),
    timeout: 30,
    // A shared counter, so that concurrent connections ask for different items (each connection
    // would otherwise start at the first body and they would all ask for the same one).
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: o.bodies[next++ % o.bodies.length] }),
        // Called just before the `response` event of the same answer (autocannon's httpClient), which reads it.
        onResponse: (status, body) => (lastAnswered = status >= 200 && status < 300 && answeredBody(body)),
      },
    ],
    verifyBody: answeredBody,
  };
  const instance = autocannon(options, (error: unknown, result: autocannon.Result) => (error ? fail(error) : finish(result)));
  instance.on("response", (_client, _status, _bytes, ms) => {
    latencies.push(ms);
    if (lastAnswered) answeredMs.push(ms);
  });
  const result = await done;
  latencies.sort((a, b) => a - b);
  const requests = latencies.length;
  return {
    requests,
    seconds: round(result.duration),
    rps: round(requests / result.duration, 1),
    p50Ms: round(percentile(latencies, 50)),
    p90Ms: round(percentile(latencies, 90)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies[requests - 1] ?? 0),
    errors: result.errors,
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
    answered: answeredMs.length,
    answeredP50Ms: round(percentile(answeredMs.sort((a, b) => a - b), 50)),
  };
}

export function assertClean(name: string, r: LoadResult): void {
  if (r.errors > 0 || r.non2xx > 0 || r.graphqlErrors > 0) {
    throw new Error(`${name}: ${r.errors} connection errors, ${r.non2xx} non-2xx, ${r.graphqlErrors} GraphQL errors in ${r.requests} requests`);
  }
}
