import {
  GATEWAY_TYPE_INFO,
  GATEWAY_TYPES,
  type Channel,
  type GatewayType,
  type GatewayTypeInfo,
} from './gateway-types.ts';

export type GatewayTypeEntry = Omit<GatewayTypeInfo, 'voiceUrl' | 'channels'> & {
  channels: Channel[];
  enabled: boolean;
};

/** A console gateway only where the deployment allows it (CONSOLE_GATEWAY_ALLOWED). */
export const gatewayTypeEnabled = (type: GatewayType, consoleGatewayAllowed: boolean): boolean =>
  type !== 'console' || consoleGatewayAllowed;

/**
 * The gateway types an admin may choose from, each enabled or not: the catalogue alone, without the
 * gateway admin's store, secrets or URL policy (`GET /admin/gateway-types` builds nothing else).
 */
export function gatewayTypeCatalogue(consoleGatewayAllowed: boolean): GatewayTypeEntry[] {
  return GATEWAY_TYPES.map((type) => {
    // The call address is the adapters' business; the catalogue shows which channels a type has.
    const { voiceUrl: _callAddress, ...info } = GATEWAY_TYPE_INFO[type];
    return {
      ...info,
      channels: [...info.channels],
      enabled: gatewayTypeEnabled(type, consoleGatewayAllowed),
    };
  });
}
