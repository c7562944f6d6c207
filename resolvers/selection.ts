import type { GraphQLResolveInfo, SelectionSetNode } from "graphql";
import type { Detail } from "../src/github/batch/lookup";

/** Fields that need an item's connections, which GitHub charges for: fetched only when selected. */
const ISSUE_CONNECTIONS = ["labels", "assignees", "commentCount"];
const PULL_REQUEST_CONNECTIONS = ["labels", "reviewStatus"];

/** Whether the caller's selection on this field (fragments included) asks for any of `names`. */
export function selectsAny(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const wanted = new Set(names);
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((s) => {
      // A connection's items are selected under `nodes`: look inside it as inside the field itself.
      if (s.kind === "Field") return wanted.has(s.name.value) || (s.name.value === "nodes" && visit(s.selectionSet));
      if (s.kind === "InlineFragment") return visit(s.selectionSet);
      return visit(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/** How much of an issue to fetch: its connections only when the caller selected one (on the field, or its connection's nodes). */
export const issueDetail = (info: GraphQLResolveInfo): Detail => (selectsAny(info, ISSUE_CONNECTIONS) ? "full" : "core");
export const pullRequestDetail = (info: GraphQLResolveInfo): Detail => (selectsAny(info, PULL_REQUEST_CONNECTIONS) ? "full" : "core");
