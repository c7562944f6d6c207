import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "The connected key's GitHub GraphQL budget, as of this request's latest upstream answer." })
export class GitHubRateLimit {
  @Field(() => Int, { description: "Points the latest upstream document cost." })
  cost!: number;

  @Field(() => Int)
  limit!: number;

  @Field(() => Int)
  remaining!: number;

  @Field()
  resetAt!: Date;
}
