import type { IncomingMessage, ServerResponse } from "node:http";
import { isLegacyRequest, WebStandardStreamableHTTPServerTransport, type AuthInfo, type McpServerFactory } from "@modelcontextprotocol/server";

/**
 * A 2025-era POST (most MCP clients in use speak 2025-06-18 or 2025-11-25) answered as one JSON body. The
 * SDK's createMcpHandler serves these through its stateless fallback, which always answers with an SSE
 * stream holding one event: a ReadableStream wrapped in another, a keep-alive timer and a chunked write,
 * about a third of the door's CPU per tool call in a profile of 50 concurrent calls (bench/README.md). The
 * 2025 revisions let the server choose ("MUST either return Content-Type: text/event-stream ... or
 * Content-Type: application/json"; clients MUST support both), and our tools send nothing before their
 * result, so the JSON answer loses nothing.
 *
 * It is the SDK's own composition for this (isLegacyRequest in front of the handler, a per-request
 * WebStandardStreamableHTTPServerTransport with sessionIdGenerator undefined, as the fallback builds it) with
 * the transport's enableJsonResponse on; the transport still checks Accept, Content-Type, the protocol version
 * and the JSON-RPC message. Anything else (a 2026 request, a GET or DELETE, a body that did not parse as JSON)
 * is left to createMcpHandler: `serve` answers false and writes nothing.
 */
export function legacyJsonLeg(factory: McpServerFactory, onerror: (error: Error) => void) {
  return async (req: IncomingMessage, res: ServerResponse, body: unknown, authInfo: AuthInfo | undefined): Promise<boolean> => {
    if (req.method !== "POST" || body === undefined) return false;
    let request: Request;
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      // The body travels as `parsedBody`: the transport never reads the request's own (already read) stream.
      request = new Request("http://localhost/mcp", { method: "POST", headers });
      if (!(await isLegacyRequest(request, body))) return false;
    } catch {
      // Headers a web Request will not hold: createMcpHandler's own conversion answers them as it does.
      return false;
    }
    const server = await factory({ era: "legacy", requestInfo: request, ...(authInfo && { authInfo }) });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(request, { parsedBody: body, ...(authInfo && { authInfo }) });
      const text = await response.text();
      const answer: Record<string, string> = {};
      response.headers.forEach((value, name) => (answer[name] = value));
      res.writeHead(response.status, answer).end(text);
    } catch (e) {
      onerror(e instanceof Error ? e : new Error(String(e)));
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32603, message: "Internal server error" }, id: null }));
    } finally {
      void transport.close().catch(onerror);
      void server.close().catch(onerror);
    }
    return true;
  };
}
