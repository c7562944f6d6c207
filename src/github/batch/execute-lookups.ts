import { ErrorCode, GatewayError } from "../../errors";
import type { GitHubAnswer } from "../gate/github-http";
import { forGraphQLError, toGatewayError } from "../to-gateway-error";
import { dig, isFieldRefusal, type GitHubGraphQLError } from "../github-answer-errors";
import type { GatewayRateLimitFieldsFragment } from "../generated/github-operations";
import { buildBatchDocument } from "./batch-document";
import type { AnyLookupResult, Lookup } from "./lookup";

/**
 * Look-ups per upstream document. GitHub documents no alias limit, but heavy documents come back with
 * RESOURCE_LIMITS_EXCEEDED, and such a document is split and retried (below). By GitHub's formula each
 * look-up's connections count a request: 100 full pull requests (labels, latest reviews, review requests,
 * the head commit) are 400 requests, 4 points; 100 threads (the issue and pull request branches' eight
 * connections together) 8 points; items without connections nothing beyond the document's 1.
 */
export const MAX_LOOKUPS_PER_DOCUMENT = 100;

/** Sends one aliased document of `lookups` look-ups. */
export type SendDocument = (text: string, variables: Record<string, unknown>, lookups: number) => Promise<GitHubAnswer<Record<string, unknown> | null>>;

export interface LookupOutcome {
  /** One per look-up, in order: its object, or the error that belongs to it alone. */
  results: (AnyLookupResult | Error)[];
  /** The budget after the last document that answered. */
  rateLimit?: GatewayRateLimitFieldsFragment;
}

const RESOURCE_LIMITS = "RESOURCE_LIMITS_EXCEEDED";

/** One look-up's routed answer: its value, or its error as GitHub gave it (kept to tell a heavy document apart). */
type Routed = { value: AnyLookupResult } | { error: GitHubGraphQLError | GatewayError };

const startsWith = (path: readonly (string | number)[], prefix: readonly (string | number)[]) => prefix.length <= path.length && prefix.every((p, i) => path[i] === p);

/** The look-up an error belongs to: the one whose alias path is the longest prefix of the error's path. */
function ownerOf(error: GitHubGraphQLError, paths: string[][]): number {
  let owner = -1;
  paths.forEach((path, i) => {
    if (error.path && startsWith(error.path, path) && (owner < 0 || path.length > paths[owner].length)) owner = i;
  });
  return owner;
}

/**
 * Routes an answer to its look-ups: each alias's error to its own key, the others resolve. An error at a
 * repository's alias fails every look-up inside it; one at or inside an item's alias is that item's alone,
 * even when its repository is a look-up too. Inside an item that came back, a field the key may not read
 * (FORBIDDEN, its parent answered) leaves the item whole with that field null; any other error inside it
 * fails the item rather than answer it with a hole.
 */
function route(answer: GitHubAnswer<Record<string, unknown> | null>, paths: string[][], lookups: readonly Lookup[]): Routed[] {
  const owners = answer.errors.map((e) => ownerOf(e, paths));
  return paths.map((path, i) => {
    const value = dig(answer.data, path);
    const error = answer.errors.find((e, at) => {
      if (!e.path) return false;
      if (e.path.length < path.length) return startsWith(path, e.path); // an ancestor: the repository alias
      return owners[at] === i && !isFieldRefusal(e, answer.data);
    });
    if (error) return { error };
    if (value === null || value === undefined) {
      return { error: new GatewayError(ErrorCode.GITHUB_NOT_FOUND, `GitHub found no ${lookups[i].kind} for this look-up, or it is not granted to this key.`) };
    }
    return { value: value as AnyLookupResult };
  });
}

const isHeavy = (r: Routed) => "error" in r && !(r.error instanceof GatewayError) && r.error.type === RESOURCE_LIMITS;

/** A whole-document refusal for resource limits (`data: null`), thrown by the client. */
function heavyDocument(e: unknown): boolean {
  const errors = (e as { errors?: GitHubGraphQLError[] }).errors;
  return Array.isArray(errors) && errors.some((x) => x.type === RESOURCE_LIMITS);
}

const tooHeavyAlone = () =>
  new GatewayError(ErrorCode.GITHUB_UNAVAILABLE, "GitHub could not answer this look-up within its resource limits for one query, even on its own.", { reason: RESOURCE_LIMITS });

/**
 * Sends one document of look-ups. The look-ups GitHub answered RESOURCE_LIMITS_EXCEEDED for are sent
 * again in two halves, and so on down to one look-up per document: the rest of the answer is kept.
 */
async function executeChunk(chunk: readonly Lookup[], send: SendDocument, state: { rateLimit?: GatewayRateLimitFieldsFragment }): Promise<(AnyLookupResult | Error)[]> {
  const doc = buildBatchDocument(chunk);
  let routed: Routed[];
  let headers: Record<string, string> = {};
  try {
    const answer = await send(doc.text, doc.variables, chunk.length);
    state.rateLimit = (answer.data?.rateLimit as GatewayRateLimitFieldsFragment | undefined) ?? state.rateLimit;
    headers = Object.fromEntries(answer.headers);
    routed = route(answer, doc.paths, chunk);
  } catch (e) {
    if (!heavyDocument(e)) {
      const error = toGatewayError(e);
      return chunk.map(() => error);
    }
    routed = chunk.map(() => ({ error: { type: RESOURCE_LIMITS, message: "" } }));
  }
  const heavy = routed.flatMap((r, i) => (isHeavy(r) ? [i] : []));
  const retried = new Map<number, AnyLookupResult | Error>();
  if (heavy.length > 0 && chunk.length > 1) {
    const half = Math.ceil(heavy.length / 2);
    const parts = heavy.length === 1 ? [heavy] : [heavy.slice(0, half), heavy.slice(half)];
    const answers = await Promise.all(parts.map((part) => executeChunk(part.map((i) => chunk[i]), send, state)));
    parts.forEach((part, p) => part.forEach((i, k) => retried.set(i, answers[p][k])));
  }
  return routed.map((r, i) => {
    if (retried.has(i)) return retried.get(i)!;
    if ("value" in r) return r.value;
    if (r.error instanceof GatewayError) return r.error;
    return isHeavy(r) ? tooHeavyAlone() : forGraphQLError(r.error, headers);
  });
}

/** Sends look-ups as aliased documents, MAX_LOOKUPS_PER_DOCUMENT to a document, the documents concurrently. */
export async function executeLookups(lookups: readonly Lookup[], send: SendDocument): Promise<LookupOutcome> {
  const chunks: Lookup[][] = [];
  for (let i = 0; i < lookups.length; i += MAX_LOOKUPS_PER_DOCUMENT) chunks.push(lookups.slice(i, i + MAX_LOOKUPS_PER_DOCUMENT));
  const state: { rateLimit?: GatewayRateLimitFieldsFragment } = {};
  const answers = await Promise.all(chunks.map((chunk) => executeChunk(chunk, send, state)));
  return { results: answers.flat(), rateLimit: state.rateLimit };
}
