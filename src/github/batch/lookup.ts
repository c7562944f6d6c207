import type {
  GatewayIssueCoreFragment,
  GatewayIssueFieldsFragment,
  GatewayPullRequestCoreFragment,
  GatewayPullRequestFieldsFragment,
  GatewayThreadIssueFragment,
  GatewayThreadPullRequestFragment,
} from "../generated/github-operations";

/** One thing a resolver wants from GitHub. Many of them, from one request, share one upstream document. */
/**
 * `core` leaves out an item's connections (labels, assignees, reviews, checks): GitHub charges for
 * each connection of each item, so a look-up fetches them only when the caller asked for them.
 */
export type Detail = "core" | "full";

export type Lookup =
  | { kind: "issue"; owner: string; repo: string; number: number; detail: Detail }
  | { kind: "pullRequest"; owner: string; repo: string; number: number; detail: Detail }
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

export type AnyLookupResult = GatewayIssueCoreFragment | GatewayIssueFieldsFragment | GatewayPullRequestCoreFragment | GatewayPullRequestFieldsFragment | ThreadNode | RepositoryNode | LabelNode | UserNode;

/** GitHub compares owner, repository, label and user names without regard to case. */
export function lookupCacheKey(l: Lookup): string {
  switch (l.kind) {
    case "user":
      return JSON.stringify([l.kind, l.login.toLowerCase()]);
    case "repository":
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase()]);
    case "label":
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase(), l.name.toLowerCase()]);
    case "thread":
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase(), l.number]);
    default:
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase(), l.number, l.detail]);
  }
}
