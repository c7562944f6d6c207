import {
  isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType, Kind, typeFromAST, valueFromASTUntyped,
  type FragmentDefinitionNode, type GraphQLInputType, type GraphQLObjectType, type GraphQLOutputType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from "graphql";

// A named operation's variables and selection, read as JSON Schema (draft 2020-12, which MCP's tool
// schemas use): a tool's inputSchema and outputSchema are derived from its operation, never written by hand.

export interface JsonSchema {
  [key: string]: unknown;
}

const SCALARS: Record<string, JsonSchema> = {
  String: { type: "string" },
  ID: { type: "string" },
  Int: { type: "integer", minimum: -2147483648, maximum: 2147483647 },
  Float: { type: "number" },
  Boolean: { type: "boolean" },
  DateTime: { type: "string", format: "date-time" },
};

/**
 * A GraphQL value that may be null is a JSON value that may be null, spelled as two single-`type` branches:
 * the form the MCP Inspector's --strict check finds portable to every client's schema dialect.
 */
const orNull = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: "null" }] });

const described = (schema: JsonSchema, description: string | null | undefined): JsonSchema => (description ? { ...schema, description } : schema);

/**
 * An argument's schema: its type alone, nullable or not. An argument that may be null is an optional one
 * (not in `required`): the gateway's operations read null and absent alike, and a single `type` is what
 * every client's schema dialect can map (the MCP Inspector's --strict check flags `["integer", "null"]`).
 */
function inputSchema(type: GraphQLInputType, depth = 0): JsonSchema {
  if (isNonNullType(type)) return inputSchema(type.ofType, depth);
  if (isListType(type)) return { type: "array", items: inputSchema(type.ofType, depth) };
  if (isEnumType(type)) {
    const values = type.getValues();
    const notes = values.filter((v) => v.description).map((v) => `${v.name}: ${v.description}`);
    return described({ type: "string", enum: values.map((v) => v.name) }, [type.description, ...notes].filter(Boolean).join(" ") || undefined);
  }
  if (isInputObjectType(type)) {
    // The gateway's input types do not nest themselves; the bound keeps a future one from recursing forever.
    if (depth > 8) return { type: "object" };
    const fields = Object.values(type.getFields());
    return described(
      {
        type: "object",
        properties: Object.fromEntries(fields.map((f) => [f.name, described(inputSchema(f.type, depth + 1), f.description)])),
        required: fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name),
        additionalProperties: false,
      },
      type.description,
    );
  }
  if (isScalarType(type)) return SCALARS[type.name] ?? {};
  return {};
}

/** The tool's arguments: one property per variable; required when non-null without a default. */
export function inputSchemaOf(operation: OperationDefinitionNode, schema: GraphQLSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const v of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, v.type as Parameters<typeof typeFromAST>[1]) as GraphQLInputType | undefined;
    if (!type) throw new Error(`operation ${operation.name?.value}: variable $${v.variable.name.value} has a type the schema lacks`);
    const name = v.variable.name.value;
    properties[name] = inputSchema(type);
    if (v.defaultValue) properties[name] = { ...properties[name], default: valueFromASTUntyped(v.defaultValue) };
    if (isNonNullType(type) && !v.defaultValue) required.push(name);
  }
  return { type: "object", properties, required, additionalProperties: false };
}

/** A selected field, by response key: `__typename`, or a field of the type with the selection sets under it. */
type Selected = { typename: true } | { typename?: false; type: GraphQLOutputType; sets: SelectionSetNode[]; description: string | null | undefined };

/** The fields a selection set selects on `type`, by response key, fragments and inline fragments merged in. */
function selectedFields(set: SelectionSetNode, type: GraphQLObjectType, fragments: Map<string, FragmentDefinitionNode>, out: Map<string, Selected>): void {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      const key = s.alias?.value ?? s.name.value;
      if (s.name.value === "__typename") {
        out.set(key, { typename: true });
        continue;
      }
      const field = type.getFields()[s.name.value];
      if (!field) throw new Error(`${type.name} has no field ${s.name.value}`);
      const entry = out.get(key);
      const sets = entry && !entry.typename ? entry.sets : [];
      if (s.selectionSet) sets.push(s.selectionSet);
      out.set(key, { type: field.type, sets, description: field.description });
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      // The gateway's types are objects without interfaces: a type condition can only name the type itself.
      selectedFields(s.selectionSet, type, fragments, out);
    } else {
      const fragment = fragments.get(s.name.value);
      if (fragment) selectedFields(fragment.selectionSet, type, fragments, out);
    }
  }
}

function outputSchema(type: GraphQLOutputType, sets: SelectionSetNode[], fragments: Map<string, FragmentDefinitionNode>): JsonSchema {
  if (isNonNullType(type)) return outputSchemaNonNull(type.ofType, sets, fragments);
  return orNull(outputSchemaNonNull(type, sets, fragments));
}

function outputSchemaNonNull(type: GraphQLOutputType, sets: SelectionSetNode[], fragments: Map<string, FragmentDefinitionNode>): JsonSchema {
  if (isNonNullType(type)) return outputSchemaNonNull(type.ofType, sets, fragments);
  if (isListType(type)) return { type: "array", items: outputSchema(type.ofType, sets, fragments) };
  if (isObjectType(type)) return objectSchema(type, sets, fragments);
  if (isEnumType(type)) return { type: "string", enum: type.getValues().map((v) => v.name) };
  // An output Int is whatever GitHub counted: an integer, with no bounds of the input's.
  if (isScalarType(type)) return type.name === "Int" ? { type: "integer" } : (SCALARS[type.name] ?? {});
  return {};
}

function objectSchema(type: GraphQLObjectType, sets: SelectionSetNode[], fragments: Map<string, FragmentDefinitionNode>): JsonSchema {
  const fields = new Map<string, Selected>();
  for (const set of sets) selectedFields(set, type, fragments, fields);
  const properties = [...fields].map(([key, f]) => [key, f.typename ? { type: "string", const: type.name } : described(outputSchema(f.type, f.sets, fragments), f.description)]);
  // GraphQL answers every selected field, null or not.
  return { type: "object", properties: Object.fromEntries(properties), required: [...fields.keys()], additionalProperties: false };
}

/** What the operation answers (its `data`): the tool's outputSchema, and the shape of its structuredContent. */
export function outputSchemaOf(operation: OperationDefinitionNode, fragments: FragmentDefinitionNode[], schema: GraphQLSchema): JsonSchema {
  const root = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!root) throw new Error(`the schema has no ${operation.operation} type`);
  return objectSchema(root, [operation.selectionSet], new Map(fragments.map((f) => [f.name.value, f])));
}
