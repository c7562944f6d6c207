import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { operationTools, toolsTable, type OperationTool } from "../../src/mcp/operation-tools";
import { readNamedOperations, schemaDir } from "../../src/operations/named-operations";
import { buildGatewaySchema } from "../../src/schema";

// The MCP tools as derived from schema/operations/ and the gateway's schema: valid JSON Schemas, one tool per
// operation, and the README's table the same as what `npm run mcp-tools` prints.

describe("the MCP tools derived from the named operations", () => {
  let tools: OperationTool[];
  const operations = readNamedOperations(join(schemaDir(), "operations"));
  beforeAll(async () => {
    tools = operationTools(operations, await buildGatewaySchema());
  });

  it("are one per named operation, each with schemas a JSON Schema 2020-12 validator compiles", () => {
    expect(tools.map((t) => t.name).sort()).toEqual(operations.map((o) => o.name).sort());
    const ajv = new Ajv2020({ strict: true, strictRequired: false });
    addFormats(ajv);
    for (const t of tools) {
      expect(() => ajv.compile(t.inputSchema)).not.toThrow();
      expect(() => ajv.compile(t.outputSchema)).not.toThrow();
      // Every variable is an argument, and nothing else is.
      const op = operations.find((o) => o.name === t.name)!;
      expect(Object.keys(t.inputSchema.properties as object)).toEqual(op.variables.map((v) => v.name));
    }
  });

  it("carry the enum values and descriptions of the schema, and the variables' defaults", () => {
    const bugs = tools.find((t) => t.name === "OpenBugIssues")!;
    expect(bugs.inputSchema).toEqual({ type: "object", properties: { query: { type: "string", default: "is:open label:bug" } }, required: [], additionalProperties: false });
    const create = tools.find((t) => t.name === "CreateIssue")!;
    const input = (create.inputSchema.properties as Record<string, { properties: Record<string, { description?: string }> }>).input;
    expect(input.properties.labels.description).toMatch(/unknown one is BAD_USER_INPUT/);
    const review = tools.find((t) => t.name === "PullRequestReviewStatus")!;
    const github = (review.outputSchema.properties as Record<string, { properties: Record<string, { anyOf: { type: string; properties?: Record<string, unknown> }[] }> }>).github;
    // A nullable object: null when GitHub has no such pull request (with GITHUB_NOT_FOUND beside it).
    const [pullRequest, nothing] = github.properties.pullRequest.anyOf;
    expect(nothing).toEqual({ type: "null" });
    expect(pullRequest.properties!.state).toMatchObject({ type: "string", enum: ["OPEN", "CLOSED", "MERGED"] });
  });

  it("are listed in the README as npm run mcp-tools prints them", () => {
    const readme = readFileSync(join(schemaDir(), "..", "README.md"), "utf8");
    const block = /<!-- mcp-tools:start -->\n([\s\S]*?)\n<!-- mcp-tools:end -->/.exec(readme);
    expect(block).not.toBeNull();
    expect(block![1]).toEqual(toolsTable(tools));
  });
});
