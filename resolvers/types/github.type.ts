import { Field, ObjectType } from "type-graphql";

/** The `github` namespace: every field is answered with the caller's tenant's connected key. */
@ObjectType({ description: "GitHub, through the workspace's connected key." })
export class GitHub {}

@ObjectType()
export class GitHubUser {
  @Field()
  login!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;
}
