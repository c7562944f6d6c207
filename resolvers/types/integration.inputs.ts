import { Field, InputType } from "type-graphql";
import { IntegrationProvider } from "./enums";

@InputType({ description: "Connect a provider with a key. The key is checked with GitHub before anything is stored." })
export class ConnectIntegrationInput {
  @Field(() => IntegrationProvider, { defaultValue: IntegrationProvider.GITHUB })
  provider!: IntegrationProvider;

  @Field({ description: "A GitHub personal access token (github_pat_... or ghp_...). Never returned or logged." })
  token!: string;
}

@InputType({ description: "Replace the key. From the moment this commits, the old key is never used again." })
export class RenewIntegrationInput {
  @Field(() => IntegrationProvider, { defaultValue: IntegrationProvider.GITHUB })
  provider!: IntegrationProvider;

  @Field({ description: "The new key. Never returned or logged." })
  token!: string;
}

@InputType({ description: "Turn the integration on or off without deleting its key. Repeating a state changes nothing." })
export class ToggleIntegrationInput {
  @Field(() => IntegrationProvider, { defaultValue: IntegrationProvider.GITHUB })
  provider!: IntegrationProvider;

  @Field()
  active!: boolean;
}

@InputType({ description: "Delete the stored key for good. Revoking the key itself is done on GitHub by its owner." })
export class DisconnectIntegrationInput {
  @Field(() => IntegrationProvider, { defaultValue: IntegrationProvider.GITHUB })
  provider!: IntegrationProvider;
}
