import {
  getArgumentValues, getDirectiveValues, getNamedType, GraphQLIncludeDirective, GraphQLSkipDirective,
  isCompositeType, isInterfaceType, isObjectType, Kind, SchemaMetaFieldDef, TypeMetaFieldDef,
  type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField,
  type GraphQLSchema, type OperationDefinitionNode, type SelectionNode, type SelectionSetNode,
} from "graphql";
import type { GitHubErrorJson } from "./errors";

// GitHub's limits, checked after schema validation because they need the variables' values.
export const MAX_PAGE_SIZE = 100;
export const MAX_NODES = 500_000;
export const MAX_DEPTH = 25;

export interface OperationCost {
  /** Points charged: requests / 100 rounded, at least 1; a mutation 1. */
  cost: number;
  /** Requests needed to fill every connection as if full (nested connections multiply). */
  requests: number;
  /** The most nodes the query may return (rateLimit.nodeCount). */
  nodeCount: number;
  depth: number;
  isMutation: boolean;
  /** The document asks `rateLimit(dryRun: true)`: price it, charge nothing. */
  dryRun: boolean;
  /** Each field the operation selects, as `Type.field`, with where it first appears (for scope checks). */
  fields: ReadonlyMap<string, { line: number; column: number }>;
}

export type AnalysisResult = { ok: true; value: OperationCost } | { ok: false; errors: GitHubErrorJson[] };

type Vars = Record<string, unknown>;

function locationOf(node: FieldNode) {
  return node.loc ? [{ line: node.loc.startToken.line, column: node.loc.startToken.column }] : [];
}

function fieldDefOf(schema: GraphQLSchema, parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === SchemaMetaFieldDef.name && parent === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name && parent === schema.getQueryType()) return TypeMetaFieldDef;
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  return getNamedType(field.type).name.endsWith("Connection") && field.args.some((a) => a.name === "first" || a.name === "last");
}

class Analyzer {
  readonly errors: GitHubErrorJson[] = [];
  requests = 0;
  nodes = 0;
  depth = 0;
  dryRun = false;
  readonly fields = new Map<string, { line: number; column: number }>();
  private nodeLimitHit = false;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variables: Vars,
  ) {}

  walk(set: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, depth: number, path: string[]): void {
    for (const selection of set.selections) {
      if (!this.included(selection)) continue;
      if (selection.kind === Kind.FIELD) this.field(selection, parent, multiplier, depth + 1, path);
      else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : this.fragments.get(selection.name.value);
        if (!fragment) continue;
        const condition = fragment.typeCondition ? this.schema.getType(fragment.typeCondition.name.value) : parent;
        if (condition && isCompositeType(condition)) this.walk(fragment.selectionSet, condition, multiplier, depth, path);
      }
    }
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, multiplier: number, depth: number, path: string[]): void {
    this.depth = Math.max(this.depth, depth);
    const def = fieldDefOf(this.schema, parent, node.name.value);
    if (!def) return; // __typename
    const coordinate = `${parent.name}.${def.name}`;
    if (!this.fields.has(coordinate)) this.fields.set(coordinate, locationOf(node)[0] ?? { line: 0, column: 0 });
    const fieldPath = [...path, node.alias?.value ?? node.name.value];
    const args = getArgumentValues(def, node, this.variables);
    if (parent === this.schema.getQueryType() && def.name === "rateLimit" && args.dryRun === true) this.dryRun = true;
    let childMultiplier = multiplier;
    if (isConnection(def)) childMultiplier = this.connection(node, def.name, args, multiplier, fieldPath);
    const named = getNamedType(def.type);
    if (node.selectionSet && isCompositeType(named)) this.walk(node.selectionSet, named, childMultiplier, depth, fieldPath);
  }

  /** Checks `first`/`last`, counts the requests and nodes; returns the multiplier for nested connections. */
  private connection(node: FieldNode, name: string, args: Vars, multiplier: number, path: string[]): number {
    const first = typeof args.first === "number" ? args.first : undefined;
    const last = typeof args.last === "number" ? args.last : undefined;
    const at = { path, locations: locationOf(node) };
    for (const [argName, value] of [["first", first], ["last", last]] as const) {
      if (value === undefined) continue;
      if (value < 0) {
        this.errors.push({ type: "INVALID_PAGINATION", ...at, message: `\`${argName}\` on the connection cannot be less than zero.` });
      } else if (value > MAX_PAGE_SIZE) {
        this.errors.push({
          type: "EXCESSIVE_PAGINATION", ...at,
          message: `Requesting ${value} records on the \`${name}\` connection exceeds the \`${argName}\` limit of ${MAX_PAGE_SIZE} records.`,
        });
      }
    }
    // GitHub lets `issues { totalCount }` through; only asking for items needs a page size.
    if (first === undefined && last === undefined && node.selectionSet && this.selectsItems(node.selectionSet, new Set())) {
      this.errors.push({
        type: "MISSING_PAGINATION_BOUNDARIES", ...at,
        message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
      });
    }
    const size = Math.max(0, Math.min(first ?? last ?? 0, MAX_PAGE_SIZE));
    this.requests += multiplier;
    this.nodes += multiplier * size;
    if (this.nodes > MAX_NODES && !this.nodeLimitHit) {
      this.nodeLimitHit = true;
      this.errors.push({
        type: "MAX_NODE_LIMIT_EXCEEDED", ...at,
        message: `By the time this query traverses to the ${name} connection, it is requesting up to ${this.nodes.toLocaleString("en-US")} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString("en-US")}.`,
      });
    }
    return multiplier * size;
  }

  private selectsItems(set: SelectionSetNode, seen: Set<string>): boolean {
    return set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === "nodes" || s.name.value === "edges";
      if (s.kind === Kind.INLINE_FRAGMENT) return this.selectsItems(s.selectionSet, seen);
      const fragment = this.fragments.get(s.name.value);
      if (!fragment || seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return this.selectsItems(fragment.selectionSet, seen);
    });
  }

  private included(node: SelectionNode): boolean {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, this.variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, this.variables);
    return include?.if !== false;
  }
}

/** Applies GitHub's depth, pagination and node limits to one operation and prices it. */
export function analyzeOperation(
  schema: GraphQLSchema,
  fragments: readonly FragmentDefinitionNode[],
  operation: OperationDefinitionNode,
  variables: Vars,
): AnalysisResult {
  const root =
    operation.operation === "mutation" ? schema.getMutationType()
    : operation.operation === "subscription" ? schema.getSubscriptionType()
    : schema.getQueryType();
  if (!root) return { ok: false, errors: [{ message: `Schema is not configured for ${operation.operation}s.` }] };
  const analyzer = new Analyzer(schema, new Map(fragments.map((f) => [f.name.value, f])), variables);
  analyzer.walk(operation.selectionSet, root, 1, 0, []);
  if (analyzer.depth > MAX_DEPTH) {
    return { ok: false, errors: [{ message: `Query has depth of ${analyzer.depth}, which exceeds max depth of ${MAX_DEPTH}` }] };
  }
  if (analyzer.errors.length > 0) return { ok: false, errors: analyzer.errors };
  const isMutation = operation.operation === "mutation";
  return {
    ok: true,
    value: {
      cost: isMutation ? 1 : Math.max(1, Math.round(analyzer.requests / 100)),
      requests: analyzer.requests,
      nodeCount: analyzer.nodes,
      depth: analyzer.depth,
      isMutation,
      dryRun: analyzer.dryRun,
      fields: analyzer.fields,
    },
  };
}
