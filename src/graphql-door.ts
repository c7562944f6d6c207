import { HeaderMap, type ApolloServer } from "@apollo/server";
import express from "express";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "./context";
import { ErrorCode } from "./errors";
import type { Logger } from "./logger";
import { assignRequestId, requestIdOf } from "./observability/request-scope";
import { RequestTiming } from "./observability/request-timing";

/** express.json's limit, kept: a body of more bytes is refused with 413 before it is parsed. */
export const MAX_BODY = "100kb";

/** The gateway's JSON error shape, for what is refused before Apollo (the body) or fails outside it. */
export function answerError(res: ServerResponse, status: number, message: string, code: ErrorCode): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** What body-parser's errors (bad JSON, too large, a charset or encoding it cannot read) become: the contract's code and nothing about the server. */
export function bodyErrorAnswer(err: { status?: number; type?: string }): { status: number; message: string; code: ErrorCode } {
  const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
  const message =
    err.type === "entity.parse.failed" ? "The request body is not valid JSON."
    : err.type === "entity.too.large" ? "The request body is too large (at most 100 kB)."
    : status < 500 ? "The request could not be read." : "Internal server error.";
  return { status, message, code: status < 500 ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL_SERVER_ERROR };
}

/** Whether a request is for /graphql (its query string aside): the door's, not Express's. */
export function isGraphqlPath(url: string | undefined): boolean {
  return url === "/graphql" || url?.startsWith("/graphql?") === true;
}

export interface GraphqlDoorOptions {
  apollo: ApolloServer<Context>;
  /** The request's context: the caller token, the budget, the GitHub session (server.ts). */
  contextFor: (req: IncomingMessage, res: ServerResponse, queryText: string, timing: RequestTiming) => Promise<Context>;
  log: Logger;
}

/**
 * /graphql from node:http straight into Apollo's own HTTP entry (`executeHTTPGraphQLRequest`, what every
 * Apollo integration calls), without Express: its router, request and response wrapping and `res.send`
 * (an ETag hashed over every answer) were about a third of the gateway's CPU per request at saturation
 * (bench/README.md). The body is still read by body-parser's `json` (Express's own, with its limit,
 * charsets, encodings and inflation limits), so what is refused and how is unchanged. Browsers asking
 * for a page are sent to the explorer, as before. Every answer says where its time went (Server-Timing,
 * observability/request-timing.ts).
 */
export function graphqlDoor(o: GraphqlDoorOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const readJson = express.json({ limit: MAX_BODY });
  const read = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<unknown>((resolve, reject) =>
      readJson(req as express.Request, res as express.Response, (err?: unknown) => (err ? reject(err as Error) : resolve((req as { body?: unknown }).body))),
    );

  return (req, res) => {
    const timing = new RequestTiming();
    assignRequestId(req, res);
    const search = req.url?.includes("?") ? req.url.slice(req.url.indexOf("?")) : "";
    const params = new URLSearchParams(search);
    // A browser opening /graphql gets the explorer instead of Apollo's landing page (which loads its sandbox
    // from a CDN); a GET that carries a query, or asks for JSON, still reaches Apollo.
    if (req.method === "GET" && (req.headers.accept ?? "").includes("text/html") && !params.has("query")) {
      res.writeHead(302, { location: "/explorer", "content-length": 0 });
      return void res.end();
    }
    void timing
      .time("body", read(req, res))
      .then(
        async (body) => {
          const headers = new HeaderMap();
          for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
          const fromBody = (body as { query?: unknown } | undefined)?.query;
          const queryText = typeof fromBody === "string" ? fromBody : (params.get("query") ?? "");
          const answer = await o.apollo.executeHTTPGraphQLRequest({
            httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search, body },
            context: () => timing.time("auth", o.contextFor(req, res, queryText, timing)),
          });
          for (const [name, value] of answer.headers) res.setHeader(name, value);
          res.setHeader("server-timing", timing.header());
          res.statusCode = answer.status ?? 200;
          if (answer.body.kind === "complete") {
            res.setHeader("content-length", Buffer.byteLength(answer.body.string));
            return void res.end(answer.body.string);
          }
          for await (const chunk of answer.body.asyncIterator) res.write(chunk);
          res.end();
        },
        (err: { status?: number; type?: string }) => {
          const { status, message, code } = bodyErrorAnswer(err);
          if (status >= 500) o.log.error({ err, requestId: requestIdOf(res) }, "request failed outside GraphQL");
          answerError(res, status, message, code);
        },
      )
      .catch((err: unknown) => {
        // Apollo answers every GraphQL failure itself; this is a fault of the door, logged in full.
        o.log.error({ err, requestId: requestIdOf(res) }, "request failed outside GraphQL");
        if (!res.headersSent) answerError(res, 500, "Internal server error.", ErrorCode.INTERNAL_SERVER_ERROR);
        else res.destroy();
      });
  };
}
