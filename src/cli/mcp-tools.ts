import "reflect-metadata";
import { join } from "node:path";
import { operationTools, toolsTable } from "../mcp/operation-tools";
import { readNamedOperations, schemaDir } from "../operations/named-operations";
import { buildGatewaySchema } from "../schema";
import { runCli } from "./args";

/** `npm run mcp-tools`: the MCP door's tools, derived from schema/operations/, as the README's table. */
void runCli(async () => {
  const tools = operationTools(readNamedOperations(join(schemaDir(), "operations")), await buildGatewaySchema());
  process.stdout.write(`${toolsTable(tools)}\n`);
});
