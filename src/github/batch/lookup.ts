import type {
  GatewayIssueFieldsFragment,
  GatewayPullRequestFieldsFragment,
  GatewayThreadIssueFragment,
  GatewayThreadPullRequestFragment,
} from "../generated/github-operations";

/** One thing a resolver wants from GitHub. Many of them, from one request, share one upstream document. */
export type Lookup =
  | { kind: "issue"; owner: string; repo: string; number: number }
  | { kind: "pullRequest"; owner: string; repo: string; number: number }
  | { kind: "thread"; owner: string; repo: string; number: number }
  | { kind: "repository"; owner: string; repo: string }
  | { kind: "label"; owner: string; repo: string; name: string }
  | { kind: "user"; login: string };

export interface RepositoryNode {
  id: string;
  nameWithOwner: string;
}
export interface LabelNode {
  id: string;
  name: string;
}
export interface UserNode {
  id: string;
  login: string;
}

export type ThreadNode = ({ __typename: "Issue" } & GatewayThreadIssueFragment) | ({ __typename: "PullRequest" } & GatewayThreadPullRequestFragment);

export type LookupResult<L extends Lookup> = L extends { kind: "thread" }
  ? ThreadNode
  : L extends { kind: "issue" }
  ? GatewayIssueFieldsFragment
  : L extends { kind: "pullRequest" }
    ? GatewayPullRequestFieldsFragment
    : L extends { kind: "repository" }
      ? RepositoryNode
      : L extends { kind: "label" }
        ? LabelNode
        : UserNode;

export type AnyLookupResult = GatewayIssueFieldsFragment | GatewayPullRequestFieldsFragment | ThreadNode | RepositoryNode | LabelNode | UserNode;

/** GitHub compares owner, repository, label and user names without regard to case. */
export function lookupCacheKey(l: Lookup): string {
  switch (l.kind) {
    case "user":
      return JSON.stringify([l.kind, l.login.toLowerCase()]);
    case "repository":
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase()]);
    case "label":
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase(), l.name.toLowerCase()]);
    default:
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase(), l.number]);
  }
}
