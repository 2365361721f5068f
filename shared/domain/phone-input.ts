/**
 * api.md: E.164 (`+447079692712`) or international digits without `+` (`447079692712`). Apart from
 * phone.ts so that the request schemas check the shape without loading libphonenumber's metadata.
 */
export const PHONE_INPUT_PATTERN = /^\+?[1-9]\d{6,14}$/;
