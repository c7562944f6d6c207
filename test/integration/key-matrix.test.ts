import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { SAMPLE, seedSampleData, startGitHubEmulator, type EmulatorKey, type GitHubEmulator } from "../../github-emulator";
import { classicKey, fineGrainedKey } from "../support/keys";
import { startHarness, type GraphQLResult, type Harness } from "../support/harness";
import {
  CreateIssueDocument, IssueThreadContextDocument, MergedPullRequestsThisWeekDocument, OpenBugIssuesDocument,
  PullRequestReviewStatusDocument, SearchCodeDocument,
} from "../support/generated/gateway-operations";

// The six named operations of schema/operations/ against every kind of key the product guide leads an admin
// to: each cell is a correct answer or one specific code; none fails a whole answer because of a
// field the key may not read. mona is a member of acme; acme/webshop and acme/api are private, acme/docs and
// mona/dotfiles public. The SAML SSO cell runs on a second emulator, where acme enforces SSO.

const GUIDE = { issues: "write", pull_requests: "write", contents: "read", metadata: "read" } as const;
type KeyKind = "classicRepo" | "classicRepoOrg" | "fineGuide" | "fineGuideMembers" | "finePending" | "fineOneRepo" | "classicSso";
const KEYS: Record<KeyKind, EmulatorKey> = {
  classicRepo: classicKey("mona", { scopes: ["repo"] }),
  classicRepoOrg: classicKey("mona", { scopes: ["repo", "read:org"] }),
  fineGuide: fineGrainedKey("mona", { resourceOwner: "acme", permissions: GUIDE }),
  fineGuideMembers: fineGrainedKey("mona", { resourceOwner: "acme", permissions: { ...GUIDE, members: "read" } }),
  finePending: fineGrainedKey("mona", { resourceOwner: "acme", pendingApproval: true, permissions: GUIDE }),
  fineOneRepo: fineGrainedKey("mona", { repositories: ["acme/webshop"], permissions: GUIDE }),
  classicSso: classicKey("mona", { scopes: ["repo", "read:org"] }),
};

const monday = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7))).toISOString();
};
const { webshop } = SAMPLE.repos;
const P = SAMPLE.pullRequests;

type Answer = GraphQLResult<unknown>;
const codes = (r: Answer) => (r.body.errors ?? []).map((e) => e.extensions?.code);
const ok = (r: Answer) => expect(codes(r)).toEqual([]);
const refused = (r: Answer, code: string, extensions: Record<string, unknown> = {}) => {
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors![0].extensions).toMatchObject({ code, ...extensions });
};
const repos = (nodes: { repository: string }[]) => [...new Set(nodes.map((n) => n.repository))].sort();

/** The six operations, each with what every kind of key must get. */
interface Cell {
  run(h: Harness, service: string): Promise<Answer>;
  expect: Record<KeyKind, (r: Answer) => void>;
}

const sees = (expected: string[], absent: string[] = []) => (r: Answer) => {
  ok(r);
  const nodes = (r.body.data as { github: Record<string, { nodes: { repository: string }[] }> }).github;
  const found = repos(Object.values(nodes)[0].nodes);
  for (const name of expected) expect(found).toContain(name);
  for (const name of absent) expect(found).not.toContain(name);
};
const notGranted = (r: Answer) => {
  refused(r, "GITHUB_NOT_FOUND");
  expect(r.body.errors![0].message).toContain("not found, or not granted to this key");
};
const sso = (r: Answer) => refused(r, "GITHUB_PERMISSION_DENIED", { ssoOrganization: "acme" });

const run = <T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables: V) => (h: Harness, service: string) => h.run(service, document, variables) as Promise<Answer>;

const OPERATIONS: Record<string, Cell> = {
  MergedPullRequestsThisWeek: {
    run: (h, s) => run(MergedPullRequestsThisWeekDocument, { since: monday() })(h, s),
    expect: {
      classicRepo: sees(["acme/api", "acme/webshop"]),
      classicRepoOrg: sees(["acme/api", "acme/webshop"]),
      fineGuide: sees(["acme/api", "acme/webshop"]),
      fineGuideMembers: sees(["acme/api", "acme/webshop"]),
      // Awaiting approval, the key reads public repositories only: the private ones' pull requests are not there.
      finePending: sees([], ["acme/api", "acme/webshop"]),
      fineOneRepo: sees(["acme/webshop"], ["acme/api"]),
      // GitHub leaves an SSO organization's items out of a search for a key not authorised for it.
      classicSso: sees([], ["acme/api", "acme/webshop", "acme/docs"]),
    },
  },
  OpenBugIssues: {
    run: (h, s) => run(OpenBugIssuesDocument, {})(h, s),
    expect: {
      classicRepo: sees(["acme/api", "acme/webshop"]),
      classicRepoOrg: sees(["acme/api", "acme/webshop"]),
      fineGuide: sees(["acme/api", "acme/webshop"]),
      fineGuideMembers: sees(["acme/api", "acme/webshop"]),
      finePending: sees(["acme/docs"], ["acme/api", "acme/webshop"]),
      fineOneRepo: sees(["acme/webshop"], ["acme/api"]),
      classicSso: sees(["mona/dotfiles"], ["acme/api", "acme/webshop", "acme/docs"]),
    },
  },
  CreateIssue: {
    run: (h, s) => run(CreateIssueDocument, { input: { owner: webshop.owner, repo: webshop.name, title: "From the matrix", labels: ["Bug"] } })(h, s),
    expect: {
      classicRepo: created, classicRepoOrg: created, fineGuide: created, fineGuideMembers: created, fineOneRepo: created,
      finePending: notGranted,
      classicSso: sso,
    },
  },
  PullRequestReviewStatus: {
    run: (h, s) => run(PullRequestReviewStatusDocument, { owner: webshop.owner, repo: webshop.name, number: P.reviewRequired })(h, s),
    expect: {
      classicRepo: waiting("a team (not visible to this key)"),
      classicRepoOrg: waiting("frontend"),
      fineGuide: waiting("a team (not visible to this key)"),
      fineGuideMembers: waiting("frontend"),
      fineOneRepo: waiting("a team (not visible to this key)"),
      finePending: notGranted,
      classicSso: sso,
    },
  },
  SearchCode: {
    run: (h, s) => run(SearchCodeDocument, { query: "login", owner: webshop.owner, repo: webshop.name })(h, s),
    expect: {
      classicRepo: codeFound, classicRepoOrg: codeFound, fineGuide: codeFound, fineGuideMembers: codeFound, fineOneRepo: codeFound,
      finePending: notGranted,
      classicSso: sso,
    },
  },
  IssueThreadContext: {
    run: (h, s) => run(IssueThreadContextDocument, { owner: webshop.owner, repo: webshop.name, number: SAMPLE.manyComments.number, maxComments: 5 })(h, s),
    expect: {
      classicRepo: thread, classicRepoOrg: thread, fineGuide: thread, fineGuideMembers: thread, fineOneRepo: thread,
      finePending: notGranted,
      classicSso: sso,
    },
  },
};

function created(r: Answer) {
  ok(r);
  expect(r.body.data).toMatchObject({ createGitHubIssue: { repository: "acme/webshop", title: "From the matrix", labels: ["bug"] } });
}
function waiting(team: string) {
  return (r: Answer) => {
    ok(r);
    const status = (r.body.data as { github: { pullRequest: { reviewStatus: { pendingReviewers: string[]; summary: string } } } }).github.pullRequest.reviewStatus;
    expect(status.pendingReviewers).toEqual(["dave", team]);
    expect(status.summary).toContain(`Waiting on @dave, ${team === "frontend" ? "@frontend" : team}`);
  };
}
function codeFound(r: Answer) {
  ok(r);
  expect((r.body.data as { github: { searchCode: { items: { path: string }[] } } }).github.searchCode.items.map((i) => i.path)).toContain(SAMPLE.files.login.path);
}
function thread(r: Answer) {
  ok(r);
  expect((r.body.data as { github: { issueThread: { comments: unknown[]; totalComments: number } } }).github.issueThread).toMatchObject({ totalComments: SAMPLE.manyComments.comments });
}

type Reach = { repositories: number; privateRepositories: number; owners: string[]; organizationsNeedingSso: string[]; advice: string[] };
const REACH = `query { integration { tokenType reach { repositories privateRepositories complete owners organizationsNeedingSso advice } } }`;

describe("six named operations × seven kinds of key", () => {
  let plain: { h: Harness; emulator: GitHubEmulator };
  let ssoWorld: { h: Harness; emulator: GitHubEmulator };
  const service: Partial<Record<KeyKind, { h: Harness; token: string }>> = {};

  async function world(keys: EmulatorKey[], samlSso: boolean) {
    const emulator = await startGitHubEmulator({ keys });
    seedSampleData(emulator.store);
    if (samlSso) emulator.store.addOrganization({ login: "acme", samlSso: true });
    return { h: await startHarness({ database: "postgres", emulator }), emulator };
  }

  beforeAll(async () => {
    const kinds = Object.keys(KEYS) as KeyKind[];
    plain = await world(kinds.filter((k) => k !== "classicSso").map((k) => KEYS[k]), false);
    ssoWorld = await world([KEYS.classicSso], true);
    for (const kind of kinds) {
      const { h } = kind === "classicSso" ? ssoWorld : plain;
      const connected = await h.gql(await h.token(kind, "admin"), `mutation($t: String!) { connectIntegration(input: { provider: GITHUB, token: $t }) { id } }`, { t: KEYS[kind].token });
      expect(connected.body.errors).toBeUndefined();
      service[kind] = { h, token: await h.token(kind, "service") };
    }
  });
  afterAll(async () => {
    for (const w of [plain, ssoWorld]) {
      await w?.h.close();
      await w?.emulator.close();
    }
  });

  const cells = Object.entries(OPERATIONS).flatMap(([name, cell]) => (Object.keys(KEYS) as KeyKind[]).map((kind) => [name, kind, cell] as const));
  it.each(cells)("%s with %s", async (_name, kind, cell) => {
    const { h, token } = service[kind]!;
    const r = await cell.run(h, token);
    expect(r.status).toBe(200);
    cell.expect[kind](r);
  });

  it("every document the gateway sent was valid on both of GitHub's schemas", () => {
    const graphql = [plain.emulator, ssoWorld.emulator].flatMap((e) => e.requests.filter((r) => r.path.endsWith("/graphql")));
    expect(graphql.length).toBeGreaterThan(40);
    expect(graphql.filter((r) => r.cost === undefined)).toEqual([]); // priced only once it validated on both
  });

  it("the card says what each key reaches", async () => {
    const reach = async (kind: KeyKind) => {
      const { h } = service[kind]!;
      const r = await h.gql<{ integration: { reach: Reach } }>(await h.token(kind, "member"), REACH);
      return r.body.data!.integration.reach;
    };
    expect(await reach("classicRepo")).toMatchObject({ repositories: 4, privateRepositories: 2, owners: ["acme", "mona"], organizationsNeedingSso: [], advice: [] });
    expect(await reach("fineOneRepo")).toMatchObject({ repositories: 3, privateRepositories: 1 });
    const pending = await reach("finePending");
    expect(pending).toMatchObject({ repositories: 2, privateRepositories: 0 });
    expect(pending.advice.join(" ")).toMatch(/approv/);
    const sso = await reach("classicSso");
    expect(sso).toMatchObject({ organizationsNeedingSso: ["acme"], owners: ["mona"] });
    expect(sso.advice.join(" ")).toContain("acme");
  });
});
