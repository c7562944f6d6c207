import { Field, ID, ObjectType } from "type-graphql";
import { IntegrationEventAction } from "./enums";
import { PageInfo } from "./page-info.type";

@ObjectType({ description: "One change to an integration: who did what, when, with which key (by fingerprint)." })
export class IntegrationEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => IntegrationEventAction)
  action!: IntegrationEventAction;

  @Field({ description: "The JWT sub of who did it." })
  actor!: string;

  @Field(() => String, { nullable: true })
  keyFingerprint!: string | null;

  @Field()
  at!: Date;
}

@ObjectType({ description: "Events newest first." })
export class IntegrationEventConnection {
  @Field(() => [IntegrationEvent])
  nodes!: IntegrationEvent[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
