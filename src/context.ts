import type { Principal } from "./auth/caller-token";
import type { GitHubSession } from "./github/github-session";
import type { Services } from "./services";
import type { Logger } from "./logger";

/** The one context type: ApolloServer<Context>, the AuthChecker<Context> and every resolver use it. */
export interface Context {
  principal: Principal;
  services: Services;
  /** Per request: the tenant's key is loaded lazily, on first use. */
  github: GitHubSession;
  log: Logger;
}
