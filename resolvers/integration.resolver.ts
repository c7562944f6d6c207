import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../src/context";
import { keyHealthOf } from "../src/integrations/key-health";
import { KEY_CHECK_COST } from "../src/github/github-points";
import { IntegrationKeyHealth, IntegrationProvider } from "./types/enums";
import type { IntegrationEntity } from "../entities/integration.entity";
import { reachAdvice } from "../src/integrations/key-reach";
import { Integration, IntegrationReach } from "./types/integration.type";
import { IntegrationEventConnection } from "./types/integration-event.type";
import { DisconnectIntegrationPayload } from "./types/disconnect-integration.payload";
import {
  ConnectIntegrationInput,
  DisconnectIntegrationInput,
  RenewIntegrationInput,
  ToggleIntegrationInput,
} from "./types/integration.inputs";

@ArgsType()
class IntegrationEventsArgs {
  @Field(() => IntegrationProvider, { defaultValue: IntegrationProvider.GITHUB })
  provider!: IntegrationProvider;

  @Field(() => Int, { nullable: true, description: "1..100, default 20." })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

/** Thin: every query and change is scoped to the caller's own tenant and delegated to the service. */
@Resolver(() => Integration)
export class IntegrationResolver {
  @Query(() => Integration, { nullable: true, description: "The caller's workspace's integration; null when not connected." })
  integration(
    @Arg("provider", () => IntegrationProvider, { defaultValue: IntegrationProvider.GITHUB }) provider: IntegrationProvider,
    @Ctx() { principal, services }: Context,
  ) {
    return services.integrations.find(principal.tenant, provider);
  }

  @FieldResolver(() => IntegrationKeyHealth, { description: "The key's health for the card, from what GitHub last said about it (expiry, refusal)." })
  health(@Root() integration: Integration): IntegrationKeyHealth {
    return keyHealthOf(integration);
  }

  @FieldResolver(() => IntegrationReach, { nullable: true, description: "What the key can reach on GitHub; null until the gateway has read it (keys registered before it did)." })
  reach(@Root() integration: IntegrationEntity): IntegrationReach | null {
    const reach = integration.keyReach;
    if (!reach) return null;
    return {
      ...reach,
      owners: reach.owners.map((o) => o.login),
      organizationsNeedingSso: reach.ssoOrganizations,
      advice: reachAdvice(reach, integration.tokenType),
    };
  }

  @Query(() => [Integration])
  integrations(@Ctx() { principal, services }: Context) {
    return services.integrations.list(principal.tenant);
  }

  @Authorized("admin")
  @Query(() => IntegrationEventConnection, { description: "Admins only. Newest first." })
  integrationEvents(@Args() { provider, first, after }: IntegrationEventsArgs, @Ctx() { principal, services }: Context) {
    return services.integrations.events(principal.tenant, provider, first ?? undefined, after);
  }

  @Authorized("admin")
  @Mutation(() => Integration, { complexity: KEY_CHECK_COST })
  connectIntegration(@Arg("input") { provider, token: key }: ConnectIntegrationInput, @Ctx() { principal, services, log }: Context) {
    return services.integrations.connect(principal, provider, key, log);
  }

  @Authorized("admin")
  @Mutation(() => Integration, { complexity: KEY_CHECK_COST })
  renewIntegration(@Arg("input") { provider, token: key }: RenewIntegrationInput, @Ctx() { principal, services, log }: Context) {
    return services.integrations.renew(principal, provider, key, log);
  }

  @Authorized("admin")
  @Mutation(() => Integration)
  toggleIntegration(@Arg("input") input: ToggleIntegrationInput, @Ctx() { principal, services, log }: Context) {
    return services.integrations.toggle(principal, input.provider, input.active, log);
  }

  @Authorized("admin")
  @Mutation(() => DisconnectIntegrationPayload)
  disconnectIntegration(@Arg("input") input: DisconnectIntegrationInput, @Ctx() { principal, services, log }: Context) {
    return services.integrations.disconnect(principal, input.provider, log);
  }
}
