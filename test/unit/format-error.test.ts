import { GraphQLError } from "graphql";
import { createErrorFormatter, unexpectedErrorOf } from "../../src/format-error";
import { GatewayError } from "../../src/errors";

const KEY = "ghp_0123456789abcdefABCDEF0123456789wxyz";
const format = createErrorFormatter();

describe("formatError", () => {
  it("keeps a GatewayError's code and extras and drops its http status", () => {
    const e = new GatewayError("GITHUB_RATE_LIMITED", "spent", { retryAfter: 30 });
    const out = format({ message: "spent", extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["x"] } }, e);
    expect(out.extensions).toEqual({ code: "GITHUB_RATE_LIMITED", retryAfter: 30 });
  });

  it("never echoes a key that a caller sent with the wrong type", () => {
    const message = `Variable "$input" got invalid value ["${KEY}"] at "input.token"; String cannot represent a non string value: ["${KEY}"]`;
    const out = format({ message, extensions: { code: "BAD_USER_INPUT" } }, new GraphQLError(message));
    expect(out.message).toBe('Variable "$input" got an invalid value at "input.token".');
    expect(JSON.stringify(out)).not.toContain(KEY);
    const literal = `String cannot represent a non string value: ${KEY}`;
    expect(format({ message: literal, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }, new GraphQLError(literal)).message).not.toContain(KEY);
  });

  it("folds Apollo's validation codes into BAD_USER_INPUT and maps UNAUTHORIZED to FORBIDDEN", () => {
    const v = format({ message: "Cannot query field", extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }, new GraphQLError("x"));
    expect(v.extensions?.code).toBe("BAD_USER_INPUT");
    const a = format({ message: "Access denied", extensions: { code: "UNAUTHORIZED" } }, new GraphQLError("x"));
    expect(a.extensions?.code).toBe("FORBIDDEN");
  });

  it("hides an unexpected error's message, and tells it apart (for the request's log) from the caller's mistakes", () => {
    const boom = new Error("db exploded");
    const out = format({ message: `boom ${KEY}`, extensions: { code: "INTERNAL_SERVER_ERROR" } }, boom);
    expect(out).toEqual({ message: "Internal server error.", locations: undefined, path: undefined, extensions: { code: "INTERNAL_SERVER_ERROR" } });
    expect(unexpectedErrorOf(boom)).toBe(boom);
    expect(unexpectedErrorOf(new GatewayError("GITHUB_NOT_FOUND", "no such issue"))).toBeUndefined();
    expect(unexpectedErrorOf(new GraphQLError("Cannot query field", { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }))).toBeUndefined();
    const internal = new GatewayError("INTERNAL_SERVER_ERROR", "stored key damaged", {}, boom);
    expect(unexpectedErrorOf(internal)).toBe(boom);
  });
});
