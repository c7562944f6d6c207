import {
  buildSchema, isEnumType, isInputObjectType, isInputType, isListType, isNonNullType, isScalarType, Kind, parse, parseConstValue, print,
  TokenKind, valueFromASTUntyped, visit, type DefinitionNode, type FragmentDefinitionNode, type GraphQLInputType, type GraphQLSchema,
  type OperationDefinitionNode, type Token,
} from "graphql";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface OperationVariable {
  name: string;
  /** As written, e.g. `String!`. */
  type: string;
  /** As written, e.g. `"is:open label:bug"`; absent when the variable has none. */
  defaultValue?: string;
}

export interface NamedOperation {
  name: string;
  kind: "query" | "mutation" | "subscription";
  file: string;
  /** The operation's own text with the comment lines just above it (and any fragments it spreads). */
  text: string;
  variables: OperationVariable[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The comment lines directly above a definition (no blank line between), each alone on its line. */
function leadingComments(node: DefinitionNode): string {
  const lines: string[] = [];
  let next: Token | undefined = node.loc?.startToken;
  for (let t = next?.prev; t && t.kind === TokenKind.COMMENT && next && t.line === next.line - 1 && t.prev?.line !== t.line; t = t.prev) {
    lines.unshift(`#${t.value}`);
    next = t;
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

const sourceOf = (node: DefinitionNode): string => (node.loc ? node.loc.source.body.slice(node.loc.start, node.loc.end) : print(node));

/** The fragments an operation spreads, directly or through other fragments, in file order. */
function fragmentsOf(op: OperationDefinitionNode, fragments: FragmentDefinitionNode[]): FragmentDefinitionNode[] {
  const byName = new Map(fragments.map((f) => [f.name.value, f]));
  const used = new Set<string>();
  const walk = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const f = byName.get(spread.name.value);
        if (f && !used.has(f.name.value)) {
          used.add(f.name.value);
          walk(f);
        }
      },
    });
  walk(op);
  return fragments.filter((f) => used.has(f.name.value));
}

/**
 * The named operations of schema/operations/*.graphql (the assistant's and the app builder's requests),
 * read once: the explorer's examples and what `npm run op` sends. A file that does not parse stops the
 * gateway at start, like a bad schema.
 */
export function readNamedOperations(dir: string): NamedOperation[] {
  const operations: NamedOperation[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".graphql")).sort()) {
    const document = parse(readFileSync(join(dir, file), "utf8"));
    const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
    for (const def of document.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION || !def.name) continue;
      const parts = [leadingComments(def) + sourceOf(def), ...fragmentsOf(def, fragments).map((f) => leadingComments(f) + sourceOf(f))];
      operations.push({
        name: def.name.value,
        kind: def.operation,
        file,
        text: `${parts.join("\n\n")}\n`,
        variables: (def.variableDefinitions ?? []).map((v) => ({
          name: v.variable.name.value,
          type: print(v.type),
          ...(v.defaultValue ? { defaultValue: print(v.defaultValue) } : {}),
        })),
      });
    }
  }
  return operations;
}

/**
 * The project's schema/ folder, found upwards from here: this module runs as src/... under ts-jest and as
 * dist/src/... once built, and schema/ is not compiled.
 */
export function schemaDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "schema", "operations"))) return join(dir, "schema");
    if (dirname(dir) === dir) throw new Error(`no schema/operations above ${from}`);
  }
}

/** The gateway's schema as committed (schema/schema.graphql), for the input types' fields; none if unreadable. */
export function readSchema(file: string): GraphQLSchema | undefined {
  try {
    return buildSchema(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** A value to overwrite for a required input of this type: empty text, zero, the first enum value, a week ago. */
function placeholder(type: GraphQLInputType, now: Date, depth: number): Json {
  if (isNonNullType(type)) return placeholder(type.ofType, now, depth);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]?.name ?? null;
  if (isInputObjectType(type)) {
    if (depth > 4) return {};
    const out: { [key: string]: Json } = {};
    for (const field of Object.values(type.getFields())) {
      out[field.name] = field.defaultValue !== undefined ? (field.defaultValue as Json) : isNonNullType(field.type) ? placeholder(field.type, now, depth + 1) : null;
    }
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case "Int":
      case "Float":
        return 0;
      case "Boolean":
        return false;
      case "DateTime":
        return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 7)).toISOString();
      default:
        return "";
    }
  }
  return null;
}

/**
 * Variables to start from: a default as declared, null for an optional one (null means "not given"),
 * and a placeholder for a required one, input objects spelled out field by field from the schema.
 */
export function sampleVariables(op: NamedOperation, schema: GraphQLSchema | undefined, now: Date = new Date()): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const v of op.variables) {
    if (v.defaultValue !== undefined) {
      out[v.name] = valueFromASTUntyped(parseConstValue(v.defaultValue)) as Json;
      continue;
    }
    const required = v.type.endsWith("!");
    const named = schema?.getType(v.type.replace(/[[\]!]/g, ""));
    if (!required) out[v.name] = null;
    else if (v.type.startsWith("[")) out[v.name] = [];
    else out[v.name] = named && isInputType(named) ? placeholder(named, now, 0) : "";
  }
  return out;
}
