import type { GraphQLError } from "graphql";

/** One entry of a GraphQL `errors` array as GitHub writes it (`type` sits beside `message`). */
export interface GitHubErrorJson {
  type?: string;
  code?: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  message: string;
  extensions?: Record<string, unknown>;
}

/** Thrown by a resolver to produce an error with GitHub's `type`, e.g. NOT_FOUND. */
export class GitHubResolverError extends Error {
  constructor(readonly type: string, message: string, readonly extensions?: Record<string, unknown>) {
    super(message);
  }
}

export function notFound(message: string): GitHubResolverError {
  return new GitHubResolverError("NOT_FOUND", message);
}

export const NOT_ACCESSIBLE = "Resource not accessible by personal access token";

/** GitHub's answer to a key without the permission: `type: "FORBIDDEN"` with `extensions.saml_failure`. */
export function forbidden(message = NOT_ACCESSIBLE): GitHubResolverError {
  return new GitHubResolverError("FORBIDDEN", message, { saml_failure: false });
}

export function formatExecutionError(error: GraphQLError): GitHubErrorJson {
  const out: GitHubErrorJson = { message: error.message };
  const original = error.originalError;
  if (original instanceof GitHubResolverError) out.type = original.type;
  if (error.path) out.path = error.path;
  if (original instanceof GitHubResolverError && original.extensions) out.extensions = original.extensions;
  if (error.locations) out.locations = error.locations;
  return out;
}

// GitHub runs graphql-ruby, whose wording differs from graphql-js. The messages clients most often
// meet are rewritten to GitHub's text and `extensions.code`; the rest keep graphql-js's wording.
const REWRITES: Array<{ pattern: RegExp; rewrite: (m: RegExpMatchArray) => Omit<GitHubErrorJson, "locations"> }> = [
  {
    pattern: /^Cannot query field "([^"]+)" on type "([^"]+)"\./,
    rewrite: ([, field, type]) => ({
      message: `Field '${field}' doesn't exist on type '${type}'`,
      extensions: { code: "undefinedField", typeName: type, fieldName: field },
    }),
  },
  {
    pattern: /^Unknown argument "([^"]+)" on field "[^".]+\.([^"]+)"\./,
    rewrite: ([, argument, field]) => ({
      message: `Field '${field}' doesn't accept argument '${argument}'`,
      extensions: { code: "argumentNotAccepted", name: field, typeName: "Field", argumentName: argument },
    }),
  },
  {
    pattern: /^Field "([^"]+)" argument "([^"]+)" of type "[^"]+" is required, but it was not provided\./,
    rewrite: ([, field, argument]) => ({
      message: `Field '${field}' is missing required arguments: ${argument}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: field, arguments: argument },
    }),
  },
];

export function formatValidationError(error: GraphQLError): GitHubErrorJson {
  const locations = error.locations ? { locations: error.locations } : {};
  for (const { pattern, rewrite } of REWRITES) {
    const match = error.message.match(pattern);
    if (match) return { ...rewrite(match), ...locations };
  }
  return { message: error.message, ...locations };
}
