import { GraphQLError } from "graphql";
import { scrubKeys, scrubText } from "../../src/secrets/key-scrubber";
import { createErrorFormatter } from "../../src/format-error";

/** Key bodies shaped like GitHub's: classic/OAuth/app keys are 36 alphanumerics, fine-grained ones 22 + "_" + 59. */
const body36 = "0123456789abcdefABCDEF0123456789wxyz";
const KEYS = [
  `ghp_${body36}`,
  `gho_${body36}`,
  `ghu_${body36}`,
  `ghs_${body36}`,
  `ghr_${body36}`,
  `github_pat_11ABCDEFG0123456789abc_${"x".repeat(59)}`,
];

/** What came back in answers before the scrubber matched without word boundaries: a key glued to whatever preceded it, where \b found no boundary. */
const PREFIXES = ["", " ", "x", "Z", "9", "_", "__", "token=", "xghp", "github_", "ghp_", "\u00e9", "\u0000", "/", "-"];

describe("the key scrubber", () => {
  it.each(KEYS)("redacts %s wherever it starts, right after a letter, digit or underscore included", (key) => {
    for (const prefix of PREFIXES) {
      for (const suffix of ["", " ", ".", "\n", '"']) {
        const text = `before ${prefix}${key}${suffix} after`;
        const out = scrubText(text);
        expect(out).not.toContain(key.slice(4, 20));
        expect(out).toContain("[redacted]");
        expect(out.startsWith("before ")).toBe(true);
        expect(out.endsWith(`${suffix} after`)).toBe(true);
      }
    }
  });

  it("redacts the examples from the issue", () => {
    for (const text of [`x${KEYS[0]}`, `_${KEYS[5]}`, `repo_${KEYS[1]}`, `id:1${KEYS[3]}`]) {
      expect(scrubText(text)).not.toMatch(/gh[pousr]_[A-Za-z0-9]{8}|github_pat_[A-Za-z0-9]{8}/);
    }
  });

  it("keeps what it already redacted, and leaves text without a key alone", () => {
    expect(scrubText(`Bearer ${KEYS[0]}`)).toBe("Bearer [redacted]");
    expect(scrubText(`a ${KEYS[5]} b ${KEYS[2]}`)).toBe("a [redacted] b [redacted]");
    for (const plain of ["ghp", "ghp_", "github_pat_", "the ghost_ was here", "ghx_abcdef", "plain text"]) {
      expect(scrubText(plain)).toBe(plain);
    }
  });

  it("scrubs nested log fields and errors", () => {
    const out = JSON.stringify(scrubKeys({ msg: `id${KEYS[0]}`, nested: [{ err: new Error(`failed for _${KEYS[5]}`) }] }));
    for (const key of KEYS) expect(out).not.toContain(key.slice(4, 20));
  });

  it("formatError answers no glued key either", () => {
    const format = createErrorFormatter();
    const message = `Cannot query field "x${KEYS[0]}" on type "Query".`;
    const out = format({ message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }, new GraphQLError(message));
    expect(out.message).not.toContain(KEYS[0].slice(4));
  });
});
