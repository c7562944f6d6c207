// Helpers shared by the emulator's own tests (test/integration/github-emulator*.test.ts): the real
// @octokit/graphql client and raw fetch against a running emulator.
import { graphql, GraphqlResponseError } from "@octokit/graphql";
import type { GitHubEmulator } from "./types";

export interface RawBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ type?: string; message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
  message?: string;
}

export function octokitClient(emulator: GitHubEmulator, token: string, baseUrl = emulator.url) {
  const seen: { headers?: Headers } = {};
  const gql = graphql.defaults({
    baseUrl,
    headers: { authorization: `token ${token}` },
    request: {
      fetch: async (url: string, init?: RequestInit) => {
        const response = await fetch(url, init);
        seen.headers = response.headers;
        return response;
      },
    },
  });
  return { gql, seen };
}

export async function postGraphql(
  emulator: GitHubEmulator,
  body: { query: string; variables?: Record<string, unknown> },
  token?: string,
): Promise<{ status: number; headers: Headers; json: RawBody }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `bearer ${token}`;
  const response = await fetch(emulator.graphqlUrl, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as RawBody };
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

export async function graphqlFailure(promise: Promise<unknown>): Promise<GraphqlResponseError<unknown>> {
  const error = await rejection(promise);
  if (!(error instanceof GraphqlResponseError)) throw error;
  return error;
}

/** A fixed Wednesday, so "this week" (from Monday 2026-11-16) is the same on every run. */
export const SAMPLE_NOW = new Date("2026-11-18T12:00:00Z");
