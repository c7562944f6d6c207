import http from "node:http";
import type { AddressInfo } from "node:net";
import { conflict } from "../../src/errors";
import { GitHubHttp } from "../../src/github/gate/github-http";

// The key's last check (UsableKey.stillCurrent) runs as the request is handed to the socket: when it
// refuses, nothing reaches GitHub and the caller gets its error as it was thrown, not Octokit's wrapping.

describe("GitHubHttp's last check before the socket", () => {
  let server: http.Server;
  let http_: GitHubHttp;
  let received = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      received++;
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(req.url === "/graphql" ? JSON.stringify({ data: { viewer: { login: "mona" } } }) : JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    http_ = new GitHubHttp({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  afterAll(async () => {
    http_.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const refuse = () => {
    throw conflict("renewed meanwhile");
  };

  it("GraphQL: a refusal sends nothing and surfaces as the GatewayError itself", async () => {
    const before = received;
    await expect(http_.graphql("key", "{ viewer { login } }", {}, 2000, refuse)).rejects.toMatchObject({ code: "CONFLICT", message: "renewed meanwhile" });
    expect(received).toBe(before);
    await expect(http_.graphql("key", "{ viewer { login } }", {}, 2000, () => undefined)).resolves.toMatchObject({ data: { viewer: { login: "mona" } } });
    expect(received).toBe(before + 1);
  });

  it("REST: the same", async () => {
    const before = received;
    await expect(http_.rest("key", "/user/repos", {}, "application/json", 2000, refuse)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(received).toBe(before);
    await expect(http_.rest("key", "/user/repos", {}, "application/json", 2000)).resolves.toMatchObject({ data: { ok: true } });
    expect(received).toBe(before + 1);
  });
});
