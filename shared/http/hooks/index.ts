import type { HookKind as Kind } from '../../domain/integrations/integration.ts';
import { auth0 } from './auth0.ts';
import type { HookKind } from './hook-kind.ts';
import { kratos } from './kratos.ts';
import { okta } from './okta.ts';
import { supabase } from './supabase.ts';

export const HOOK_KINDS: { readonly [K in Kind]: HookKind } = { supabase, okta, kratos, auth0 };
