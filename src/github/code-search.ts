import { badUserInput } from "../errors";
import type { GitHubSession } from "./github-session";
import { CODE_QUALIFIERS, checkSearchLimits } from "./search-query";
import type { GitHubCodeSearchResult } from "../../resolvers/types/github-code.type";
import { pageSize, qualifier, qualifierValue, scoped } from "./item-search";

// GitHub's side: its REST answer, as much of it as is read here.

interface RestTextMatch {
  fragment: string;
  matches?: { text: string; indices: [number, number] }[];
}
interface RestCodeItem {
  path: string;
  html_url: string;
  repository: { full_name: string };
  text_matches?: RestTextMatch[];
}
interface RestCodeSearch {
  total_count: number;
  incomplete_results: boolean;
  items: RestCodeItem[];
}

export interface CodeSearch {
  query: string;
  owner?: string | null;
  repo?: string | null;
  first?: number | null;
  page?: number | null;
}

/** A lone UTF-16 surrogate is no character: encodeURIComponent throws on it, so it cannot go into GitHub's URL. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** GitHub answers at most 1,000 code results, 100 a page. */
const MAX_RESULTS = 1000;

/**
 * GitHub's code search, which exists only in REST (`GET /search/code`), with text matches: where in
 * each file the words were found. `owner`/`repo` become qualifiers; without them the search stays
 * within the owners the key can see.
 */
export async function searchCode(github: GitHubSession, a: CodeSearch): Promise<GitHubCodeSearchResult> {
  const text = a.query.trim();
  if (!text) throw badUserInput("The code search query is empty.", "query");
  if (a.repo && !a.owner) throw badUserInput("`repo` needs `owner`.", "owner");
  for (const [field, value] of [["query", text], ["owner", a.owner], ["repo", a.repo]] as const) {
    if (value && LONE_SURROGATE.test(value)) throw badUserInput(`\`${field}\` holds a lone UTF-16 surrogate, which is not text.`, field);
  }
  qualifierValue(a.owner, "owner");
  qualifierValue(a.repo, "repo");
  const perPage = pageSize(a.first);
  const page = a.page ?? 1;
  if (!Number.isInteger(page) || page < 1 || page * perPage > MAX_RESULTS) throw badUserInput(`\`page\` must be at least 1 and reach no further than result ${MAX_RESULTS}.`, "page");
  const owned = a.owner && a.repo ? `${text} ${qualifier("repo", `${a.owner}/${a.repo}`)}` : a.owner ? `${text} ${qualifier("user", a.owner)}` : text;
  // GitHub counts the text, not the qualifiers (the owners added to an unscoped search among them).
  checkSearchLimits(owned, CODE_QUALIFIERS);
  const q = await scoped(github, owned);
  const data = await github.rest<RestCodeSearch>("/search/code", { q, per_page: perPage, page }, "application/vnd.github.text-match+json");
  return {
    totalCount: data.total_count,
    incompleteResults: data.incomplete_results,
    items: data.items.map((item) => ({
      path: item.path,
      repository: item.repository.full_name,
      url: item.html_url,
      fragments: (item.text_matches ?? []).map((m) => ({
        fragment: m.fragment,
        matches: (m.matches ?? []).map((x) => ({ text: x.text, start: x.indices[0], end: x.indices[1] })),
      })),
    })),
  };
}
