import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { UpstreamConnections } from "../../src/github/gate/upstream-connections";

// The gateway's own connections to GitHub (under Octokit's request.fetch): what fetch did for it, checked
// against a real local HTTP server.

describe("UpstreamConnections", () => {
  let server: http.Server;
  let base: string;
  let connections = 0;
  const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const upstream = new UpstreamConnections();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ method: req.method, headers: req.headers, body });
        const answer = JSON.stringify({ path: req.url, n: seen.length });
        if (req.url === "/slow") return void setTimeout(() => res.end(answer), 2_000);
        if (req.url === "/gzip") {
          res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "set-cookie": ["a=1", "b=2"] });
          return void res.end(zlib.gzipSync(answer));
        }
        if (req.url === "/br") {
          res.writeHead(200, { "content-type": "application/json", "content-encoding": "br" });
          return void res.end(zlib.brotliCompressSync(answer));
        }
        res.writeHead(200, { "content-type": "application/json", "x-ratelimit-remaining": "4999" });
        res.end(answer);
      });
    });
    server.on("connection", () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    upstream.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const signal = () => AbortSignal.timeout(1_000);

  it("sends the method, headers and body, and keeps one connection for calls one after another", async () => {
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const res = await upstream.send(`${base}/graphql`, { method: "POST", headers: { authorization: "token T", "content-type": "application/json" }, body: '{"query":"{ viewer { login } }"}', signal: signal() });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-remaining")).toBe("4999");
      expect(JSON.parse(res.body.toString())).toMatchObject({ path: "/graphql" });
    }
    expect(connections - before).toBe(1);
    expect(seen.at(-1)).toMatchObject({ method: "POST", body: '{"query":"{ viewer { login } }"}', headers: { authorization: "token T", "content-length": "32", "accept-encoding": "gzip, deflate, br" } });
  });

  it("decodes gzip and Brotli bodies, as fetch does, and drops the wire's encoding from the headers", async () => {
    const gz = await upstream.send(`${base}/gzip`, { method: "GET", headers: {}, signal: signal() });
    expect(JSON.parse(gz.body.toString())).toMatchObject({ path: "/gzip" });
    expect(gz.headers.get("content-encoding")).toBeNull();
    expect(gz.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    const br = await upstream.send(`${base}/br`, { method: "GET", headers: {}, signal: signal() });
    expect(JSON.parse(br.body.toString())).toMatchObject({ path: "/br" });
  });

  it("gives up when the signal aborts, and a refused connection is an error, not an answer", async () => {
    await expect(upstream.send(`${base}/slow`, { method: "GET", headers: {}, signal: AbortSignal.timeout(50) })).rejects.toThrow(/abort/i);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(upstream.send(`http://127.0.0.1:${port}/graphql`, { method: "GET", headers: {}, signal: signal() })).rejects.toThrow(/ECONNREFUSED/);
    await expect(upstream.send("ftp://example.com/", { method: "GET", headers: {}, signal: signal() })).rejects.toThrow(/http or https/);
  });
});
