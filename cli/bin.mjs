#!/usr/bin/env node
// `sms-mfa`, the package's command: the TypeScript CLI run through tsx, so that it works straight
// after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('./admin.ts');
