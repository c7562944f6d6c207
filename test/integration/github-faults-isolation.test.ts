import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { classicKey } from "../support/keys";
import { codeOf, startHarness, type GraphQLResult, type Harness } from "../support/harness";
import { Connect } from "../support/operations";
import { startGitHubEmulator, type Fault, type GitHubEmulator } from "../../github-emulator";

// github-failures.test.ts maps each fault to its code on one tenant. This file injects each fault
// for tenant A's key only and checks what that file does not: B is served while A's faulted request
// is in flight, A's failure is final before a slow answer would come, and A recovers on its own (after a
// rate limit, once the time GitHub gave has passed; until then the gateway sends nothing for A's key).

const TIMEOUT_MS = 2000;
const keyA = classicKey("alpha-bot");
const keyB = classicKey("beta-bot");
const issueOf = (owner: string) => `{ github { issue(owner: "${owner}", repo: "app", number: 1) { number title } } }`;
const VIEWER = `{ github { viewer { login } } }`;
type Issue = { github: { issue: { number: number; title: string } } };
type Viewer = { github: { viewer: { login: string } } };

const readAll = (s: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve(Buffer.concat(chunks))).on("error", reject);
  });

interface Gate {
  url: string;
  /** Hold the answers to `token`'s requests; `held` settles when the first one is waiting here. */
  hold(token: string): { held: Promise<void>; release(): void };
  close(): Promise<void>;
}

/**
 * A pass-through HTTP hop in front of the emulator. It can hold the emulator's answers to one key
 * until released, so that A's faulted request is still in flight, by construction and not by a
 * timer, while B's requests run. A dropped connection upstream is dropped downstream too.
 */
async function startGate(target: string): Promise<Gate> {
  let hold: { token: string; reached: () => void; released: Promise<void> } | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
      // Node's errors come from outside Jest's realm (instanceof Error is false here): tag the outcome.
      type Answer = { status: number; headers: IncomingHttpHeaders; body: Buffer } | { dropped: true };
      const answer = await new Promise<Answer>((resolve) => {
        const dropped = () => resolve({ dropped: true });
        const up = request(`${target}${req.url}`, { method: req.method, headers: req.headers, agent: false }, (r) =>
          readAll(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b }), dropped),
        );
        up.on("error", dropped);
        up.end(body);
      });
      if (hold && token === hold.token) {
        hold.reached();
        await hold.released;
      }
      if ("dropped" in answer) req.socket.destroy();
      else if (!res.destroyed) res.writeHead(answer.status, answer.headers).end(answer.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold(token) {
      let reached!: () => void;
      let release!: () => void;
      const held = new Promise<void>((r) => (reached = r));
      hold = { token, reached, released: new Promise<void>((r) => (release = r)) };
      return { held, release: () => ((hold = undefined), release()) };
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

interface Case {
  name: string;
  fault: Fault;
  code: "GITHUB_UNAVAILABLE" | "GITHUB_RATE_LIMITED";
  /** Upstream requests A's faulted request makes: retried faults are retried twice. */
  attempts: number;
  retryAfter?: number;
}

const cases: Case[] = [
  { name: "502s", fault: { kind: "status", status: 502 }, code: "GITHUB_UNAVAILABLE", attempts: 3 },
  { name: "504s", fault: { kind: "status", status: 504 }, code: "GITHUB_UNAVAILABLE", attempts: 3 },
  { name: "connection resets", fault: { kind: "drop" }, code: "GITHUB_UNAVAILABLE", attempts: 3 },
  // The budget resets 2 s after the fault: the gateway holds off until then, then recovers.
  { name: "RATE_LIMITED in an HTTP 200", fault: { kind: "rateLimited", resetInSeconds: 2 }, code: "GITHUB_RATE_LIMITED", attempts: 1 },
  { name: "RATE_LIMIT (GitHub's other spelling) in an HTTP 200", fault: { kind: "rateLimited", errorType: "RATE_LIMIT", resetInSeconds: 2 }, code: "GITHUB_RATE_LIMITED", attempts: 1 },
  ...([403, 429, 200] as const).map((status): Case => ({
    name: `a secondary limit (HTTP ${status}) whose retry-after is past the time limit`,
    // 3 s: past the 2 s time limit, so not waited out within the request.
    fault: { kind: "secondaryRateLimit", status, retryAfterSeconds: 3 },
    code: "GITHUB_RATE_LIMITED",
    attempts: 1,
    retryAfter: 3,
  })),
];

describe("one tenant's GitHub faults: the other tenant is served, and the tenant recovers by itself", () => {
  let github: GitHubEmulator;
  let gate: Gate;
  let h: Harness;
  let serviceA: string;
  let serviceB: string;
  beforeAll(async () => {
    github = await startGitHubEmulator({ keys: [keyA, keyB] });
    gate = await startGate(github.url);
    for (const [owner, title] of [["alpha-bot", "Alpha one"], ["beta-bot", "Beta one"]]) {
      github.store.addRepository({ owner, name: "app" });
      github.store.addIssue({ owner, repo: "app", title });
    }
    h = await startHarness({
      database: "postgres",
      emulator: github,
      env: { GITHUB_API_URL: gate.url, GITHUB_TIMEOUT_MS: String(TIMEOUT_MS), TENANT_RATE_LIMIT_PER_MINUTE: "100000" },
    });
    expect(codeOf(await h.gql(await h.token("alpha", "admin"), Connect, { token: keyA.token }))).toBeUndefined();
    expect(codeOf(await h.gql(await h.token("beta", "admin"), Connect, { token: keyB.token }))).toBeUndefined();
    serviceA = await h.token("alpha", "service");
    serviceB = await h.token("beta", "service");
  });
  afterAll(async () => {
    await h?.close();
    await gate?.close();
    await github?.close();
  });
  afterEach(() => github.clearFaults());

  /** B's requests, each recording when its answer came; every one must succeed. */
  async function runB(order: string[]) {
    const tracked = <T>(p: Promise<GraphQLResult<T>>) => p.then((r) => (order.push("B"), r));
    const [issue, viewer] = await Promise.all([tracked(h.gql<Issue>(serviceB, issueOf("beta-bot"))), tracked(h.gql<Viewer>(serviceB, VIEWER))]);
    const again = await tracked(h.gql<Issue>(serviceB, issueOf("beta-bot")));
    expect(issue.body.data?.github.issue.title).toBe("Beta one");
    expect(again.body.data?.github.issue.title).toBe("Beta one");
    expect(viewer.body.data?.github.viewer.login).toBe("beta-bot");
  }

  /** After clearFaults(), A's next request goes to GitHub and succeeds: nothing was restarted. */
  async function expectRecovery() {
    github.clearFaults();
    const mark = github.requests.length;
    const r = await h.gql<Issue>(serviceA, issueOf("alpha-bot"));
    expect(r.body.data?.github.issue.title).toBe("Alpha one");
    const sent = github.requests.slice(mark);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((x) => x.token === keyA.token && x.status === 200 && !x.fault)).toBe(true);
  }

  it("an answer 10x slower than the time limit: A fails while the emulator still holds its request, B is served, A recovers", async () => {
    github.fail({ kind: "delay", ms: 10 * TIMEOUT_MS, token: keyA.token });
    const mark = github.requests.length;
    const order: string[] = [];
    const a = h.gql(serviceA, issueOf("alpha-bot")).then((r) => (order.push("A"), r));
    // Wait (by polling the record, not a timer) until A's request is at GitHub.
    while (!github.requests.slice(mark).some((x) => x.token === keyA.token)) await new Promise((r) => setTimeout(r, 5));
    // B's requests take milliseconds; A's can only end at the gateway's 2 s limit (the slow answer takes 20 s).
    await runB(order);
    const answer = await a;
    const fromA = github.requests.slice(mark).filter((x) => x.token === keyA.token);

    expect(codeOf(answer)).toBe("GITHUB_UNAVAILABLE");
    expect(order).toEqual(["B", "B", "B", "A"]);
    // The gateway answered before the slow answer came: GitHub still had the request, unanswered, and no retry.
    expect(fromA).toEqual([expect.objectContaining({ fault: "delay", status: 0 })]);
    await expectRecovery();
  });

  it.each(cases)("$name: A gets $code, B is served meanwhile, A recovers", async ({ fault, code, attempts, retryAfter }) => {
    github.fail({ ...fault, token: keyA.token });
    const mark = github.requests.length;
    const order: string[] = [];
    const { held, release } = gate.hold(keyA.token);
    const a = h.gql(serviceA, issueOf("alpha-bot")).then((r) => (order.push("A"), r));
    await held; // A's first faulted answer is waiting at the gate: A's request is in flight.
    await runB(order).finally(release);
    const answer = await a;

    expect(codeOf(answer)).toBe(code);
    expect(order).toEqual(["B", "B", "B", "A"]);
    const sent = github.requests.slice(mark);
    expect(sent.filter((x) => x.token === keyA.token).map((x) => x.fault)).toEqual(Array(attempts).fill(fault.kind));
    expect(sent.filter((x) => x.token === keyB.token).every((x) => x.status === 200 && !x.fault)).toBe(true);
    if (code === "GITHUB_RATE_LIMITED") {
      const ext = answer.body.errors![0].extensions!;
      expect(ext.retryAfter).toEqual(retryAfter ?? expect.any(Number));
      expect(Number(ext.retryAfter)).toBeGreaterThan(0);
      expect(new Date(String(ext.resetAt)).getTime()).toBeGreaterThan(Date.now());
    }
    if (code === "GITHUB_RATE_LIMITED") {
      // GitHub said when to come back: until then the gateway answers for it and sends nothing for A's
      // key (GitHub would now answer normally, so a refusal here is the gateway's own), while B is served.
      github.clearFaults();
      const before = github.requests.length;
      const held = await h.gql(serviceA, issueOf("alpha-bot"));
      expect(codeOf(held)).toBe("GITHUB_RATE_LIMITED");
      expect(github.requests.slice(before).filter((x) => x.token === keyA.token)).toHaveLength(0);
      expect((await h.gql<Issue>(serviceB, issueOf("beta-bot"))).body.data?.github.issue.title).toBe("Beta one");
      await new Promise((resolve) => setTimeout(resolve, Number(held.body.errors![0].extensions!.retryAfter) * 1000 + 100));
    }
    // Once the fault is over (and a limit's time has passed), A's next request goes to GitHub and succeeds.
    await expectRecovery();
  });

  it("A's faults never reached B: every B request the emulator saw was answered normally", () => {
    const fromB = github.requests.filter((x) => x.token === keyB.token);
    expect(fromB.length).toBeGreaterThan(0);
    expect(fromB.every((x) => x.status === 200 && !x.fault)).toBe(true);
    // And however A's requests failed, no key reached a log.
    for (const k of [keyA, keyB]) expect(h.logs.join("")).not.toContain(k.token);
  });
});
