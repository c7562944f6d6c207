import type { AuthChecker } from "type-graphql";
import type { Context } from "../context";
import { forbidden } from "../errors";

/**
 * `@Authorized("admin")`: the principal is always set (the context refuses a request without a valid
 * token), so a failed check here means the role is wrong: FORBIDDEN, not type-graphql's UNAUTHORIZED.
 */
export const authChecker: AuthChecker<Context, string> = ({ context }, allowed) => {
  if (allowed.length === 0 || allowed.includes(context.principal.role)) return true;
  throw forbidden(`This needs the ${allowed.join(" or ")} role; the caller is a ${context.principal.role}.`);
};
