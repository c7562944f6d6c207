import { Ctx, FieldResolver, Query, Resolver } from "type-graphql";
import type { Context } from "../src/context";
import { GitHub, GitHubUser } from "./types/github.type";

@Resolver(() => GitHub)
export class GitHubResolver {
  @Query(() => GitHub, { description: "GitHub through the workspace's connected key (INTEGRATION_NOT_CONNECTED / INTEGRATION_INACTIVE otherwise)." })
  github(): GitHub {
    return new GitHub();
  }

  @FieldResolver(() => GitHubUser, { description: "Who the connected key belongs to." })
  viewer(@Ctx() { github }: Context): Promise<GitHubUser> {
    return github.viewer();
  }
}
