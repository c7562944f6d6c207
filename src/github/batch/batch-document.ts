import { print, type DocumentNode, type FragmentDefinitionNode } from "graphql";
import {
  GatewayIssueCoreFragmentDoc,
  GatewayIssueFieldsFragmentDoc,
  GatewayPullRequestCoreFragmentDoc,
  GatewayPullRequestFieldsFragmentDoc,
  GatewayRateLimitFieldsFragmentDoc,
  GatewayThreadIssueFragmentDoc,
  GatewayThreadPullRequestFragmentDoc,
} from "../generated/github-operations";
import type { Lookup } from "./lookup";

export interface BatchDocument {
  text: string;
  variables: Record<string, string | number>;
  /** For each look-up, in input order, the response keys that lead to its object. */
  paths: string[][];
}

/** Each fragment definition (from schema/github/*.graphql through codegen) printed once, by name. */
const FRAGMENTS = new Map<string, string>();
for (const doc of [GatewayIssueCoreFragmentDoc, GatewayIssueFieldsFragmentDoc, GatewayPullRequestCoreFragmentDoc, GatewayPullRequestFieldsFragmentDoc, GatewayRateLimitFieldsFragmentDoc, GatewayThreadIssueFragmentDoc, GatewayThreadPullRequestFragmentDoc] as DocumentNode[]) {
  for (const def of doc.definitions as FragmentDefinitionNode[]) FRAGMENTS.set(def.name.value, print(def));
}
/** The fragments a selection needs, its own and those it spreads. */
const NEEDS = {
  issue: { core: ["GatewayIssueCore"], full: ["GatewayIssueFields", "GatewayIssueCore"] },
  pullRequest: { core: ["GatewayPullRequestCore"], full: ["GatewayPullRequestFields", "GatewayPullRequestCore"] },
  thread: ["GatewayThreadIssue", "GatewayThreadPullRequest", "GatewayCommentPage", "GatewayCommentFields"],
};

const repoKey = (owner: string, repo: string) => `${owner.toLowerCase()}/${repo.toLowerCase()}`;

/**
 * One aliased document for many look-ups: one `repository` alias per distinct repository with an
 * alias per issue, pull request or label inside it, one `user` alias per login, and `rateLimit`.
 * Every caller-supplied string travels as a variable: nothing a caller typed is spliced into the text.
 */
export function buildBatchDocument(lookups: readonly Lookup[]): BatchDocument {
  const variables: Record<string, string | number> = {};
  const declarations: string[] = [];
  const repos = new Map<string, { alias: string; fields: string[] }>();
  const users: string[] = [];
  const paths: string[][] = [];
  const used = new Set<string>(["GatewayRateLimitFields"]);

  const variable = (name: string, type: string, value: string | number) => {
    variables[name] = value;
    declarations.push(`$${name}: ${type}`);
    return `$${name}`;
  };
  const repository = (owner: string, name: string) => {
    const key = repoKey(owner, name);
    let entry = repos.get(key);
    if (!entry) {
      const alias = `r${repos.size}`;
      entry = { alias, fields: [] };
      repos.set(key, entry);
      variable(`${alias}_owner`, "String!", owner);
      variable(`${alias}_name`, "String!", name);
    }
    return entry;
  };

  lookups.forEach((l, index) => {
    const alias = `k${index}`;
    if (l.kind === "user") {
      users.push(`${alias}: user(login: ${variable(alias, "String!", l.login)}) { id login }`);
      paths.push([alias]);
      return;
    }
    const r = repository(l.owner, l.repo);
    if (l.kind === "repository") {
      paths.push([r.alias]);
      return;
    }
    if (l.kind === "label") {
      // Not label(name:), which matches the exact case only (cli/cli#1819); labels(query:) ignores case.
      r.fields.push(`${alias}: labels(first: 100, query: ${variable(alias, "String!", l.name)}) { nodes { id name } }`);
    } else if (l.kind === "labels") {
      r.fields.push(`${alias}: labels(first: 100, orderBy: { field: NAME, direction: ASC }) { nodes { id name } }`);
    } else if (l.kind === "thread") {
      NEEDS.thread.forEach((f) => used.add(f));
      r.fields.push(`${alias}: issueOrPullRequest(number: ${variable(alias, "Int!", l.number)}) { __typename ...GatewayThreadIssue ...GatewayThreadPullRequest }`);
    } else {
      const needs = NEEDS[l.kind][l.detail];
      needs.forEach((f) => used.add(f));
      const spread = needs[0];
      r.fields.push(`${alias}: ${l.kind}(number: ${variable(alias, "Int!", l.number)}) { ...${spread} }`);
    }
    paths.push([r.alias, alias]);
  });

  const selections = [
    ...[...repos.values()].map(
      (r) => `${r.alias}: repository(owner: $${r.alias}_owner, name: $${r.alias}_name) { id nameWithOwner ${r.fields.join(" ")} }`,
    ),
    ...users,
    "rateLimit { ...GatewayRateLimitFields }",
  ];
  const fragments = [...used].map((name) => FRAGMENTS.get(name)!);
  const head = declarations.length ? `query GatewayBatch(${declarations.join(", ")})` : "query GatewayBatch";
  return { text: `${head} {\n  ${selections.join("\n  ")}\n}\n${fragments.join("\n")}`, variables, paths };
}
