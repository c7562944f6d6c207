import "reflect-metadata";
import { resolve } from "node:path";
import { buildGatewaySchema } from "../schema";
import { runCli } from "./args";

/** `npm run schema`: writes schema/schema.graphql from the code (a test fails when the committed file differs). */
void runCli(async () => {
  const file = resolve(__dirname, "../../../schema/schema.graphql");
  await buildGatewaySchema(file);
  process.stdout.write(`wrote ${file}\n`);
});
