import { providerSenders } from '../adapters/sms/senders.ts';
import { registerProviderSenders } from './container.ts';

/** Imported (for this effect) by every function that sends SMS: makes the provider adapters available. */
registerProviderSenders(providerSenders);
