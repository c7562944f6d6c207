import { seeded } from "./soak-config";
import { gatewayHeaders, type GraphqlAnswer } from "./gateway-client";
import { judge, opFor, type Op, type OpName, type Transport } from "./soak-ops";
import type { RequestRecord } from "./soak-tally";
import { round } from "./stats";

// Open-loop load: request i starts at t0 + i / rps whatever happened to the earlier ones (a stalled
// gateway meets the same arrivals a real one would, instead of a load generator that politely
// waits), tenants in turn, each request's operation from the seeded mix.

export interface TenantCallers {
  admin: string;
  service: string;
}

export interface LoadPlan {
  url: string;
  rps: number;
  durationMs: number;
  clientTimeoutMs: number;
  tenants: readonly TenantCallers[];
  seed: number;
  ops?: readonly OpName[];
  inlineArguments: boolean;
  /** performance.now() at the start of the run: every record's startMs counts from it. */
  t0: number;
}

export interface LoadState {
  records: RequestRecord[];
  sent: number;
  inflight: number;
  /** How late the scheduler started a request, at worst (the soak process itself stalling). */
  maxLagMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function failureOf(e: unknown): Transport {
  const name = (e as { name?: string }).name;
  return name === "TimeoutError" || name === "AbortError" ? "client-timeout" : "connection-error";
}

function describe(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return `${(e as Error).name}: ${cause?.code ?? cause?.message ?? (e as Error).message}`.slice(0, 200);
}

async function send(plan: LoadPlan, i: number, tenant: number, op: Op): Promise<RequestRecord> {
  const started = performance.now();
  const token = plan.tenants[tenant][op.role];
  let transport: Transport;
  let answer: GraphqlAnswer | undefined;
  let failure: string | undefined;
  try {
    const response = await fetch(plan.url, {
      method: "POST",
      headers: gatewayHeaders(token),
      body: JSON.stringify({ query: op.query, variables: op.variables }),
      signal: AbortSignal.timeout(plan.clientTimeoutMs),
    });
    transport = response.status;
    const text = await response.text();
    try {
      answer = JSON.parse(text) as GraphqlAnswer;
    } catch {
      transport = "bad-body";
      failure = `HTTP ${response.status}, not JSON: ${text.slice(0, 150)}`;
    }
  } catch (e) {
    transport = failureOf(e);
    failure = describe(e);
  }
  const verdict = judge(op, transport, answer);
  return {
    i, tenant, op: op.name, upstream: op.upstream,
    startMs: round(started - plan.t0, 1),
    ms: round(performance.now() - started, 2),
    transport, outcome: verdict.outcome, codes: verdict.codes,
    ...(verdict.reason ? { reason: failure ? `${verdict.reason} (${failure})` : verdict.reason } : {}),
  };
}

export async function runLoad(plan: LoadPlan, state: LoadState): Promise<void> {
  const random = seeded(plan.seed);
  const interval = 1000 / plan.rps;
  const pending = new Set<Promise<void>>();
  for (let i = 0; ; i += 1) {
    const due = plan.t0 + i * interval;
    if (due - plan.t0 >= plan.durationMs) break;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    state.maxLagMs = Math.max(state.maxLagMs, round(performance.now() - due, 1));
    const tenant = i % plan.tenants.length;
    const work = send(plan, i, tenant, opFor(i, random, plan.ops, plan.inlineArguments)).then((record) => {
      state.records.push(record);
      state.inflight -= 1;
    });
    state.sent += 1;
    state.inflight += 1;
    pending.add(work);
    void work.finally(() => pending.delete(work));
  }
  // Every request has its own client timeout, so this ends within clientTimeoutMs.
  await Promise.all(pending);
}
