import { getNamedType, isObjectType, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import { Extensions } from "type-graphql";
import type { Detail } from "../src/github/batch/lookup";

/**
 * Marks a field of an item type whose value comes from the item's connections (labels, assignees,
 * comments, reviews), which GitHub charges for: the item is fetched in full only when such a field is
 * selected. Read from the schema by detailOf, so adding a field says its cost where it is declared.
 */
export const NeedsConnections = () => Extensions({ githubDetail: "full" });

/**
 * How much of an item to fetch for this field, from the parsed, validated operation and the schema's own
 * field definitions: "full" when the selection (fragments and nested objects included, a connection's
 * `nodes` too) reaches a field marked with NeedsConnections, else "core".
 */
export function detailOf(info: GraphQLResolveInfo): Detail {
  const visit = (set: SelectionSetNode | undefined, type: GraphQLObjectType): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === "Field") {
        const field = type.getFields()[s.name.value];
        if (!field) return false; // __typename
        if (field.extensions?.githubDetail === "full") return true;
        const fieldType = getNamedType(field.type);
        return isObjectType(fieldType) && visit(s.selectionSet, fieldType);
      }
      // Type conditions on these object types can only name the type itself (validation saw to it).
      if (s.kind === "InlineFragment") return visit(s.selectionSet, type);
      return visit(info.fragments[s.name.value]?.selectionSet, type);
    });
  const returned = getNamedType(info.returnType);
  return isObjectType(returned) && info.fieldNodes.some((node) => visit(node.selectionSet, returned)) ? "full" : "core";
}
