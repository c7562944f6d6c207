import { Kind, parse, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import type { NamedOperation } from "../operations/named-operations";
import { inputSchemaOf, outputSchemaOf, type JsonSchema } from "./tool-schemas";

/** MCP's tool annotations (hints for the client; the gateway's own rules decide). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** One named operation of schema/operations/ as an MCP tool: everything but the operation's text is derived from it. */
export interface OperationTool {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  annotations: ToolAnnotations;
  /** The operation and the fragments it spreads, as the GraphQL door would receive them. */
  document: string;
}

/** The comment lines right above the operation (NamedOperation.text starts with them), as one sentence. */
function descriptionOf(op: NamedOperation): string {
  const lines: string[] = [];
  for (const line of op.text.split("\n")) {
    if (!line.startsWith("#")) break;
    lines.push(line.replace(/^#\s?/, "").trim());
  }
  return lines.join(" ") || `The ${op.name} operation (schema/operations/${op.file}).`;
}

/**
 * Each named operation becomes a tool, in name order (tools/list is stable): a query reads GitHub and
 * changes nothing, a mutation creates something each time it is called (not idempotent) and removes
 * nothing; every tool reaches GitHub, an open world.
 */
export function operationTools(operations: NamedOperation[], schema: GraphQLSchema): OperationTool[] {
  return operations
    .filter((op) => op.kind !== "subscription")
    .map((op) => {
      const document = parse(op.text);
      const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
      const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
      const readOnly = op.kind === "query";
      return {
        name: op.name,
        description: descriptionOf(op),
        inputSchema: inputSchemaOf(operation, schema),
        outputSchema: outputSchemaOf(operation, fragments, schema),
        annotations: readOnly ? { readOnlyHint: true, openWorldHint: true } : { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
        document: op.text,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

/** The README's table of tools (`npm run mcp-tools` prints it; a test keeps the README's copy current). */
export function toolsTable(tools: OperationTool[]): string {
  const rows = tools.map((t) => {
    const props = (t.inputSchema.properties ?? {}) as Record<string, unknown>;
    const required = new Set((t.inputSchema.required as string[] | undefined) ?? []);
    const args = Object.keys(props).map((name) => (required.has(name) ? name : `${name}?`)).join(", ");
    const kind = t.annotations.readOnlyHint ? "read-only" : "creates (not idempotent)";
    return `| \`${t.name}\` | ${args ? `\`${args}\`` : ""} | ${kind} | ${cell(t.description)} |`;
  });
  return ["| tool | arguments | kind | description (the operation's comment) |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
