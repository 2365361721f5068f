import { numberListProblems, trustedE164 } from '../sending/number-class.ts';

/**
 * A store write's number-list rules (sending/number-class.ts: the send path's own), which parse trusted
 * numbers with libphonenumber's metadata (190 KiB). The writes' wiring hands them to the service, so the
 * routes that only read, list or delete stores do not bundle the metadata.
 */
export const NUMBER_LIST_RULES = { problems: numberListProblems, trustedE164 } as const;

export type NumberListRules = typeof NUMBER_LIST_RULES;
