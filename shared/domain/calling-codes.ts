/**
 * The country calling codes of libphonenumber-js (1.13.16), written out so that what only needs a
 * number's calling code (masking `+44*******712`) does not load the library's metadata (190 KiB of
 * every bundle that has it). test/unit/calling-codes.test.ts keeps both lists equal to the library's.
 */
const COUNTRY_CALLING_CODES: readonly string[] = /* @__PURE__ */ words([
  '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65',
  '66 81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230',
  '231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255',
  '256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356',
  '357 358 359 370 371 372 373 374 375 376 377 378 380 381 382 383 385 386 387 389 420 421 423 500 501',
  '502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 677',
  '678 679 680 681 682 683 685 686 687 688 689 690 691 692 850 852 853 855 856 880 886 960 961 962 963',
  '964 965 966 967 968 970 971 972 973 974 975 976 977 992 993 994 995 996 998',
]);

/**
 * The calling codes of no country (international freephone, satellite networks...). Some have mobile
 * numbers (Inmarsat's 870, Iridium's 881), which the library parses as valid: a code may go to one.
 */
const NON_GEOGRAPHIC_CALLING_CODES: readonly string[] = [
  '800',
  '808',
  '870',
  '878',
  '881',
  '882',
  '883',
  '888',
  '979',
];

export const CALLING_CODES = { country: COUNTRY_CALLING_CODES, nonGeographic: NON_GEOGRAPHIC_CALLING_CODES };

// Marked pure: a bundle that imports this module without masking a number drops the lists.
const KNOWN: ReadonlySet<string> = /* @__PURE__ */ codeSet(
  COUNTRY_CALLING_CODES,
  NON_GEOGRAPHIC_CALLING_CODES,
);
/** Calling codes are one to three digits and prefix-free (ITU E.164): at most one prefix of a number is one. */
const LONGEST = 3;

/** The calling code an E.164 number (`+` and digits) starts with, or undefined when none does. */
export function callingCodeOf(e164: string): string | undefined {
  if (!e164.startsWith('+')) return undefined;
  for (let length = 1; length <= LONGEST; length++) {
    const code = e164.slice(1, 1 + length);
    if (code.length === length && KNOWN.has(code)) return code;
  }
  return undefined;
}

function words(lines: readonly string[]): string[] {
  return lines.join(' ').split(' ');
}

function codeSet(...lists: (readonly string[])[]): ReadonlySet<string> {
  return new Set(lists.flat());
}
