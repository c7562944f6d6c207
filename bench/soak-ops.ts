import { BENCH } from "../github-emulator/bench-data";
import type { GraphqlAnswer } from "./gateway-client";

// The soak's operation mix (what the assistant, the app builder and the admin card send) and how an
// answer is judged: a success, an expected error (GitHub down or limited, or the gateway's own
// per-tenant limit) or an unexpected one (anything else, which fails the run).

export type OpName = "issuesBatch" | "missingInBatch" | "searchIssues" | "reviewStatus" | "issueThread" | "card" | "createIssue";

export interface Op {
  name: OpName;
  /** The admin card reads with the admin's token; everything else is the assistant's service token. */
  role: "admin" | "service";
  query: string;
  variables?: Record<string, string | number>;
  /** Whether it reaches GitHub (the card does not: it must succeed whatever GitHub does). */
  upstream: boolean;
  /** The alias asked for on purpose with a number that does not exist. */
  missingAlias?: string;
}

/** Weights of the reads; one request in MUTATION_EVERY is a createGitHubIssue instead. */
const MIX: ReadonlyArray<[OpName, number]> = [
  ["issuesBatch", 30],
  ["reviewStatus", 20],
  ["searchIssues", 15],
  ["card", 15],
  ["issueThread", 13],
  ["missingInBatch", 7],
];
export const MUTATION_EVERY = 400;
const MISSING_NUMBER = 999;

/** Codes a request to GitHub may answer while GitHub (or the gateway's own limit) says no. */
export const EXPECTED_CODES: readonly string[] = ["GITHUB_UNAVAILABLE", "GITHUB_RATE_LIMITED", "GATEWAY_RATE_LIMITED"];
/** The card reads only the database: the gateway's own limit is the one refusal it may answer. */
const CARD_EXPECTED_CODES: readonly string[] = ["GATEWAY_RATE_LIMITED"];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const repoOf = (random: () => number) => pick(random, BENCH.repos);
const issueNumber = (random: () => number) => BENCH.firstIssue + Math.floor(random() * BENCH.issuesPerRepo);
const prNumber = (random: () => number) => BENCH.firstPullRequest + Math.floor(random() * BENCH.pullRequestsPerRepo);

type Vars = Record<string, string | number>;

/**
 * A document with its arguments as variables, so each operation has one text however its items vary
 * (as a client built on generated operations sends them). `inline` writes the values into the text
 * instead (SOAK_INLINE_ARGUMENTS=1): nearly every document is then new to the gateway, which is how
 * its document cache (Apollo's, keyed by the text) can be watched filling up.
 */
function document(kind: "query" | "mutation", name: string, body: string, vars: Vars, inline: boolean): { query: string; variables?: Vars } {
  if (inline) return { query: `${kind === "mutation" ? "mutation " : ""}${body.replace(/\$(\w+)/g, (_, v: string) => JSON.stringify(vars[v]))}` };
  const defs = Object.entries(vars).map(([k, v]) => `$${k}: ${typeof v === "number" ? "Int!" : "String!"}`);
  return { query: `${kind} ${name}${defs.length ? `(${defs.join(", ")})` : ""} ${body}`, variables: vars };
}

/** n issue aliases i0..; their arguments go into `vars`. */
function issueAliases(random: () => number, n: number, vars: Vars): string {
  vars.owner = BENCH.owner;
  return Array.from({ length: n }, (_, k) => {
    vars[`r${k}`] = repoOf(random);
    vars[`n${k}`] = issueNumber(random);
    return `i${k}: issue(owner: $owner, repo: $r${k}, number: $n${k}) { number title state labels }`;
  }).join(" ");
}

export const OP_NAMES: readonly OpName[] = [...MIX.map(([name]) => name), "createIssue"];

/**
 * The i-th request of the run (its tenant is chosen by the caller); `only` narrows the mix (SOAK_OPS),
 * `inline` writes arguments into the text (see document()).
 */
export function opFor(i: number, random: () => number, only?: readonly OpName[], inline = false): Op {
  const mix = only ? MIX.filter(([name]) => only.includes(name)) : MIX;
  const service = (name: OpName, doc: { query: string; variables?: Vars }, missingAlias?: string): Op => ({ name, role: "service", upstream: true, ...doc, ...(missingAlias ? { missingAlias } : {}) });
  if ((i % MUTATION_EVERY === MUTATION_EVERY - 1 && (!only || only.includes("createIssue"))) || mix.length === 0) {
    const vars = { owner: BENCH.owner, repo: repoOf(random), title: `soak ${i}` };
    const body = '{ createGitHubIssue(input: { owner: $owner, repo: $repo, title: $title, body: "Opened by the soak run.", labels: ["bug"] }) { number } }';
    return service("createIssue", document("mutation", "SoakCreateIssue", body, vars, inline));
  }
  let roll = random() * mix.reduce((sum, [, w]) => sum + w, 0);
  const name = (mix.find(([, w]) => (roll -= w) < 0) ?? mix[0])[0];
  const vars: Vars = {};
  switch (name) {
    case "issuesBatch":
      return service(name, document("query", "SoakIssues", `{ github { ${issueAliases(random, 5, vars)} } }`, vars, inline));
    case "missingInBatch": {
      const aliases = issueAliases(random, 3, vars);
      Object.assign(vars, { missingRepo: repoOf(random), missingNumber: MISSING_NUMBER });
      const body = `{ github { ${aliases} missing: issue(owner: $owner, repo: $missingRepo, number: $missingNumber) { number } } }`;
      return service(name, document("query", "SoakIssuesWithMissing", body, vars, inline), "missing");
    }
    case "reviewStatus":
      Object.assign(vars, { owner: BENCH.owner, repo: repoOf(random), number: prNumber(random) });
      return service(name, document("query", "SoakReviewStatus", "{ github { pullRequest(owner: $owner, repo: $repo, number: $number) { number reviewStatus { decision checks summary } } } }", vars, inline));
    case "searchIssues":
      // Half name a repository; the other half use the owners the key can see (the gateway's search scope).
      vars.q = random() < 0.5 ? `repo:${BENCH.owner}/${repoOf(random)} is:open label:bug` : "is:open label:enhancement";
      return service(name, document("query", "SoakSearch", "{ github { searchIssues(query: $q, first: 10) { totalCount nodes { number title } } } }", vars, inline));
    case "issueThread":
      Object.assign(vars, { owner: BENCH.owner, repo: repoOf(random), number: random() < 0.5 ? issueNumber(random) : prNumber(random) });
      return service(name, document("query", "SoakThread", "{ github { issueThread(owner: $owner, repo: $repo, number: $number, maxComments: 20) { title totalComments comments { id } markdown } } }", vars, inline));
    case "card":
      return { name, role: "admin", upstream: false, query: "query SoakCard { integration { status keyFingerprint lastUsedAt } }" };
    default:
      throw new Error(`no operation ${String(name)}`);
  }
}

/** What came back: an HTTP status, or how the request failed before one. */
export type Transport = number | "client-timeout" | "connection-error" | "bad-body";

export type Outcome = "ok" | "expected" | "unexpected";

export interface Verdict {
  outcome: Outcome;
  /** Every error's extensions.code (NO_CODE when it has none). */
  codes: string[];
  /** Why an answer is unexpected. */
  reason?: string;
}

function dataComplete(op: Op, answer: GraphqlAnswer): boolean {
  const data = answer.data;
  if (!data) return false;
  if (op.name === "card") return data.integration !== null && data.integration !== undefined;
  if (op.name === "createIssue") return !!data.createGitHubIssue;
  const github = data.github as Record<string, unknown> | null | undefined;
  if (!github) return false;
  return Object.entries(github).every(([alias, value]) => alias === op.missingAlias || (value !== null && value !== undefined));
}

export function judge(op: Op, transport: Transport, answer: GraphqlAnswer | undefined): Verdict {
  if (typeof transport === "string") return { outcome: "unexpected", codes: [], reason: transport };
  const errors = answer?.errors ?? [];
  const codes = errors.map((e) => e.extensions?.code ?? "NO_CODE");
  const allowed = op.upstream ? EXPECTED_CODES : CARD_EXPECTED_CODES;
  let expected = 0;
  let purposeful = 0;
  for (const [k, e] of errors.entries()) {
    const path = (e as { path?: unknown[] }).path ?? [];
    if (codes[k] === "GITHUB_NOT_FOUND" && op.missingAlias && path.includes(op.missingAlias)) purposeful += 1;
    else if (allowed.includes(codes[k])) expected += 1;
    else return { outcome: "unexpected", codes, reason: `${codes[k]}: ${e.message.slice(0, 200)}` };
  }
  const limitedOnly = codes.length > 0 && codes.every((c) => c === "GATEWAY_RATE_LIMITED");
  if (transport !== 200 && !(transport === 429 && limitedOnly)) return { outcome: "unexpected", codes, reason: `HTTP ${transport}` };
  if (expected > 0) return { outcome: "expected", codes };
  if (!answer || !dataComplete(op, answer)) return { outcome: "unexpected", codes, reason: "no error and no data" };
  if (op.missingAlias && purposeful === 0) return { outcome: "unexpected", codes, reason: "the missing item came back without GITHUB_NOT_FOUND" };
  return { outcome: "ok", codes };
}
