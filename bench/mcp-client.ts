// A tool call to the gateway's /mcp as an agent runtime sends it: one JSON-RPC `tools/call` over Streamable
// HTTP. The door is stateless (src/mcp/mcp-door.ts), so a call needs no `initialize` first, only the headers
// the transport asks of every request (test/integration/mcp-door.test.ts sends the same).

/** A 2025 revision the door serves through its stateless leg, as most clients in use speak it. */
const PROTOCOL_VERSION = "2025-11-25";

interface JsonRpcAnswer {
  result?: { isError?: boolean; structuredContent?: Record<string, unknown>; content?: Array<{ text?: string }> };
  error?: { code: number; message: string };
}

/** The gateway's /mcp, beside its /graphql. */
export const mcpUrlOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, "/mcp");

let nextId = 1;

/** Calls one tool; its structuredContent, or a thrown error naming what came back instead. */
export async function callTool(mcpUrl: string, token: string, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "mcp-protocol-version": PROTOCOL_VERSION,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: args } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`/mcp answered HTTP ${response.status}: ${text.slice(0, 300)}`);
  // The transport may answer as a one-event stream: the JSON-RPC message is its data line.
  const json = response.headers.get("content-type")?.startsWith("text/event-stream") ? /^data: (.*)$/m.exec(text)?.[1] : text;
  const answer = JSON.parse(json ?? "{}") as JsonRpcAnswer;
  if (answer.error) throw new Error(`${name}: JSON-RPC error ${answer.error.code} ${answer.error.message}`);
  if (!answer.result || answer.result.isError || !answer.result.structuredContent) {
    throw new Error(`${name}: ${answer.result?.content?.[0]?.text?.slice(0, 300) ?? text.slice(0, 300)}`);
  }
  return answer.result.structuredContent;
}
