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

/**
 * A classic key not authorised for an organization that enforces SAML SSO, as fwouts/prmonitor#1042 and
 * jasperapp/jasper#187 show it: FORBIDDEN with `saml_failure: true` at the field, the rest of the data kept.
 */
export function samlForbidden(): GitHubResolverError {
  return new GitHubResolverError(
    "FORBIDDEN",
    "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.",
    { saml_failure: true },
  );
}

/** A heavy document (GitHub's docs, "Other resource limits"; yoshi389111/github-profile-3d-contrib#163). */
export function resourceLimitsExceeded(): GitHubResolverError {
  return new GitHubResolverError("RESOURCE_LIMITS_EXCEEDED", "Resource limits for this query exceeded.");
}

/** Content created too fast: the secondary limit as a mutation meets it (cli/cli#4801). */
export function submittedTooQuickly(): GitHubResolverError {
  return new GitHubResolverError("UNPROCESSABLE", "was submitted too quickly");
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
