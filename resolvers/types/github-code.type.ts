import { Field, Int, ObjectType } from "type-graphql";

@ObjectType()
export class GitHubTextMatchRange {
  @Field()
  text!: string;

  @Field(() => Int, { description: "Offset of the match in `fragment`." })
  start!: number;

  @Field(() => Int)
  end!: number;
}

@ObjectType({ description: "A piece of a file around matched words." })
export class GitHubTextMatch {
  @Field()
  fragment!: string;

  @Field(() => [GitHubTextMatchRange])
  matches!: GitHubTextMatchRange[];
}

@ObjectType()
export class GitHubCodeMatch {
  @Field()
  path!: string;

  @Field({ description: "owner/name" })
  repository!: string;

  @Field()
  url!: string;

  @Field(() => [GitHubTextMatch])
  fragments!: GitHubTextMatch[];
}

@ObjectType()
export class GitHubCodeSearchResult {
  @Field(() => Int)
  totalCount!: number;

  @Field()
  incompleteResults!: boolean;

  @Field(() => [GitHubCodeMatch])
  items!: GitHubCodeMatch[];
}
