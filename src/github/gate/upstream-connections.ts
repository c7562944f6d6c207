import http from "node:http";
import https from "node:https";
import { pipeline } from "node:stream/promises";
import { Writable, type Readable } from "node:stream";
import zlib from "node:zlib";

/** One complete HTTP exchange with GitHub: the body read whole (and decoded), the headers as fetch gives them. */
export interface UpstreamExchange {
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer;
  url: string;
}

export interface UpstreamRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/**
 * How long an idle connection is kept: under the 5 s a Node server (the emulator) keeps one, as undici's
 * default 4 s is; a shorter `Keep-Alive: timeout=N` from the server lowers it further (Node's Agent reads it).
 */
const IDLE_MS = 4_000;

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * The gateway's connections to GitHub: node:http(s) agents that keep connections open between calls, under
 * Octokit's `request.fetch` (github-http.ts). The fetch Node ships (undici's) costs about a millisecond of CPU
 * per call in WHATWG streams, Request and Response objects and abort wiring, which at one client is most of
 * what the gateway adds; GitHub's answers are read whole anyway. Like fetch it asks for and decodes gzip,
 * deflate and Brotli. It follows no redirect: GitHub answers the gateway's calls (GraphQL, and the REST reads
 * of the key's user, repositories, organizations and code search) without one, and a 3xx reaches Octokit as is.
 */
export class UpstreamConnections {
  private readonly agents = {
    "http:": new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
    "https:": new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
  };

  send(url: string, request: UpstreamRequest): Promise<UpstreamExchange> {
    const target = new URL(url);
    const agent = target.protocol === "https:" ? this.agents["https:"] : target.protocol === "http:" ? this.agents["http:"] : undefined;
    if (!agent) return Promise.reject(new Error(`GITHUB_API_URL must be http or https, not ${target.protocol}`));
    const headers: Record<string, string> = { "accept-encoding": "gzip, deflate, br", ...request.headers };
    if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
    const send = target.protocol === "https:" ? https.request : http.request;
    return new Promise<UpstreamExchange>((resolve, reject) => {
      const req = send(target, { method: request.method, headers, agent, signal: request.signal }, (res) => {
        const encoding = (res.headers["content-encoding"] ?? "").trim().toLowerCase();
        const decoder = Object.hasOwn(DECODERS, encoding) ? DECODERS[encoding] : undefined;
        const chunks: Buffer[] = [];
        const collect = new Writable({
          write(chunk: Buffer, _enc, done) {
            chunks.push(chunk);
            done();
          },
        });
        const streams: (Readable | NodeJS.ReadWriteStream | Writable)[] = decoder ? [res, decoder(), collect] : [res, collect];
        pipeline(streams as [Readable, Writable]).then(() => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
          }
          // The body handed on is decoded: its length and encoding are no longer the ones on the wire.
          if (decoder) {
            out.delete("content-encoding");
            out.delete("content-length");
          }
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: out, body: Buffer.concat(chunks), url });
        }, reject);
      });
      req.on("error", reject);
      req.end(request.body);
    });
  }

  /** Closes idle connections (at shutdown, so the process is not kept alive by them). */
  close(): void {
    this.agents["http:"].destroy();
    this.agents["https:"].destroy();
  }
}
