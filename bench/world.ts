import { randomBytes, randomInt } from "node:crypto";
import { MAX_LOOKUPS_PER_DOCUMENT } from "../src/github/batch/execute-lookups";
import { CONNECTIONS_PER_ITEM } from "../src/github/github-points";
import { BENCH } from "../github-emulator/bench-data";

// What the bench asks for: the seeded world's items (github-emulator/bench-data.ts) and the
// gateway documents and direct GitHub documents that read them.

export const TENANT = "bench-workspace";
/** Case 7's other workspace, whose p50 the first one's bursts must not raise much. */
export const BYSTANDER_TENANT = "bench-bystander";
export const BOT_LOGIN = "bench-bot";
/** High enough that 100,000+ requests never exhaust it. */
export const RATE_LIMIT_PER_HOUR = 10_000_000;

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A classic key's shape: `ghp_` and 36 letters and digits. */
export function classicKey(): string {
  let text = "ghp_";
  for (let i = 0; i < 36; i += 1) text += ALNUM[randomInt(ALNUM.length)];
  return text;
}

export const credentialKeys = () => `bench:${randomBytes(32).toString("base64")}`;
export const jwtSecret = () => randomBytes(32).toString("hex");

export interface Item {
  kind: "issue" | "pullRequest";
  repo: string;
  number: number;
}

/**
 * The n items of a fan-out request: spread over the five repositories in turn, alternating issues
 * and pull requests per round (n = 250 reads 25 issues and 25 pull requests in each repository).
 */
export function fanoutItems(n: number): Item[] {
  const repos = BENCH.repos.length;
  return Array.from({ length: n }, (_, i) => {
    const round = Math.floor(i / repos);
    const kind = round % 2 === 0 ? "issue" : "pullRequest";
    const offset = Math.floor(round / 2);
    return { kind, repo: BENCH.repos[i % repos], number: (kind === "issue" ? BENCH.firstIssue : BENCH.firstPullRequest) + offset };
  });
}

/**
 * What GitHub charges for the gateway's documents of a fan-out, by its formula: each document of up to 100
 * look-ups costs its items' connections over 100, rounded, at least 1. Issues are asked without connections
 * (`number title`), pull requests with their review status (four connections each).
 */
export function formulaPoints(items: readonly Item[]): number {
  let points = 0;
  for (let i = 0; i < items.length; i += MAX_LOOKUPS_PER_DOCUMENT) {
    const prs = items.slice(i, i + MAX_LOOKUPS_PER_DOCUMENT).filter((item) => item.kind === "pullRequest").length;
    points += Math.max(1, Math.round((prs * CONNECTIONS_PER_ITEM.pullRequest) / 100));
  }
  return points;
}

/** Every seeded issue once (300): the per-issue requests of the load cases cycle through them. */
export function allIssues(): Item[] {
  return Array.from({ length: BENCH.repos.length * BENCH.issuesPerRepo }, (_, i) => ({
    kind: "issue",
    repo: BENCH.repos[i % BENCH.repos.length],
    number: BENCH.firstIssue + Math.floor(i / BENCH.repos.length),
  }));
}

/** Every seeded pull request once (300), spread over the repositories like allIssues; any 30 in a row cover the six review states. */
export function allPullRequests(): Item[] {
  return Array.from({ length: BENCH.repos.length * BENCH.pullRequestsPerRepo }, (_, i) => ({
    kind: "pullRequest",
    repo: BENCH.repos[i % BENCH.repos.length],
    number: BENCH.firstPullRequest + Math.floor(i / BENCH.repos.length),
  }));
}

const args = (item: Item) => `owner: "${BENCH.owner}", repo: "${item.repo}", number: ${item.number}`;

/** One gateway request for many items, as the assistant's orchestration sends it. */
export function fanoutQuery(items: readonly Item[]): string {
  const fields = items.map((item, i) =>
    item.kind === "issue" ? `a${i}: issue(${args(item)}) { number title }` : `a${i}: pullRequest(${args(item)}) { number title reviewStatus { summary } }`,
  );
  return `{ github { ${fields.join(" ")} rateLimit { cost remaining } } }`;
}

/** The assistant's per-issue request. */
export const issueQuery = (item: Item) => `{ github { issue(${args(item)}) { number title } } }`;

export function threadQuery(maxComments: number): string {
  const { repo, number } = BENCH.longThread;
  return `{ github { issueThread(owner: "${BENCH.owner}", repo: "${repo}", number: ${number}, maxComments: ${maxComments}) { totalComments truncated comments { id } } } }`;
}

export const CONNECT_MUTATION = "mutation($t: String!) { connectIntegration(input: { provider: GITHUB, token: $t }) { status } }";

/** What a client calling GitHub itself sends per look-up (the direct baseline). */
export const DIRECT_ISSUE = "query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { issue(number: $number) { number title } } }";
export const DIRECT_PULL_REQUEST =
  "query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { pullRequest(number: $number) { number title reviewDecision } } }";

export const directVariables = (item: Item) => ({ owner: BENCH.owner, name: item.repo, number: item.number });
