import { Field, ID, Int, ObjectType } from "type-graphql";
import { GitHubTokenType, IntegrationProvider, IntegrationStatus } from "./enums";

/** The integration card. It has no field that could carry the key: only its last 4 characters. */
@ObjectType({ description: "A connected provider of the caller's workspace: what the integration card shows." })
export class Integration {
  @Field(() => ID)
  id!: string;

  @Field(() => IntegrationProvider)
  provider!: IntegrationProvider;

  @Field(() => IntegrationStatus)
  status!: IntegrationStatus;

  @Field({ description: "The last 4 characters of the key, nothing more." })
  keyFingerprint!: string;

  @Field({ description: "When the current key was registered (connect or renew)." })
  registeredAt!: Date;

  @Field({ description: "The JWT sub of the admin who registered the current key." })
  registeredBy!: string;

  @Field(() => GitHubTokenType)
  tokenType!: GitHubTokenType;

  @Field({ description: "The GitHub account the key belongs to." })
  accountLogin!: string;

  @Field(() => [String], { description: "A classic key's OAuth scopes as GitHub reported them; empty for fine-grained keys." })
  scopes!: string[];

  @Field(() => Date, { nullable: true, description: "The key's expiry as GitHub reported it; null when it does not expire." })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "When GitHub last refused this key (HTTP 401): revoked or expired on GitHub; renew it. Null while it works." })
  keyRejectedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "When the gateway last used the key on GitHub (updated at most once a minute)." })
  lastUsedAt!: Date | null;
}

@ObjectType({ description: "What the key can reach on GitHub, read when it was registered and refreshed hourly with use." })
export class IntegrationReach {
  @Field(() => Int, { description: "Repositories of the key's user (owner, collaborator, organization member) the key can see." })
  repositories!: number;

  @Field(() => Int)
  privateRepositories!: number;

  @Field({ description: "False when the user has more repositories than the gateway counts (500): the figures are then at least these." })
  complete!: boolean;

  @Field(() => [String], { description: "The owners of those repositories: the ones a search without a repository stays within." })
  owners!: string[];

  @Field(() => [String], { description: "Organizations whose repositories GitHub keeps back until the key is authorised for their SAML single sign-on." })
  organizationsNeedingSso!: string[];

  @Field(() => [String], { description: "What an admin should know, in plain words: SSO to authorise, a fine-grained key reaching no private repository (approval pending?)." })
  advice!: string[];
}
