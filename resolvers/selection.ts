import type { GraphQLResolveInfo, SelectionSetNode } from "graphql";

/** Whether the caller's selection on this field (fragments included) asks for any of `names`. */
export function selectsAny(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const wanted = new Set(names);
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === "Field") return wanted.has(s.name.value);
      if (s.kind === "InlineFragment") return visit(s.selectionSet);
      return visit(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
