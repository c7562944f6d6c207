import { Kind, parse, print, validate, type DocumentNode } from "graphql";
import { buildBatchDocument } from "../../src/github/batch/batch-document";
import type { Lookup } from "../../src/github/batch/lookup";
import * as operations from "../../src/github/generated/github-operations";
import { gitHubSchemas } from "../../github-emulator/github-schema";

// Every document the gateway can send to GitHub must be valid on GitHub's schema of 2026 (github.com) and on
// the npm package's schema of 2025 (GitHub Enterprise Server lags behind): schema/github-schema/README.md.

const isOperationDocument = (value: unknown): value is DocumentNode =>
  typeof value === "object" && value !== null && (value as DocumentNode).kind === Kind.DOCUMENT
  && (value as DocumentNode).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION);

/** The generated operations (schema/github/*.graphql), each with the fragments it spreads. */
const generated = Object.entries(operations).flatMap(([name, value]) => (isOperationDocument(value) ? [[name, print(value)] as const] : []));

/** One of every look-up the batcher can put in a document, at every detail. */
const EVERY_LOOKUP: Lookup[] = [
  { kind: "issue", owner: "o", repo: "r", number: 1, detail: "core" },
  { kind: "issue", owner: "o", repo: "r", number: 2, detail: "full" },
  { kind: "pullRequest", owner: "o", repo: "r", number: 3, detail: "core" },
  { kind: "pullRequest", owner: "o", repo: "r", number: 4, detail: "full" },
  { kind: "thread", owner: "o", repo: "r", number: 5 },
  { kind: "repository", owner: "o", repo: "other" },
  { kind: "label", owner: "o", repo: "r", name: "bug" },
  { kind: "user", login: "u" },
];

const batches: (readonly [string, string])[] = [
  ["every look-up together", buildBatchDocument(EVERY_LOOKUP).text],
  ...EVERY_LOOKUP.map((l) => [`${l.kind}${"detail" in l ? ` (${l.detail})` : ""} alone`, buildBatchDocument([l]).text] as const),
];

describe("every upstream document is valid on both of GitHub's schemas", () => {
  const { current, npm } = gitHubSchemas();

  it("finds the generated operations", () => {
    expect(generated.length).toBeGreaterThanOrEqual(8);
  });

  it.each([...generated, ...batches])("%s", (_name, text) => {
    const document = parse(text);
    expect(validate(current, document).map((e) => `2026: ${e.message}`)).toEqual([]);
    expect(validate(npm, document).map((e) => `2025 (npm): ${e.message}`)).toEqual([]);
  });

  it("the check itself fails on a document only the newer schema accepts", () => {
    const newer = parse("query { search(type: ISSUE_SEMANTIC, query: \"x\", first: 1) { issueCount } }");
    expect(validate(current, newer)).toEqual([]);
    expect(validate(npm, newer).length).toBeGreaterThan(0);
  });
});
