import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";

/** A caller's own id is kept when it is short and plain, so a trace can cross services; otherwise one is made. */
const CALLER_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives every HTTP request an id (the `x-request-id` header, echoed back). The request's logger carries
 * it (Context.log), so every line written while serving the request has it. Passed along explicitly,
 * not through AsyncLocalStorage: on Node 20 that turns on promise hooks for every promise, which cost
 * about 0.2 ms of CPU per request and 15% of throughput at saturation in the benchmark (bench/README.md).
 */
export function requestScope(req: Request, res: Response, next: NextFunction): void {
  assignRequestId(req, res);
  next();
}

const ids = new WeakMap<ServerResponse, string>();

/** The same for a request served without Express (/graphql, graphql-door.ts). */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const offered = req.headers["x-request-id"];
  const requestId = typeof offered === "string" && CALLER_ID.test(offered) ? offered : randomUUID();
  ids.set(res, requestId);
  res.setHeader("x-request-id", requestId);
  return requestId;
}

export const requestIdOf = (res: ServerResponse): string | undefined => ids.get(res);
