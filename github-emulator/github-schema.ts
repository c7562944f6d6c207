import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildClientSchema, buildSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

// Two schemas, as the project's upstream documents must be valid on both (schema/github-schema/README.md):
// GitHub's schema of 2026-07-24, vendored in the repository, which github.com answers by; and the npm
// package @octokit/graphql-schema (GitHub's schema of 2025-02-27), standing for Enterprise Server
// releases that lag behind. The package is ESM-only and Jest cannot resolve it, so its schema.json is
// read by path.
const CURRENT_FILE = join("schema", "github-schema", "github-2026-07-24.graphql");
const NPM_FILE = join("node_modules", "@octokit", "graphql-schema", "schema.json");

export interface GitHubSchemas {
  /** GitHub's schema as of 2026-07-24: documents execute against it. */
  current: GraphQLSchema;
  /** The npm package's schema (2025-02-27): documents must validate against it too. */
  npm: GraphQLSchema;
}

let cached: GitHubSchemas | undefined;

/** Finds `relative` in the working directory or above this file (a build runs from dist/). */
function findUp(relative: string): string {
  for (const start of [process.cwd(), __dirname]) {
    let dir = start;
    for (;;) {
      const candidate = join(dir, relative);
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`GitHub emulator: cannot find ${relative} above ${process.cwd()} or ${__dirname}`);
}

export const findSchemaJson = (): string => findUp(NPM_FILE);
export const findCurrentSchema = (): string => findUp(CURRENT_FILE);

function isIntrospection(value: unknown): value is IntrospectionQuery {
  return typeof value === "object" && value !== null && "__schema" in value;
}

function npmSchema(): GraphQLSchema {
  const raw: unknown = JSON.parse(readFileSync(findSchemaJson(), "utf8"));
  const wrapped = typeof raw === "object" && raw !== null && "data" in raw ? raw.data : raw;
  if (!isIntrospection(wrapped)) throw new Error("GitHub emulator: schema.json is not an introspection result");
  return buildClientSchema(wrapped, { assumeValid: true });
}

/**
 * Both of GitHub's schemas, built once per process (~0.8 s together). They are GitHub's own, so
 * graphql-js's schema validation, which finds nothing in them, is skipped.
 */
export function gitHubSchemas(): GitHubSchemas {
  cached ??= { current: buildSchema(readFileSync(findCurrentSchema(), "utf8"), { assumeValid: true }), npm: npmSchema() };
  return cached;
}

/** The schema documents execute against (github.com's, 2026). */
export function gitHubSchema(): GraphQLSchema {
  return gitHubSchemas().current;
}
