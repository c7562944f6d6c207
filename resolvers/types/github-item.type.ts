import { Field, ID, Int, ObjectType } from "type-graphql";
import { GitHubAuthorAssociation } from "./github-author-association.type";

/** What issues and pull requests share; github-mappers.ts fills it from either fragment with one function. */
// Never referenced by a field, so type-graphql leaves it out of the schema; subclasses inherit its fields.
@ObjectType()
export abstract class GitHubItem {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  number!: number;

  @Field({ description: "owner/name" })
  repository!: string;

  @Field()
  title!: string;

  @Field()
  body!: string;

  @Field()
  url!: string;

  @Field(() => String, { nullable: true, description: "The author's login; null for a deleted account." })
  author!: string | null;

  @Field(() => GitHubAuthorAssociation)
  authorAssociation!: GitHubAuthorAssociation;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  closedAt!: Date | null;
}
