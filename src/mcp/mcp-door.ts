import { createMcpHandler, ProtocolError, Server, type AuthInfo, type CallToolResult, type McpServerFactory, type Tool } from "@modelcontextprotocol/server";
import { originValidation, toNodeHandler } from "@modelcontextprotocol/node";
import express from "express";
import { bearerTokenOf, type CallerTokenVerifier, type Principal } from "../auth/caller-token";
import type { Config } from "../config";
import type { TenantRateLimit } from "../limits/tenant-rate-limit";
import { badUserInput, ErrorCode, GatewayError, isGatewayError } from "../errors";
import type { Logger } from "../logger";
import { requestIdOf } from "../observability/request-scope";
import { scrubText } from "../secrets/key-scrubber";
import { legacyJsonLeg } from "./legacy-json-leg";
import { moreExists } from "./more-exists";
import type { OperationTool } from "./operation-tools";
import { THREAD_OPERATION, THREAD_TEMPLATES, threadOf, threadResource } from "./thread-resources";

/** A named operation's answer: its data, or its errors in the gateway's codes and words. */
export type OperationOutcome = { data: Record<string, unknown> } | { errors: { code: string; message: string }[] };

/** What a tool call needs of the gateway: its operation run as the GraphQL door would run it, for this caller. */
export type RunOperation = (tool: OperationTool, variables: Record<string, unknown>, principal: Principal, log: Logger) => Promise<OperationOutcome>;

export interface McpDoorOptions {
  config: Config;
  /** Every authenticated request spends a unit of its workspace's budget, as on /graphql, refused or not. */
  tenantLimit: TenantRateLimit;
  callerTokens: CallerTokenVerifier;
  tools: OperationTool[];
  run: RunOperation;
  log: Logger;
  version: string;
}

/** Roles that may use the MCP door: an agent runtime holds a service token; an admin may try it out. */
const MCP_ROLES = new Set<Principal["role"]>(["service", "admin"]);

/** A failure thrown before or around an operation, as an outcome: the gateway's code and sentence. */
function failureOf(e: unknown): OperationOutcome {
  const error = isGatewayError(e) ? e : new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error.");
  return { errors: [{ code: error.code, message: error.message }] };
}

/**
 * The one place an outcome becomes what the model reads: the data as structuredContent, and as JSON text
 * followed by a plain sentence for each list or thread that holds fewer items than exist; or the errors,
 * one `CODE: sentence` per line.
 */
function toolResult(outcome: OperationOutcome): CallToolResult {
  if ("errors" in outcome) {
    return { isError: true, content: [{ type: "text", text: outcome.errors.map((e) => `${e.code}: ${e.message}`).join("\n") }], _meta: { code: outcome.errors[0].code } };
  }
  const notes = moreExists(outcome.data as Parameters<typeof moreExists>[0]);
  return { structuredContent: outcome.data, content: [{ type: "text", text: [JSON.stringify(outcome.data), ...notes].join("\n") }] };
}

interface CallerAuth extends AuthInfo {
  extra: { principal: Principal; log: Logger };
}

/**
 * The MCP door at /mcp (Streamable HTTP, stateless: any instance answers any call, nothing is kept between
 * requests), built on the official SDK's createMcpHandler, which serves the 2026-07-28 revision and, through
 * its stateless legacy leg, 2025-era clients. Callers present the gateway's own caller tokens; the GitHub
 * key never leaves the gateway. Each tool is a named operation, run through the GraphQL door's own path.
 */
export function mcpRouter(o: McpDoorOptions): express.Router {
  // Both schemas are objects by construction (tool-schemas.ts); the SDK's type wants to see it.
  const tools: Tool[] = o.tools.map(({ name, description, inputSchema, outputSchema, annotations }) => ({
    name,
    description,
    inputSchema: inputSchema as Tool["inputSchema"],
    outputSchema: outputSchema as Tool["outputSchema"],
    annotations,
  }));
  const byName = new Map(o.tools.map((t) => [t.name, { tool: t, args: new Set(Object.keys((t.inputSchema.properties as object) ?? {})) }]));
  const threads = byName.get(THREAD_OPERATION)?.tool;
  // Run with a failure of the run itself (not the operation's errors) made an outcome, and logged if unexpected.
  const run = async (tool: OperationTool, variables: Record<string, unknown>, auth: CallerAuth): Promise<OperationOutcome> => {
    try {
      return await o.run(tool, variables, auth.extra.principal, auth.extra.log);
    } catch (e) {
      if (!isGatewayError(e)) auth.extra.log.error({ err: e, tool: tool.name }, "MCP operation failed");
      return failureOf(e);
    }
  };

  const factory: McpServerFactory = ({ authInfo }) => {
    const capabilities = { tools: { listChanged: false }, ...(threads ? { resources: { listChanged: false } } : {}) };
    const server = new Server({ name: "connector-gateway", version: o.version }, { capabilities });
    server.setRequestHandler("tools/list", async () => ({ tools }));
    if (threads) {
      // Threads are named by URI, not listed: there is one per issue and pull request the key can see.
      server.setRequestHandler("resources/list", async () => ({ resources: [] }));
      server.setRequestHandler("resources/templates/list", async () => ({ resourceTemplates: THREAD_TEMPLATES }));
      server.setRequestHandler("resources/read", async (request) => {
        const { owner, repo, number, maxComments } = threadOf(request.params.uri);
        const outcome = await run(threads, { owner, repo, number, maxComments: maxComments ?? null }, authInfo as CallerAuth);
        return threadResource(request.params.uri, maxComments, outcome);
      });
    }
    server.setRequestHandler("tools/call", async (request) => {
      const entry = byName.get(request.params.name);
      // What the caller typed is echoed only shortened and scrubbed: a key pasted by mistake never comes back.
      const echo = (text: string) => scrubText(JSON.stringify(text).slice(0, 80));
      // An unknown tool is a protocol error (the specification's -32602), not a tool's failure: nothing ran.
      if (!entry) throw new ProtocolError(-32602, `${ErrorCode.BAD_USER_INPUT}: There is no tool named ${echo(request.params.name)}; tools/list names them.`, { code: ErrorCode.BAD_USER_INPUT });
      const args = request.params.arguments ?? {};
      const unknown = Object.keys(args).filter((k) => !entry.args.has(k));
      if (unknown.length > 0) return toolResult(failureOf(badUserInput(`${entry.tool.name} takes no argument ${unknown.slice(0, 5).map(echo).join(", ")}.`, echo(unknown[0]))));
      return toolResult(await run(entry.tool, args, authInfo as CallerAuth));
    });
    return server;
  };
  const onerror = (err: Error) => o.log.error({ err }, "MCP request failed");
  const serveJson = legacyJsonLeg(factory, onerror);
  const serveAny = toNodeHandler(createMcpHandler(factory), { onerror });
  const serve = async (req: express.Request & { auth?: AuthInfo }, res: express.Response) => {
    if (!(await serveJson(req, res, req.body, req.auth))) await serveAny(req, res, req.body);
  };

  const base = (req: express.Request) => `${req.protocol}://${req.get("host")}`;
  const metadataPath = "/.well-known/oauth-protected-resource";
  const router = express.Router();

  // RFC 9728: where a client learns which authorization servers issue tokens for this resource.
  const metadata = (req: express.Request, res: express.Response) => {
    res.json({
      resource: `${base(req)}/mcp`,
      authorization_servers: o.config.mcp.authorizationServers,
      bearer_methods_supported: ["header"],
      resource_name: "Connector Gateway (GitHub)",
    });
  };
  router.get(metadataPath, metadata);
  router.get(`${metadataPath}/mcp`, metadata);

  // The transport's defence against DNS rebinding: a browser page of another origin never reaches the door.
  const originAllowed = originValidation(["localhost", "127.0.0.1", "[::1]", ...o.config.mcp.allowedOrigins]);

  router.all(
    "/mcp",
    async (req, res, next) => {
      if (!originAllowed(req, res)) return;
      const refuse = (status: 401 | 403, code: ErrorCode, message: string) => {
        if (status === 401) res.setHeader("WWW-Authenticate", `Bearer resource_metadata="${base(req)}${metadataPath}/mcp"`);
        res.status(status).json({ jsonrpc: "2.0", id: null, error: { code: -32001, message, data: { code } } });
      };
      const token = bearerTokenOf(req.headers.authorization);
      if (!token) return refuse(401, ErrorCode.UNAUTHENTICATED, "A valid Bearer token is required.");
      let principal: Principal;
      try {
        principal = await o.callerTokens.verify(token);
      } catch (e) {
        if (!isGatewayError(e)) o.log.error({ err: e, requestId: requestIdOf(res) }, "MCP caller token check failed");
        return refuse(401, ErrorCode.UNAUTHENTICATED, isGatewayError(e) ? e.message : "A valid Bearer token is required.");
      }
      if (!MCP_ROLES.has(principal.role)) return refuse(403, ErrorCode.FORBIDDEN, "The MCP endpoint is for service and admin tokens.");
      try {
        await o.tenantLimit.take(principal.tenant, 1);
      } catch (e) {
        if (!isGatewayError(e)) return next(e);
        if (e.extensions.retryAfter) res.setHeader("retry-after", String(e.extensions.retryAfter));
        return res.status(429).json({ jsonrpc: "2.0", id: null, error: { code: -32001, message: e.message, data: { code: e.code } } });
      }
      const log = o.log.child({ requestId: requestIdOf(res), tenant: principal.tenant, sub: principal.sub, door: "mcp" });
      const auth: CallerAuth = { token: "", clientId: principal.sub, scopes: [principal.role], extra: { principal, log } };
      (req as express.Request & { auth?: AuthInfo }).auth = auth;
      next();
    },
    express.json({ limit: "100kb" }),
    (req, res) => void serve(req, res),
  );
  return router;
}
