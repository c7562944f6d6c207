import { Field, ObjectType } from "type-graphql";
import { IntegrationProvider } from "./enums";

@ObjectType()
export class DisconnectIntegrationPayload {
  @Field(() => IntegrationProvider)
  provider!: IntegrationProvider;

  @Field()
  disconnectedAt!: Date;
}
