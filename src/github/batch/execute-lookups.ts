import { ErrorCode, GatewayError } from "../../errors";
import type { GitHubAnswer } from "../github-client";
import { forGraphQLError, toGatewayError } from "../github-errors";
import type { GitHubGraphQLError } from "../github-failures";
import type { GatewayRateLimitFieldsFragment } from "../generated/github-operations";
import { buildBatchDocument } from "./batch-document";
import type { AnyLookupResult, Lookup } from "./lookup";

/**
 * Look-ups per upstream document. GitHub documents no alias limit, but heavy documents come back
 * with "Resource limits for this query exceeded"; 100 keeps a document of pull requests (about 60
 * nodes each) far below the 500,000-node ceiling and its cost near 1-2 points.
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

const startsWith = (path: readonly (string | number)[], prefix: readonly string[]) => prefix.every((p, i) => path[i] === p);

function dig(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const key of path) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** The look-up an error belongs to: the one whose alias path is the longest prefix of the error's path. */
function ownerOf(error: GitHubGraphQLError, paths: string[][]): number {
  let owner = -1;
  paths.forEach((path, i) => {
    if (error.path && startsWith(error.path, path) && (owner < 0 || path.length > paths[owner].length)) owner = i;
  });
  return owner;
}

/** Routes an answer to its look-ups: each alias's error to its own key, the others resolve. */
function route(answer: GitHubAnswer<Record<string, unknown> | null>, paths: string[][], lookups: readonly Lookup[]): (AnyLookupResult | Error)[] {
  const headers = Object.fromEntries(answer.headers);
  const owners = answer.errors.map((e) => ownerOf(e, paths));
  return paths.map((path, i) => {
    // An error at the repository's alias fails every look-up inside it. One at an item's alias is that
    // item's alone, even when the repository itself is a look-up too (its path is a prefix of the item's).
    const error = answer.errors.find((e: GitHubGraphQLError, at) => e.path && (owners[at] === i || (e.path.length < path.length && startsWith(path, e.path.map(String)))));
    if (error) return forGraphQLError(error, headers);
    const value = dig(answer.data, path);
    if (value === null || value === undefined) {
      return new GatewayError(ErrorCode.GITHUB_NOT_FOUND, `GitHub found no ${lookups[i].kind} for this look-up.`);
    }
    return value as AnyLookupResult;
  });
}

/** Sends look-ups as aliased documents, MAX_LOOKUPS_PER_DOCUMENT to a document, the documents concurrently. */
export async function executeLookups(lookups: readonly Lookup[], send: SendDocument): Promise<LookupOutcome> {
  const chunks: Lookup[][] = [];
  for (let i = 0; i < lookups.length; i += MAX_LOOKUPS_PER_DOCUMENT) chunks.push(lookups.slice(i, i + MAX_LOOKUPS_PER_DOCUMENT));
  let rateLimit: GatewayRateLimitFieldsFragment | undefined;
  const answers = await Promise.all(
    chunks.map(async (chunk) => {
      const doc = buildBatchDocument(chunk);
      try {
        const answer = await send(doc.text, doc.variables, chunk.length);
        rateLimit = (answer.data?.rateLimit as GatewayRateLimitFieldsFragment | undefined) ?? rateLimit;
        return route(answer, doc.paths, chunk);
      } catch (e) {
        const error = toGatewayError(e);
        return chunk.map(() => error);
      }
    }),
  );
  return { results: answers.flat(), rateLimit };
}
