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
  /** A label by name, whatever its case: the repository's labels whose name or description contains it. */
  | { kind: "label"; owner: string; repo: string; name: string }
  /** The repository's labels by name (the first 100), to suggest the nearest names for one that does not exist. */
  | { kind: "labels"; owner: string; repo: string }
  | { kind: "user"; login: string };

export interface RepositoryNode {
  id: string;
  nameWithOwner: string;
}
export interface LabelNode {
  id: string;
  name: string;
}
/** What `labels(first:, query:)` answers: GitHub matches names case-insensitively there, unlike `label(name:)`. */
export interface LabelList {
  nodes: (LabelNode | null)[] | null;
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
      : L extends { kind: "label" | "labels" }
        ? LabelList
        : UserNode;

export type AnyLookupResult = GatewayIssueCoreFragment | GatewayIssueFieldsFragment | GatewayPullRequestCoreFragment | GatewayPullRequestFieldsFragment | ThreadNode | RepositoryNode | LabelList | UserNode;

/** GitHub compares owner, repository, label and user names without regard to case. */
export function lookupCacheKey(l: Lookup): string {
  switch (l.kind) {
    case "user":
      return JSON.stringify([l.kind, l.login.toLowerCase()]);
    case "repository":
    case "labels":
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase()]);
    case "label":
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase(), l.name.toLowerCase()]);
    case "thread":
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase(), l.number]);
    default:
      return JSON.stringify([l.kind, l.owner.toLowerCase(), l.repo.toLowerCase(), l.number, l.detail]);
  }
}
