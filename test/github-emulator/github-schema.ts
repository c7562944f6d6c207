import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

// @octokit/graphql-schema is ESM-only and Jest cannot resolve it, so its schema.json is read by path.
const SCHEMA_FILE = join("node_modules", "@octokit", "graphql-schema", "schema.json");

let cached: GraphQLSchema | undefined;

export function findSchemaJson(): string {
  for (const start of [process.cwd(), __dirname]) {
    let dir = start;
    for (;;) {
      const candidate = join(dir, SCHEMA_FILE);
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`GitHub emulator: cannot find ${SCHEMA_FILE} above ${process.cwd()} or ${__dirname}`);
}

function isIntrospection(value: unknown): value is IntrospectionQuery {
  return typeof value === "object" && value !== null && "__schema" in value;
}

/** GitHub's published schema, built once per process (the file is ~5 MB). */
export function gitHubSchema(): GraphQLSchema {
  if (cached) return cached;
  const raw: unknown = JSON.parse(readFileSync(findSchemaJson(), "utf8"));
  const wrapped = typeof raw === "object" && raw !== null && "data" in raw ? raw.data : raw;
  if (!isIntrospection(wrapped)) throw new Error("GitHub emulator: schema.json is not an introspection result");
  // GitHub's own schema: skip graphql-js's schema validation, which costs ~100 ms and finds nothing.
  cached = buildClientSchema(wrapped, { assumeValid: true });
  return cached;
}
