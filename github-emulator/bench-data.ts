import type { EmulatorStore, NewReview, ReviewState, StatusState } from "./store";

// The benchmark's GitHub world (bench/): organization `bench` with five private repositories
// r0..r4, each with 60 issues (#1..#60) and 60 pull requests (#61..#120) in a mix of review and
// check states, and r0 #121, an issue with 1,000 comments. Deterministic: no randomness, times
// relative to `now`. BENCH names what exists so the harness needs no magic numbers.

export const BENCH = {
  owner: "bench",
  repos: ["r0", "r1", "r2", "r3", "r4"],
  issuesPerRepo: 60,
  pullRequestsPerRepo: 60,
  /** Issue numbers are 1..60 in every repository. */
  firstIssue: 1,
  /** Pull request numbers are 61..120 in every repository. */
  firstPullRequest: 61,
  longThread: { repo: "r0", number: 121, comments: 1000 },
  members: ["ada", "grace", "linus", "ken", "barbara"],
} as const;

const DAY = 24 * 60 * 60 * 1000;

/** Review and check states cycle through GitHub's usual mix: approved, changes requested, pending, commented, none. */
const REVIEW_MIX: ReadonlyArray<{ reviews: ReviewState[]; checks: StatusState | null; draft?: boolean; requested?: boolean }> = [
  { reviews: ["APPROVED"], checks: "SUCCESS" },
  { reviews: ["CHANGES_REQUESTED"], checks: "FAILURE" },
  { reviews: [], checks: "PENDING", requested: true },
  { reviews: ["COMMENTED", "APPROVED"], checks: "SUCCESS" },
  { reviews: ["CHANGES_REQUESTED", "APPROVED"], checks: "SUCCESS" },
  { reviews: [], checks: null, draft: true },
];

export function seedBenchData(store: EmulatorStore, options: { now?: Date } = {}): typeof BENCH {
  const now = (options.now ?? new Date()).getTime();
  const ago = (days: number) => new Date(now - days * DAY);
  const people = BENCH.members;
  store.addOrganization({ login: BENCH.owner, name: "Bench Inc", members: [...people], createdAt: ago(400) });
  for (const repo of BENCH.repos) {
    store.addRepository({ owner: BENCH.owner, name: repo, isPrivate: true, requireReviews: true, collaborators: [...people], createdAt: ago(300) });
    for (const name of ["bug", "enhancement"]) store.addLabel({ owner: BENCH.owner, repo, name });
    for (let i = 0; i < BENCH.issuesPerRepo; i += 1) {
      store.addIssue({
        owner: BENCH.owner, repo, number: BENCH.firstIssue + i, title: `${repo} issue ${BENCH.firstIssue + i}`,
        body: `Issue ${i + 1} of the benchmark in ${repo}.`, author: people[i % people.length],
        labels: [i % 2 === 0 ? "bug" : "enhancement"], assignees: i % 3 === 0 ? [people[(i + 1) % people.length]] : [],
        state: i % 7 === 6 ? "CLOSED" : "OPEN", createdAt: ago(100 - i),
      });
    }
    const reviews: NewReview[] = [];
    for (let i = 0; i < BENCH.pullRequestsPerRepo; i += 1) {
      const number = BENCH.firstPullRequest + i;
      const mix = REVIEW_MIX[i % REVIEW_MIX.length];
      const author = people[i % people.length];
      store.addPullRequest({
        owner: BENCH.owner, repo, number, title: `${repo} pull request ${number}`, body: `Closes #${i + 1}.`, author,
        headRefName: `change-${number}`, checkState: mix.checks, isDraft: mix.draft ?? false,
        reviewRequests: mix.requested ? [{ user: people[(i + 2) % people.length] }] : [],
        closes: [BENCH.firstIssue + i], additions: 10 + i, deletions: i, changedFiles: 1 + (i % 5), createdAt: ago(60 - i / 2),
      });
      mix.reviews.forEach((state, k) => {
        reviews.push({ owner: BENCH.owner, repo, number, author: people[(i + 1 + k) % people.length], state, submittedAt: ago(30 - i / 4 - k / 10) });
      });
    }
    for (const review of reviews) store.addReview(review);
  }
  const { repo, number, comments } = BENCH.longThread;
  store.addIssue({ owner: BENCH.owner, repo, number, title: "A long thread", body: "Every comment of this issue is context.", author: people[0], createdAt: ago(90) });
  const start = ago(80).getTime();
  for (let i = 1; i <= comments; i += 1) {
    store.addComment({ owner: BENCH.owner, repo, number, author: people[i % people.length], body: `Comment ${i} of ${comments}.`, createdAt: new Date(start + i * 60_000) });
  }
  return BENCH;
}
