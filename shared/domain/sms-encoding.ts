/**
 * SMS encoding and segment counting (GSM 03.38 / 3GPP TS 23.038, concatenation per TS 23.040).
 *
 * A message is GSM-7 when every character is in the default alphabet or its extension table,
 * otherwise UCS-2. Concatenated messages lose room to the 6-byte user data header: 153 septets
 * (GSM-7) or 67 UTF-16 code units (UCS-2) per segment instead of 160 / 70. Encoders never split an
 * extension character's ESC pair or a UTF-16 surrogate pair across segments, so segments are
 * counted by walking the text rather than by dividing its length.
 */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface MessageInfo {
  encoding: SmsEncoding;
  segments: number;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  length: number;
}

/**
 * The GSM 7-bit default alphabet, indexed by septet value 0x00..0x7F (TS 23.038 §6.2.1).
 * 0x1B is ESC (the extension-table escape), not a character: it is kept only so that every
 * character sits at its septet index, and is excluded from {@link GSM7_BASIC}.
 */
const GSM7_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅå' + // 0x00-0x0F
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' + // 0x10-0x1F
  ' !"#¤%&\'()*+,-./' + // 0x20-0x2F
  '0123456789:;<=>?' + // 0x30-0x3F
  '¡ABCDEFGHIJKLMNO' + // 0x40-0x4F
  'PQRSTUVWXYZÄÖÑÜ§' + // 0x50-0x5F
  '¿abcdefghijklmno' + // 0x60-0x6F
  'pqrstuvwxyzäöñüà'; // 0x70-0x7F

const ESC = '\u001b';

const GSM7_BASIC: ReadonlySet<string> = new Set([...GSM7_TABLE].filter((ch) => ch !== ESC));

/**
 * The default extension table (TS 23.038 §6.2.1.1), each sent as ESC + septet: form feed (0x0A),
 * `^` (0x14), `{` (0x28), `}` (0x29), `\` (0x2F), `[` (0x3C), `~` (0x3D), `]` (0x3E), `|` (0x40),
 * `€` (0x65).
 */
const GSM7_EXTENSION: ReadonlySet<string> = new Set(['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€']);

const GSM7_SINGLE_LIMIT = 160;
const GSM7_SEGMENT_LIMIT = 153;
const UCS2_SINGLE_LIMIT = 70;
const UCS2_SEGMENT_LIMIT = 67;

/**
 * Segments needed for characters of the given sizes: one if the total fits a single message,
 * otherwise segments of `segmentLimit` filled in order, a character that would straddle two
 * segments going whole into the next one.
 */
function countSegments(sizes: number[], total: number, singleLimit: number, segmentLimit: number): number {
  if (total <= singleLimit) return 1;
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > segmentLimit) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return segments;
}

/**
 * Encoding, length and segment count of an SMS body. The empty text is GSM-7 of length 0 in one
 * segment: an empty SMS is still one message sent (and billed).
 */
export function messageInfo(text: string): MessageInfo {
  // Iterating a string yields code points, so a surrogate pair is one character of 2 units.
  const chars = [...text];
  const septets: number[] = [];
  let gsm = true;
  for (const ch of chars) {
    if (GSM7_BASIC.has(ch)) septets.push(1);
    else if (GSM7_EXTENSION.has(ch)) septets.push(2);
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    const length = septets.reduce((sum, n) => sum + n, 0);
    return {
      encoding: 'GSM-7',
      length,
      segments: countSegments(septets, length, GSM7_SINGLE_LIMIT, GSM7_SEGMENT_LIMIT),
    };
  }
  // A lone (unpaired) surrogate is one code unit, as UCS-2 would send it.
  const units = chars.map((ch) => ch.length);
  return {
    encoding: 'UCS-2',
    length: text.length,
    segments: countSegments(units, text.length, UCS2_SINGLE_LIMIT, UCS2_SEGMENT_LIMIT),
  };
}

export const CODE_PLACEHOLDER = '[Code]';

/** Renders the template with a code: every `[Code]` replaced. */
export function renderTemplate(template: string, code: string): string {
  // A replacer function, so `$` sequences in the code are never read as replacement patterns.
  return template.replaceAll(CODE_PLACEHOLDER, () => code);
}

/** messageInfo of the template rendered with a code of `codeLength` digits (digits are GSM-7 basic chars). */
export function templateInfo(template: string, codeLength: number): MessageInfo {
  if (!Number.isInteger(codeLength) || codeLength < 0) {
    throw new RangeError(`codeLength must be a non-negative integer, got ${codeLength}`);
  }
  return messageInfo(renderTemplate(template, '0'.repeat(codeLength)));
}

export const TEMPLATE_MAX_LENGTH = 640;

/** C0 controls, DEL and C1 controls, except line feed and carriage return. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/**
 * Field problems of a message template: must contain [Code] (case-sensitive), 1..640 chars, no
 * NUL/control chars other than \n and \r. Returns [] when fine.
 *
 * Length is in Unicode code points (an emoji is one character). Form feed, although a GSM-7
 * extension character, is a control character and so rejected, as are tab, DEL and C1 controls.
 */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  const length = [...template].length;
  if (length === 0) problems.push('must not be empty');
  else if (length > TEMPLATE_MAX_LENGTH) {
    problems.push(`must be at most ${TEMPLATE_MAX_LENGTH} characters, got ${length}`);
  }
  if (length > 0 && !template.includes(CODE_PLACEHOLDER)) {
    problems.push(`must contain the ${CODE_PLACEHOLDER} placeholder (case-sensitive)`);
  }
  if (FORBIDDEN_CONTROL.test(template)) {
    problems.push('must not contain control characters other than line feed and carriage return');
  }
  return problems;
}
