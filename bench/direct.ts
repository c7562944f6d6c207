import { graphql } from "@octokit/graphql";
import { DIRECT_ISSUE, DIRECT_PULL_REQUEST, directVariables, type Item } from "./world";

// The direct baseline: a client calling GitHub (here the emulator) itself with @octokit/graphql,
// one document per look-up, all of them at once as a client would fire them.

export type DirectClient = (item: Item) => Promise<void>;

interface IssueAnswer {
  repository: { issue?: { number: number } | null; pullRequest?: { number: number } | null } | null;
}

export function directClient(emulatorUrl: string, key: string): DirectClient {
  const gql = graphql.defaults({ baseUrl: emulatorUrl, headers: { authorization: `token ${key}` } });
  return async (item) => {
    const answer = await gql<IssueAnswer>(item.kind === "issue" ? DIRECT_ISSUE : DIRECT_PULL_REQUEST, directVariables(item));
    const found = item.kind === "issue" ? answer.repository?.issue : answer.repository?.pullRequest;
    if (found?.number !== item.number) throw new Error(`direct: ${item.repo}#${item.number} came back as ${JSON.stringify(answer)}`);
  };
}

/**
 * The HTTP request @octokit/graphql sends for one issue look-up (same path, headers and body), for
 * autocannon to send to the emulator. Octokit's own client-side time is left out, so this baseline
 * is, if anything, faster than a real Octokit client: the gateway's ratios are not flattered.
 */
export function directIssueRequest(key: string, item: Item): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      accept: "application/vnd.github.v3+json",
      authorization: `token ${key}`,
      "content-type": "application/json; charset=utf-8",
      "user-agent": "octokit-graphql.js/9.0.5 bench",
    },
    body: JSON.stringify({ query: DIRECT_ISSUE, variables: directVariables(item) }),
  };
}
