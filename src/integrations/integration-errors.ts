import { ErrorCode, GatewayError } from "../errors";
import { IntegrationProvider } from "../../entities/integration-enums";

const providerName: Record<IntegrationProvider, string> = { [IntegrationProvider.GITHUB]: "GitHub" };

export const notConnected = (provider: IntegrationProvider) =>
  new GatewayError(ErrorCode.INTEGRATION_NOT_CONNECTED, `${providerName[provider]} is not connected for this workspace; an admin can connect it.`);

export const alreadyConnected = (provider: IntegrationProvider) =>
  new GatewayError(
    ErrorCode.INTEGRATION_ALREADY_CONNECTED,
    `${providerName[provider]} is already connected for this workspace: renew its key or disconnect it first.`,
  );

export const inactive = (provider: IntegrationProvider) =>
  new GatewayError(ErrorCode.INTEGRATION_INACTIVE, `${providerName[provider]} is deactivated for this workspace; an admin can activate it.`);
