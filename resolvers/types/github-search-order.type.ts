import { registerEnumType } from "type-graphql";

/**
 * The order of a search's results; the names say what GitHub's `sort:` qualifiers do (item-search.ts).
 * A const object, as GitHubIssueState, so that the search takes its type as a plain union.
 */
export const GitHubSearchOrder = {
  NEWEST: "NEWEST",
  OLDEST: "OLDEST",
  RECENTLY_UPDATED: "RECENTLY_UPDATED",
  LEAST_RECENTLY_UPDATED: "LEAST_RECENTLY_UPDATED",
  MOST_COMMENTED: "MOST_COMMENTED",
  BEST_MATCH: "BEST_MATCH",
} as const;
export type GitHubSearchOrder = (typeof GitHubSearchOrder)[keyof typeof GitHubSearchOrder];
registerEnumType(GitHubSearchOrder, {
  name: "GitHubSearchOrder",
  description: "NEWEST: created, newest first (sort:created-desc), the default. BEST_MATCH: GitHub's relevance order, which is no order of dates.",
});
