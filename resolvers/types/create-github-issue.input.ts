import { Field, InputType } from "type-graphql";

@InputType({ description: "A new issue. Label and assignee names are resolved to GitHub's IDs in one batched look-up." })
export class CreateGitHubIssueInput {
  @Field()
  owner!: string;

  @Field()
  repo!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => [String], { nullable: true, description: "Label names; an unknown one is BAD_USER_INPUT naming it." })
  labels?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Logins; an unknown one is BAD_USER_INPUT naming it." })
  assignees?: string[] | null;
}
