import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

interface RequestScope {
  requestId: string;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** A caller's own id is kept when it is short and plain, so a trace can cross services; otherwise one is made. */
const CALLER_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives every HTTP request an id (the `x-request-id` header, echoed back) and runs the rest of the
 * request inside its scope, so every log line written while serving it carries the id, whichever
 * logger wrote it.
 */
export function requestScope(req: Request, res: Response, next: NextFunction): void {
  const offered = req.headers["x-request-id"];
  const requestId = typeof offered === "string" && CALLER_ID.test(offered) ? offered : randomUUID();
  res.setHeader("x-request-id", requestId);
  scope.run({ requestId }, next);
}

/** The current request's fields for a log line (pino's mixin); none outside a request. */
export function currentRequestFields(): Partial<RequestScope> {
  const current = scope.getStore();
  return current ? { requestId: current.requestId } : {};
}
