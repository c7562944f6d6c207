import { GatewayError } from "../../src/errors";
import { GitHubTokenType } from "../../entities/integration-enums";
import { checkKeyShape, fingerprintOf } from "../../src/integrations/key-shape";
import { parseExpiration, parseScopes } from "../../src/github/key-headers";

function codeOf(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (e) {
    return { code: (e as GatewayError).code, message: (e as Error).message };
  }
  return { message: "no error" };
}

describe("key shape", () => {
  it("recognises fine-grained and classic personal access tokens", () => {
    expect(checkKeyShape("github_pat_11ABCDEFG0123456789_abcdefXYZ").tokenType).toBe(GitHubTokenType.FINE_GRAINED);
    expect(checkKeyShape("  ghp_0123456789abcdefABCDEF0123456789abcd\n").key).toBe("ghp_0123456789abcdefABCDEF0123456789abcd");
    expect(checkKeyShape("ghp_0123456789abcdefABCDEF0123456789abcd").tokenType).toBe(GitHubTokenType.CLASSIC);
  });

  it.each([
    ["empty", "", /empty/],
    ["blank", "   ", /empty/],
    ["too long", `ghp_${"a".repeat(10_000)}`, /10004 characters/],
    ["with a space", "ghp_abc def", /spaces or characters/],
    ["with a control character", "ghp_abc\u0000def", /spaces or characters/],
    ["not GitHub's", "sk-live-0123456789", /should start with github_pat_/],
    ["an OAuth token", "gho_0123456789abcdef", /OAuth app token/],
    ["an installation token", "ghs_0123456789abcdef", /installation token/],
  ])("refuses a key that is %s with BAD_USER_INPUT and never echoes it", (_name, key, message) => {
    const e = codeOf(() => checkKeyShape(key));
    expect(e.code).toBe("BAD_USER_INPUT");
    expect(e.message).toMatch(message);
    if (key.trim().length > 4) expect(e.message).not.toContain(key.trim());
  });

  it("fingerprints with the last 4 characters", () => {
    expect(fingerprintOf("ghp_0123456789abcdefABCDEF0123456789wxyz")).toBe("wxyz");
  });
});

describe("GitHub's key headers", () => {
  it("parses the expiration header", () => {
    expect(parseExpiration("2027-01-01 00:00:00 UTC")?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(parseExpiration("2027-01-01 09:00:00 +0900")?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(parseExpiration(null)).toBeNull();
    expect(parseExpiration("soon")).toBeNull();
  });

  it("parses the scopes header", () => {
    expect(parseScopes("repo, read:org,  workflow")).toEqual(["repo", "read:org", "workflow"]);
    expect(parseScopes("")).toEqual([]);
    expect(parseScopes(null)).toEqual([]);
  });
});
