import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import express from "express";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import type { AddressInfo } from "node:net";
import type { DataSource } from "typeorm";
import { adminRouter } from "./admin/admin-routes";
import { bearerTokenOf } from "./auth/caller-token";
import type { Config } from "./config";
import type { Context } from "./context";
import { databaseFailure, listenFailure } from "./config/startup-failure";
import { createDataSource, databaseKindOf, runMigrations } from "./db/data-source";
import { ErrorCode, unauthenticated } from "./errors";
import { createErrorFormatter } from "./format-error";
import type { Logger } from "./logger";
import { admitRequest } from "./limits/admission";
import { DocumentCache } from "./limits/document-cache";
import { queryLimits } from "./limits/query-limits";
import { metricsPlugin } from "./observability/metrics.plugin";
import { requestIdOf, requestScope } from "./observability/request-scope";
import { requestLogPlugin } from "./request-log.plugin";
import { buildGatewaySchema } from "./schema";
import { createServices, type Services } from "./services";
import { siteRouter } from "./site/site-routes";
import { answerError, bodyErrorAnswer, graphqlDoor, isGraphqlPath } from "./graphql-door";
import { mcpRouter } from "./mcp/mcp-door";
import { operationTools } from "./mcp/operation-tools";
import { operationRunner } from "./mcp/run-operation";
import { readNamedOperations, schemaDir } from "./operations/named-operations";

export interface Gateway {
  url: string;
  httpServer: Server;
  dataSource: DataSource;
  services: Services;
  /** Apollo's parsed documents, bounded by what they hold. */
  documentCache: DocumentCache;
  stop(): Promise<void>;
}

async function isDatabaseReachable(ds: DataSource): Promise<boolean> {
  try {
    await Promise.race([ds.query("SELECT 1"), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000).unref())]);
    return true;
  } catch {
    return false;
  }
}

/** A whole HTTP/1.1 answer in the gateway's error shape, for a socket Express never got. */
function plainAnswer(status: 400 | 431, message: string): string {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
  const reason = status === 431 ? "Request Header Fields Too Large" : "Bad Request";
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Opens the database, applies migrations, and serves GraphQL at /graphql, /healthz and /readyz. */
export async function startGateway(config: Config, log: Logger): Promise<Gateway> {
  const dataSource = createDataSource(config);
  await dataSource.initialize().catch((e: unknown) => Promise.reject(databaseFailure(e, config)));
  const applied = await runMigrations(dataSource, databaseKindOf(config)).catch(async (e: unknown) => {
    await dataSource.destroy().catch(() => undefined);
    throw e;
  });
  if (applied.length) log.info({ migrations: applied }, "migrations applied");
  const services = createServices(config, dataSource, log);
  await services.keyChanges.start();

  const app = express();
  app.disable("x-powered-by");
  app.use(requestScope);
  // /graphql is served by its own door (graphql-door.ts), everything else by Express.
  let graphql: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const httpServer = createServer((req, res) => (graphql && isGraphqlPath(req.url) ? graphql(req, res) : app(req, res)));
  const limits = queryLimits(config, services.tenantLimit);
  const documentCache = new DocumentCache();
  const schema = await buildGatewaySchema();
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.graphql.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    documentStore: documentCache,
    formatError: createErrorFormatter(),
    includeStacktraceInErrorResponses: false,
    // main.ts owns the signals: Apollo would otherwise re-raise SIGTERM after its own stop, killing the process mid-shutdown.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), requestLogPlugin(), metricsPlugin(services.metrics), ...limits.plugins],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/metrics", async (_req, res) => {
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });
  app.get("/readyz", async (_req, res) => {
    const ok = await isDatabaseReachable(dataSource);
    res.status(ok ? 200 : 503).json({ status: ok ? "ready" : "database unreachable" });
  });
  app.use("/admin", adminRouter());
  graphql = graphqlDoor({
    apollo,
    log,
    // Runs before Apollo parses anything: what is refused here was never parsed, validated or cached.
    contextFor: async (req, res, queryText, timing): Promise<Context> => {
      const token = bearerTokenOf(req.headers.authorization);
      if (!token) throw unauthenticated();
      const principal = await services.callerTokens.verify(token);
      await admitRequest(queryText, res, principal.tenant, { config, tenantLimit: services.tenantLimit });
      const requestLog = log.child({ requestId: requestIdOf(res), tenant: principal.tenant, sub: principal.sub });
      const github = services.githubSession(principal, requestLog, timing);
      res.once("close", () => github.end());
      // Past its budget and registered with the batcher, it waits its workspace's turn to be parsed and run.
      await services.turn(principal.tenant);
      return { principal, services, github, log: requestLog };
    },
  });

  const schemaFolder = schemaDir();
  app.use(
    mcpRouter({
      config,
      tenantLimit: services.tenantLimit,
      callerTokens: services.callerTokens,
      tools: operationTools(readNamedOperations(join(schemaFolder, "operations")), schema),
      run: operationRunner(apollo, services),
      log,
      version: (JSON.parse(readFileSync(join(dirname(schemaFolder), "package.json"), "utf8")) as { version: string }).version,
    }),
  );

  app.use(siteRouter());

  // Every other path: Express would answer with an HTML page.
  app.use((_req: express.Request, res: express.Response) => {
    res.status(404).json({ errors: [{ message: "Not found: the gateway serves /graphql, /mcp, /explorer, /admin, /healthz, /readyz and /metrics; / lists them.", extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
  });

  // Express answers body errors (bad JSON, too large) with an HTML page and a stack trace; answer
  // them in GraphQL's shape instead, with the contract's code and nothing about the server.
  app.use((err: { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const { status, message, code } = bodyErrorAnswer(err);
    if (status >= 500) log.error({ err, requestId: requestIdOf(res) }, "request failed outside GraphQL");
    answerError(res, status, message, code);
  });

  // Requests Node refuses before Express sees them (headers over 16 kB, malformed HTTP): Node would
  // answer with a bare status line; answer in the same JSON shape as everything else.
  httpServer.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (err.code === "ECONNRESET" || !socket.writable) return socket.destroy();
    const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
    socket.end(plainAnswer(tooLarge ? 431 : 400, tooLarge ? "The request's headers are too large (at most 16 kB)." : "The request is not valid HTTP."));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    // Nothing was served: close what was opened, so the process can exit with the one-line reason.
    await apollo.stop().catch(() => undefined);
    services.close();
    await services.keyChanges.stop();
    await dataSource.destroy().catch(() => undefined);
    throw listenFailure(e, config);
  }
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url: `${url}/graphql`, database: databaseKindOf(config), github: config.githubApiUrl }, "gateway listening");

  return {
    url,
    httpServer,
    dataSource,
    services,
    documentCache,
    async stop() {
      await apollo.stop();
      services.close();
      await services.keyChanges.stop();
      await dataSource.destroy();
    },
  };
}
