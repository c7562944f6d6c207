import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { handleAdmin } from "./admin-routes";
import { faultResponse, FaultQueue, isSpoiling, spoiledBody, type SpoilingFault } from "./faults";
import { gitHubSchemas } from "./github-schema";
import { handleGraphql, readGraphqlPayload, type GraphqlDeps, type GraphqlPayload } from "./graphql-handler";
import { KeyRegistry, tokenFromHeader, type Authentication } from "./key-registry";
import { budgetRules, RateLimiter } from "./rate-limits";
import { GITHUB_SECONDARY_LIMITS, SecondaryLimiter, secondaryLimitResponse } from "./secondary-limits";
import { loadOpenApi } from "./openapi";
import { newRequestId, type EmulatorResponse } from "./responses";
import { handleRest } from "./rest-handler";
import { EmulatorStore } from "./store";
import type {
  EmulatorKey, EmulatorOptions, Fault, GitHubEmulator, RateLimitResource, RateLimitState, RecordedRequest,
} from "./types";

type Route = { kind: "graphql" } | { kind: "rest"; path: string };

/**
 * Objects one document may resolve before GitHub's "Resource limits for this query exceeded". GitHub
 * publishes no figure (its docs: "thousands of objects"; 2026 reports show it tightening): 10,000 lets the
 * gateway's ordinary batches through and stops the heaviest, the stricter side of an unknown.
 */
export const DEFAULT_RESOURCE_LIMIT = 10_000;

/** github.com serves /graphql and REST at the root; GitHub Enterprise Server /api/graphql and /api/v3/... */
function routeOf(path: string): Route {
  if (path === "/graphql" || path === "/graphql/" || path === "/api/graphql" || path === "/api/graphql/") return { kind: "graphql" };
  if (path === "/api/v3" || path.startsWith("/api/v3/")) return { kind: "rest", path: path.slice("/api/v3".length) || "/" };
  return { kind: "rest", path };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

class EmulatorServer implements GitHubEmulator {
  url = "";
  graphqlUrl = "";
  readonly requests: RecordedRequest[] = [];
  readonly store = new EmulatorStore();
  private readonly keys = new KeyRegistry(this.store);
  private readonly faults = new FaultQueue();
  private readonly limiter: RateLimiter;
  private readonly secondary: SecondaryLimiter;
  private readonly deps: GraphqlDeps;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private latencyMs: number;
  private closed = false;

  constructor(options: EmulatorOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.limiter = new RateLimiter(budgetRules(options.rateLimitPerHour ?? 5000, options.codeSearchPerMinute ?? 10));
    this.secondary = new SecondaryLimiter({ ...GITHUB_SECONDARY_LIMITS, ...options.secondaryLimits });
    this.deps = {
      schemas: gitHubSchemas(), store: this.store, limiter: this.limiter, secondary: this.secondary,
      resourceLimit: options.resourceLimit ?? DEFAULT_RESOURCE_LIMIT,
    };
    for (const key of options.keys ?? []) this.keys.add(key);
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.url = `http://${hostPart}:${address.port}`;
    this.graphqlUrl = `${this.url}/graphql`;
  }

  clearRequests(): void {
    this.requests.length = 0; // in place, so a reference held by a test stays current
  }

  addKey(key: EmulatorKey): void {
    this.keys.add(key);
  }

  removeKey(token: string): void {
    this.keys.remove(token);
  }

  fail(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** The most requests of the key's user in flight at once since `resetPeakInFlight` (the count the 100-concurrent limit uses). */
  peakInFlight(token: string): number {
    const key = this.keys.get(token);
    if (!key) throw new Error("GitHub emulator: peakInFlight() was given a key it does not know");
    return this.secondary.peakInFlight(key.user.databaseId);
  }

  resetPeakInFlight(): void {
    this.secondary.resetPeaks();
  }

  rateLimitOf(token: string, resource: RateLimitResource = "graphql"): RateLimitState {
    const key = this.keys.get(token);
    if (!key) throw new Error("GitHub emulator: rateLimitOf() was given a key it does not know");
    return this.limiter.peek(key.user.databaseId, resource);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await done;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const method = req.method ?? "GET";
    const admin = handleAdmin(this, method, url.pathname, url.searchParams);
    if (admin) {
      // Not GitHub: not recorded, no latency, no faults (admin-routes.ts).
      req.resume();
      req.on("end", () => this.send(res, { at: new Date(), method, path: url.pathname, token: null, status: 0 }, newRequestId(), admin));
      return;
    }
    const { token } = tokenFromHeader(req.headers.authorization);
    const record: RecordedRequest = { at: new Date(), method, path: url.pathname, token, status: 0 };
    this.requests.push(record);
    const requestId = newRequestId();
    // A request is in flight from its arrival to its answer; at most `concurrent` of one user's at a time,
    // across REST and GraphQL (secondary-limits.ts). Counted only for a key the emulator knows.
    const arriving = this.keys.authenticate(req.headers.authorization);
    const user = arriving.kind === "ok" ? arriving.key.user.databaseId : undefined;
    const admitted = user === undefined || this.secondary.enter(user);
    try {
      const body = await readBody(req);
      const route = routeOf(url.pathname);
      const payload = route.kind === "graphql" ? readGraphqlPayload(body) : undefined;
      if (payload) {
        if (typeof payload.query === "string") record.query = payload.query;
        if (payload.variables) record.variables = payload.variables;
        if (payload.operationName) record.operationName = payload.operationName;
      }
      await this.sleep(this.latencyMs);
      let fault = this.faults.take(token, typeof payload?.query === "string" && /^\s*mutation\b/.test(payload.query));
      if (fault?.kind === "delay") {
        record.fault = "delay";
        await this.sleep(fault.ms);
        fault = undefined;
      }
      if (this.closed) return;
      if (fault?.kind === "drop") {
        record.fault = "drop";
        req.socket.destroy();
        return;
      }
      const auth = this.keys.authenticate(req.headers.authorization);
      const resource = route.kind === "graphql" ? "graphql" : "core";
      let response: EmulatorResponse;
      if (fault && !isSpoiling(fault)) {
        record.fault = fault.kind;
        response = faultResponse(fault, { resource, key: auth.kind === "ok" ? auth.key : undefined, requestId, limiter: this.limiter });
      } else if (!admitted && auth.kind === "ok") {
        response = secondaryLimitResponse(resource, auth.key, this.limiter, requestId);
      } else {
        response = await this.answer(method, route, url, req, auth, payload, requestId);
      }
      // A spoiling fault lets the real answer happen (a mutation takes effect) and spoils only what is sent.
      if (fault && isSpoiling(fault)) record.fault = fault.kind;
      this.send(res, record, requestId, response, fault && isSpoiling(fault) ? fault.kind : undefined);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.send(res, record, requestId, { status: 500, headers: { "content-type": "application/json; charset=utf-8" }, body: { message: `GitHub emulator error: ${message}` } });
    } finally {
      if (user !== undefined && admitted) this.secondary.leave(user);
    }
  }

  private answer(method: string, route: Route, url: URL, req: IncomingMessage, auth: Authentication, payload: GraphqlPayload | undefined, requestId: string) {
    if (route.kind === "graphql") return handleGraphql(method, auth, payload ?? { json: false }, this.deps, requestId);
    // A REST GET costs 1 of the user's 900 secondary points a minute.
    if (auth.kind === "ok" && !this.secondary.charge(auth.key.user.databaseId, "rest", 1)) {
      return Promise.resolve(secondaryLimitResponse("core", auth.key, this.limiter, requestId));
    }
    const base = url.pathname.startsWith("/api/v3") ? `${this.url}/api/v3` : this.url;
    return Promise.resolve(handleRest({ method, path: route.path, search: url.searchParams, headers: req.headers, auth, base }, this.deps));
  }

  private send(res: ServerResponse, record: RecordedRequest, requestId: string, response: EmulatorResponse, spoil?: SpoilingFault["kind"]): void {
    record.status = response.status;
    if (response.cost !== undefined) record.cost = response.cost;
    if (response.isMutation !== undefined) record.isMutation = response.isMutation;
    if (res.destroyed || res.headersSent) return;
    const text = response.body === undefined ? "" : JSON.stringify(response.body);
    const body = spoil ? spoiledBody(spoil, text) : { bytes: Buffer.from(text, "utf8"), contentLength: Buffer.byteLength(text) };
    res.writeHead(response.status, {
      ...response.headers,
      "x-github-request-id": requestId,
      "content-length": String(body.contentLength),
    });
    // Cut off once the part sent has left: the client has the headers and part of the body, then the connection ends.
    if (spoil === "truncate") return void res.write(body.bytes, () => res.destroy());
    res.end(body.bytes);
  }
}

export async function startGitHubEmulator(options: EmulatorOptions = {}): Promise<GitHubEmulator> {
  // GitHub has no cold start: read the OpenAPI description (REST answers are checked against it) before
  // the first request, not inside it. Uncached (a fresh node_modules) that read takes seconds, which once
  // made a gateway with a 2 s GitHub timeout fail its first key check; cached, milliseconds.
  loadOpenApi();
  const emulator = new EmulatorServer(options);
  await emulator.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  return emulator;
}
