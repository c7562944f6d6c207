import { signCallerToken } from "../src/auth/caller-token";
import { CONNECT_MUTATION, TENANT } from "./world";

// Single GraphQL requests to a gateway, with the tenant's caller tokens.

export interface GraphqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export interface Callers {
  admin: string;
  service: string;
}

export async function callers(secret: string, tenant = TENANT): Promise<Callers> {
  return {
    admin: await signCallerToken({ tenant, role: "admin", sub: `${tenant}-admin` }, secret),
    service: await signCallerToken({ tenant, role: "service", sub: `${tenant}-assistant` }, secret),
  };
}

export const gatewayHeaders = (token: string): Record<string, string> => ({ "content-type": "application/json", authorization: `Bearer ${token}` });

export async function postGraphql(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<GraphqlAnswer> {
  const response = await fetch(url, { method: "POST", headers: gatewayHeaders(token), body: JSON.stringify({ query, variables }) });
  const answer = (await response.json()) as GraphqlAnswer;
  if (!response.ok || answer.errors?.length) {
    throw new Error(`gateway answered HTTP ${response.status}: ${JSON.stringify(answer.errors ?? answer).slice(0, 500)}`);
  }
  return answer;
}

/** Connects the tenant's GitHub key through the gateway's own mutation (the key is checked upstream). */
export async function connectKey(url: string, admin: string, key: string): Promise<void> {
  const answer = await postGraphql(url, admin, CONNECT_MUTATION, { t: key });
  const status = (answer.data?.connectIntegration as { status?: string } | undefined)?.status;
  if (status !== "ACTIVE") throw new Error(`connectIntegration answered ${JSON.stringify(answer)}`);
}

/** The `github` object of an answer. */
export function githubOf(answer: GraphqlAnswer): Record<string, unknown> {
  const github = answer.data?.github;
  if (!github || typeof github !== "object") throw new Error(`no github in ${JSON.stringify(answer).slice(0, 300)}`);
  return github as Record<string, unknown>;
}
