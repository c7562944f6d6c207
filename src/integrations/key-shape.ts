import { badUserInput } from "../errors";
import { GitHubTokenType } from "../../entities/integration-enums";

const MAX_KEY_LENGTH = 255;
const OTHER_GITHUB_PREFIXES: Record<string, string> = {
  gho_: "an OAuth app token",
  ghu_: "a GitHub App user token",
  ghs_: "a GitHub App installation token",
  ghr_: "a refresh token",
};

/** A pasted key whose shape passed: trimmed, with the kind of personal access token it is. */
export interface CheckedKey {
  key: string;
  tokenType: GitHubTokenType;
}

/**
 * Checks a pasted key's shape before anything is sent to GitHub. Lengths beyond the 255-character cap
 * are not enforced (GitHub does not promise them). Messages never echo the key; they name the GraphQL
 * input field it came in (`token`).
 */
export function checkKeyShape(key: string): CheckedKey {
  key = key.trim();
  if (key.length === 0) throw badUserInput("The key is empty: paste a GitHub personal access token.", "token");
  if (key.length > MAX_KEY_LENGTH) {
    throw badUserInput(`The key is ${key.length} characters long; GitHub keys have at most ${MAX_KEY_LENGTH}.`, "token");
  }
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw badUserInput("The key contains spaces or characters that GitHub keys never have.", "token");
  }
  const other = Object.keys(OTHER_GITHUB_PREFIXES).find((p) => key.startsWith(p));
  if (other) {
    throw badUserInput(`This looks like ${OTHER_GITHUB_PREFIXES[other]}, not a personal access token (ghp_... or github_pat_...).`, "token");
  }
  if (/^github_pat_[A-Za-z0-9_]+$/.test(key)) return { key, tokenType: GitHubTokenType.FINE_GRAINED };
  if (/^ghp_[A-Za-z0-9]+$/.test(key)) return { key, tokenType: GitHubTokenType.CLASSIC };
  throw badUserInput("This is not a GitHub personal access token: it should start with github_pat_ (fine-grained) or ghp_ (classic).", "token");
}

/** The card's fingerprint: the last 4 characters, nothing more. */
export const fingerprintOf = (key: string): string => key.slice(-4);
