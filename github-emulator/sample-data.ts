import type { EmulatorStore, NewIssue, NewPullRequest, NewReview } from "./store";

// A small GitHub world for tests, the demo and the benchmark: organization acme (private webshop
// and api, public docs), user mona's public dotfiles, 21 issues, pull requests in every review and
// check state, and files for code search. Times are relative to `now`. SAMPLE names what exists.

export const SAMPLE = {
  org: "acme",
  users: ["mona", "octocat", "alice", "bob", "carol", "dave"],
  teams: { frontend: "frontend", backend: "backend" },
  labels: ["bug", "enhancement", "needs triage", "good first issue"],
  repos: {
    webshop: { owner: "acme", name: "webshop", private: true },
    api: { owner: "acme", name: "api", private: true },
    docs: { owner: "acme", name: "docs", private: false },
    dotfiles: { owner: "mona", name: "dotfiles", private: false },
  },
  issues: {
    webshop: { safariCheckout: 1, darkMode: 2, loginPlusSign: 3, cartRounding: 4, aboutTypo: 5, sessionExpiry: 6, loginA11y: 7, ghostCrash: 8, searchFilters: 9, returnsPortal: 123 },
    api: { rateLimiter500: 1, documentLogin: 2, loginTiming: 3, upgradeNode: 4, paginationCursor: 7 },
    docs: { brokenLoginLink: 1, explainRateLimits: 2, outdatedScreenshots: 3, faqPage: 4 },
    dotfiles: { slowLoginShell: 1, tmuxConfig: 2 },
  },
  /** acme/webshop #123: 250 comments; the body holds U+200B, U+202E and a fenced code block. */
  manyComments: { owner: "acme", repo: "webshop", number: 123, comments: 250 },
  /** acme/webshop pull requests by state (webshop requires a review, so reviewDecision is derived). */
  pullRequests: {
    approvedPassing: 42,
    changesRequestedAndApproved: 43,
    reviewRequired: 44,
    draft: 45,
    conflicting: 46,
    mergedThisWeek: 47,
    mergedTwoWeeksAgo: 48,
    closedUnmerged: 49,
    nullRollup: 50,
  },
  /**
   * acme/api #5 merged this week; #6 targets `develop` with a team review request; #8 waits on an enterprise
   * team (a `RequestedReviewer` only in GitHub's 2026 schema) and on bob; mona/dotfiles #3 merged 3 days ago.
   */
  otherPullRequests: { apiMergedThisWeek: 5, apiDevelop: 6, apiEnterpriseReview: 8, dotfilesMerged: 3 },
  enterpriseTeam: "security-reviewers",
  files: {
    login: { owner: "acme", repo: "webshop", path: "src/auth/login.ts" },
    session: { owner: "acme", repo: "webshop", path: "src/auth/session.ts" },
    readme: { owner: "acme", repo: "webshop", path: "README.md" },
    dotfilesLogin: { owner: "mona", repo: "dotfiles", path: ".zshrc" },
  },
} as const;

const DAY = 24 * 60 * 60 * 1000;

export const RETURNS_PORTAL_BODY = [
  "## Build a returns portal",
  "",
  "Customers must be able to return items without e-mailing support.\u200B (a zero-width space sits before this note)",
  "Attachment name as uploaded: \u202Egpj.exe\u202C (a right-to-left override hides the real extension).",
  "",
  "```ts",
  "export async function requestReturn(orderId: string): Promise<ReturnLabel> {",
  "  return api.post(`/orders/${orderId}/returns`);",
  "}",
  "```",
  "",
  "- [ ] list the customer's orders",
  "- [ ] pick items and a reason",
].join("\n");

const FILES: Array<{ owner: string; repo: string; path: string; content: string }> = [
  { ...SAMPLE.files.login, content: [
    'import { createSession, type Session } from "./session";',
    'import { users, verify, LoginError } from "../users";',
    "",
    "export async function login(email: string, password: string): Promise<Session> {",
    "  const user = await users.findByEmail(email);",
    '  if (!user || !(await verify(password, user.passwordHash))) throw new LoginError("invalid credentials");',
    "  return createSession(user);",
    "}",
  ].join("\n") },
  { ...SAMPLE.files.session, content: [
    "// Sessions created at login expire after 30 minutes of inactivity.",
    "export interface Session { id: string; userId: string; expiresAt: Date }",
    "",
    "export function createSession(user: { id: string }): Session {",
    "  return { id: crypto.randomUUID(), userId: user.id, expiresAt: new Date(Date.now() + 30 * 60 * 1000) };",
    "}",
  ].join("\n") },
  { ...SAMPLE.files.readme, content: "# Webshop\n\nRun `npm start`, then open /login to sign in.\n" },
  { owner: "acme", repo: "webshop", path: "src/cart/cart.ts", content: "export function total(prices: number[]): number {\n  return prices.reduce((a, b) => a + b, 0);\n}\n" },
  { owner: "acme", repo: "api", path: "src/routes/auth.ts", content: 'router.post("/v2/login", async (req, res) => {\n  res.json(await login(req.body.email, req.body.password));\n});\n' },
  { owner: "acme", repo: "docs", path: "docs/login.md", content: "# Logging in\n\nUse your e-mail address and password on the login page.\n" },
  { ...SAMPLE.files.dotfilesLogin, content: "# login shell settings\nexport EDITOR=vim\nsource ~/.aliases\n" },
  { owner: "mona", repo: "dotfiles", path: "install.sh", content: "#!/bin/sh\nln -sf \"$PWD/.zshrc\" ~/.zshrc\n" },
];

export function seedSampleData(store: EmulatorStore, options: { now?: Date } = {}): typeof SAMPLE {
  const now = (options.now ?? new Date()).getTime();
  const ago = (days: number) => new Date(now - days * DAY);
  // "This week" under either reading: within the last day and not before Monday 00:00 UTC.
  const monday = new Date(now);
  monday.setUTCHours(0, 0, 0, 0);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const thisWeek = new Date(Math.max(monday.getTime(), now - DAY));
  const laterThisWeek = new Date((thisWeek.getTime() + now) / 2);

  for (const login of SAMPLE.users) store.addUser({ login, name: login[0].toUpperCase() + login.slice(1), createdAt: ago(400) });
  const staff = ["alice", "bob", "carol", "dave", "mona", "octocat"];
  store.addOrganization({ login: "acme", name: "Acme Corp", members: staff, createdAt: ago(500) });
  store.addTeam({ org: "acme", slug: SAMPLE.teams.frontend, name: "Frontend" });
  store.addTeam({ org: "acme", slug: SAMPLE.teams.backend, name: "Backend" });
  const { webshop, api, docs, dotfiles } = SAMPLE.repos;
  store.addRepository({ owner: "acme", name: webshop.name, description: "The Acme web shop", isPrivate: true, requireReviews: true, collaborators: staff, createdAt: ago(300) });
  store.addRepository({ owner: "acme", name: api.name, description: "Acme's public API", isPrivate: true, requireReviews: true, collaborators: staff, createdAt: ago(300) });
  store.addRepository({ owner: "acme", name: docs.name, description: "Acme documentation", collaborators: ["alice", "mona"], createdAt: ago(300) });
  store.addRepository({ owner: "mona", name: dotfiles.name, description: "mona's dotfiles", createdAt: ago(300) });
  const colors: Record<string, string> = { bug: "d73a4a", enhancement: "a2eeef", "needs triage": "fbca04", "good first issue": "7057ff" };
  for (const repo of Object.values(SAMPLE.repos)) {
    for (const name of SAMPLE.labels) store.addLabel({ owner: repo.owner, repo: repo.name, name, color: colors[name] });
  }

  const w = { owner: "acme", repo: "webshop" };
  const a = { owner: "acme", repo: "api" };
  const d = { owner: "acme", repo: "docs" };
  const m = { owner: "mona", repo: "dotfiles" };
  const I = SAMPLE.issues;
  const issues: NewIssue[] = [
    { ...w, number: I.webshop.safariCheckout, title: "Checkout button unresponsive on Safari", body: "Tapping **Pay** does nothing on iOS 17.", author: "mona", labels: ["bug"], assignees: ["alice"], createdAt: ago(40) },
    { ...w, number: I.webshop.darkMode, title: "Add dark mode", body: "Follow the system setting.", author: "bob", labels: ["enhancement"], createdAt: ago(38) },
    { ...w, number: I.webshop.loginPlusSign, title: "Login fails with a + in the e-mail address", body: "Steps: sign up as a+b@example.com, then log in.", author: "carol", labels: ["bug", "needs triage"], assignees: ["bob"], createdAt: ago(35) },
    { ...w, number: I.webshop.cartRounding, title: "Cart total rounds incorrectly", body: "0.1 + 0.2 shows 0.30000000000000004.", author: "dave", labels: ["bug"], assignees: ["alice"], state: "CLOSED", createdAt: ago(33), closedAt: ago(20) },
    { ...w, number: I.webshop.aboutTypo, title: "Typo on the about page", body: "'Acme Crop'.", author: "octocat", labels: ["good first issue"], state: "CLOSED", stateReason: "NOT_PLANNED", createdAt: ago(30), closedAt: ago(29) },
    { ...w, number: I.webshop.sessionExpiry, title: "Session expires too early", body: "Logged out after 5 minutes instead of 30.", author: "mona", labels: ["bug"], createdAt: ago(25) },
    { ...w, number: I.webshop.loginA11y, title: "Improve login page accessibility", body: "Labels are missing on the login form.", author: "alice", labels: ["enhancement", "good first issue"], assignees: ["carol"], createdAt: ago(22) },
    { ...w, number: I.webshop.ghostCrash, title: "Crash when the cart is empty", body: "TypeError: cannot read properties of undefined.", author: null, labels: ["bug", "needs triage"], createdAt: ago(18) },
    { ...w, number: I.webshop.searchFilters, title: "Search results ignore filters", body: "The price filter is dropped on page 2.", author: "bob", labels: ["bug"], assignees: ["dave"], state: "CLOSED", createdAt: ago(16), closedAt: ago(3) },
    { ...w, number: I.webshop.returnsPortal, title: "Returns portal", body: RETURNS_PORTAL_BODY, author: "mona", labels: ["enhancement"], assignees: ["alice", "bob"], createdAt: ago(21) },
    { ...a, number: I.api.rateLimiter500, title: "Rate limiter returns 500 instead of 429", body: "Under load the limiter throws.", author: "bob", labels: ["bug"], assignees: ["bob"], createdAt: ago(28) },
    { ...a, number: I.api.documentLogin, title: "Document the login endpoint", body: "POST /v2/login is undocumented.", author: "alice", labels: ["enhancement", "good first issue"], createdAt: ago(26) },
    { ...a, number: I.api.loginTiming, title: "Login endpoint leaks timing information", body: "Unknown e-mails answer faster.", author: "dave", labels: ["bug", "needs triage"], createdAt: ago(12) },
    { ...a, number: I.api.upgradeNode, title: "Upgrade Node to 22", body: "", author: "carol", state: "CLOSED", createdAt: ago(45), closedAt: ago(10) },
    { ...a, number: I.api.paginationCursor, title: "Pagination cursor invalid after deploy", body: "Cursors issued before a deploy fail.", author: "mona", labels: ["bug"], assignees: ["alice"], createdAt: ago(6.5) },
    { ...d, number: I.docs.brokenLoginLink, title: "Broken link in the login guide", body: "The reset-password link 404s.", author: "octocat", labels: ["bug"], createdAt: ago(14) },
    { ...d, number: I.docs.explainRateLimits, title: "Explain rate limits", body: "", author: "alice", labels: ["enhancement"], createdAt: ago(11) },
    { ...d, number: I.docs.outdatedScreenshots, title: "Outdated screenshots", body: "", author: "mona", state: "CLOSED", createdAt: ago(50), closedAt: ago(40) },
    { ...d, number: I.docs.faqPage, title: "Add a FAQ page", body: "", author: "carol", labels: ["good first issue"], createdAt: ago(2.5) },
    { ...m, number: I.dotfiles.slowLoginShell, title: "zsh login shell slow to start", body: "Takes 2 s with oh-my-zsh.", author: "mona", labels: ["bug"], assignees: ["mona"], createdAt: ago(9) },
    { ...m, number: I.dotfiles.tmuxConfig, title: "Add tmux config", body: "", author: "mona", labels: ["enhancement"], state: "CLOSED", createdAt: ago(60), closedAt: ago(55) },
  ];
  for (const issue of issues) store.addIssue(issue);

  const P = SAMPLE.pullRequests;
  const pulls: NewPullRequest[] = [
    { ...w, number: P.approvedPassing, title: "Escape + in login e-mails", body: "Fixes #3.", author: "bob", labels: ["bug"], headRefName: "fix/login-plus", checkState: "SUCCESS", closes: [I.webshop.loginPlusSign], additions: 12, deletions: 3, changedFiles: 2, commitCount: 2, createdAt: ago(5) },
    { ...w, number: P.changesRequestedAndApproved, title: "Redesign the cart page", author: "carol", headRefName: "cart-redesign", checkState: "FAILURE", additions: 340, deletions: 120, changedFiles: 14, createdAt: ago(8) },
    { ...w, number: P.reviewRequired, title: "Add a wishlist", author: "alice", headRefName: "wishlist", checkState: "PENDING", reviewRequests: [{ user: "dave" }, { team: SAMPLE.teams.frontend }], additions: 80, deletions: 4, changedFiles: 5, createdAt: ago(4) },
    { ...w, number: P.draft, title: "WIP: new checkout flow", author: "mona", isDraft: true, headRefName: "checkout-v2", checkState: "PENDING", additions: 20, deletions: 0, changedFiles: 1, createdAt: ago(2) },
    { ...w, number: P.conflicting, title: "Upgrade the payment SDK", author: "dave", mergeable: "CONFLICTING", headRefName: "payment-sdk-5", checkState: "SUCCESS", additions: 45, deletions: 40, changedFiles: 6, createdAt: ago(10) },
    { ...w, number: P.mergedThisWeek, title: "Fix session timeout", body: "Sessions last 30 minutes again.", author: "alice", headRefName: "fix/session-timeout", checkState: "SUCCESS", mergedAt: thisWeek, createdAt: ago(7), updatedAt: thisWeek, additions: 5, deletions: 2, changedFiles: 1 },
    { ...w, number: P.mergedTwoWeeksAgo, title: "Add product search", author: "bob", headRefName: "search", checkState: "SUCCESS", mergedAt: ago(14), createdAt: ago(20), updatedAt: ago(14), additions: 400, deletions: 12, changedFiles: 18 },
    { ...w, number: P.closedUnmerged, title: "Experiment: GraphQL storefront", author: "carol", headRefName: "graphql-storefront", state: "CLOSED", checkState: "FAILURE", createdAt: ago(19), closedAt: ago(15) },
    { ...w, number: P.nullRollup, title: "Update the README", author: "octocat", headRefName: "readme", checkState: null, additions: 3, deletions: 1, changedFiles: 1, createdAt: ago(1) },
    { ...a, number: SAMPLE.otherPullRequests.apiMergedThisWeek, title: "Add /v2/login endpoint", author: "alice", labels: ["enhancement"], headRefName: "v2-login", checkState: "SUCCESS", mergedAt: laterThisWeek, createdAt: ago(6), updatedAt: laterThisWeek },
    { ...a, number: SAMPLE.otherPullRequests.apiDevelop, title: "Refactor the session store", author: "bob", baseRefName: "develop", headRefName: "session-store", checkState: "SUCCESS", reviewRequests: [{ team: SAMPLE.teams.backend }], createdAt: ago(3) },
    { ...a, number: SAMPLE.otherPullRequests.apiEnterpriseReview, title: "Rotate the signing keys", author: "carol", headRefName: "rotate-keys", checkState: "SUCCESS", reviewRequests: [{ enterpriseTeam: SAMPLE.enterpriseTeam }, { user: "bob" }], createdAt: ago(2.5) },
    { ...m, number: SAMPLE.otherPullRequests.dotfilesMerged, title: "vim: set the login shell", author: "mona", headRefName: "login-shell", mergedAt: ago(3), createdAt: ago(4), updatedAt: ago(3) },
  ];
  for (const pr of pulls) store.addPullRequest(pr);

  const reviews: NewReview[] = [
    { ...w, number: P.approvedPassing, author: "alice", state: "COMMENTED", body: "Looks close.", submittedAt: ago(4.5) },
    { ...w, number: P.approvedPassing, author: "alice", state: "APPROVED", body: "LGTM", submittedAt: ago(4) },
    { ...w, number: P.changesRequestedAndApproved, author: "bob", state: "CHANGES_REQUESTED", body: "The totals overflow on mobile.", submittedAt: ago(6) },
    { ...w, number: P.changesRequestedAndApproved, author: "carol", state: "APPROVED", submittedAt: ago(5) },
    { ...w, number: P.conflicting, author: "alice", state: "APPROVED", submittedAt: ago(9) },
    { ...w, number: P.mergedThisWeek, author: "carol", state: "APPROVED", submittedAt: new Date(thisWeek.getTime() - 60 * 60 * 1000) },
    { ...w, number: P.mergedTwoWeeksAgo, author: "alice", state: "APPROVED", submittedAt: ago(15) },
    { ...w, number: P.nullRollup, author: "mona", state: "COMMENTED", body: "Typo in line 2.", submittedAt: ago(0.5) },
    { ...a, number: SAMPLE.otherPullRequests.apiMergedThisWeek, author: "bob", state: "APPROVED", submittedAt: ago(2) },
  ];
  for (const review of reviews) store.addReview(review);

  store.addComment({ ...w, number: I.webshop.loginPlusSign, body: "Reproduced on staging.", author: "dave", createdAt: ago(34) });
  store.addComment({ ...w, number: P.approvedPassing, body: "Added a test for + and %.", author: "bob", createdAt: ago(4.8) });
  const commenters = ["alice", "bob", "carol", "mona"];
  const start = ago(20).getTime();
  for (let i = 1; i <= SAMPLE.manyComments.comments; i += 1) {
    store.addComment({ ...w, number: I.webshop.returnsPortal, author: commenters[i % commenters.length], body: `Comment ${i} of ${SAMPLE.manyComments.comments}: ${i % 50 === 0 ? "label printing needs a **PDF** export" : "+1"}`, createdAt: new Date(start + i * 60 * 1000) });
  }
  for (const file of FILES) store.addFile(file);
  return SAMPLE;
}
