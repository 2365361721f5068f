import { describe, it, expect } from 'vitest';
import {
  CODE_PLACEHOLDER,
  messageInfo,
  renderTemplate,
  templateInfo,
  templateProblems,
} from '../../shared/domain/sms-encoding.ts';

/** TS 23.038 default alphabet, written out independently of the implementation (ESC omitted). */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';

describe('messageInfo: GSM-7', () => {
  it.each([
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
  ])('plain ASCII of %i characters is %i segment(s)', (n, segments) => {
    expect(messageInfo('a'.repeat(n))).toEqual({ encoding: 'GSM-7', length: n, segments });
  });

  it('treats the empty text as one GSM-7 segment of length 0', () => {
    expect(messageInfo('')).toEqual({ encoding: 'GSM-7', length: 0, segments: 1 });
  });

  it('has exactly 127 basic characters of one septet and 10 extension characters of two', () => {
    expect([...BASIC]).toHaveLength(127);
    for (const ch of BASIC) expect(messageInfo(ch), JSON.stringify(ch)).toMatchObject({ length: 1 });
    for (const ch of EXTENSION) {
      expect(messageInfo(ch), JSON.stringify(ch)).toEqual({ encoding: 'GSM-7', length: 2, segments: 1 });
    }
    expect(messageInfo(BASIC + EXTENSION)).toMatchObject({ encoding: 'GSM-7', length: 147 });
  });

  it('recognises no other BMP character as GSM-7 (ESC included)', () => {
    const gsm: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (messageInfo(ch).encoding === 'GSM-7') gsm.push(ch);
    }
    expect(gsm.sort()).toEqual([...BASIC, ...EXTENSION].sort());
    expect(messageInfo('\u001b').encoding).toBe('UCS-2');
  });

  it.each([...EXTENSION])('counts extension character %j as two septets', (ch) => {
    expect(messageInfo(ch.repeat(80))).toEqual({ encoding: 'GSM-7', length: 160, segments: 1 });
    expect(messageInfo(ch.repeat(81))).toEqual({ encoding: 'GSM-7', length: 162, segments: 2 });
  });

  it('mixes extension and basic characters in the septet count', () => {
    expect(messageInfo('a'.repeat(158) + '€')).toEqual({ encoding: 'GSM-7', length: 160, segments: 1 });
    expect(messageInfo('a'.repeat(159) + '€')).toEqual({ encoding: 'GSM-7', length: 161, segments: 2 });
  });

  it('moves an extension character that would straddle two segments into the next one', () => {
    // 152 + 2 + 152 = 306 septets: naive ceil(306 / 153) = 2, but the € cannot fit in the first
    // segment's last septet, so segment 1 = 152, segment 2 = € + 151 = 153, segment 3 = 1.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(Math.ceil(306 / 153)).toBe(2);
    expect(messageInfo(text)).toEqual({ encoding: 'GSM-7', length: 306, segments: 3 });
    // The same € one septet earlier fits exactly.
    expect(messageInfo('a'.repeat(151) + '€' + 'a'.repeat(153))).toEqual({
      encoding: 'GSM-7',
      length: 306,
      segments: 2,
    });
  });

  it('keeps accented and Greek characters of the default alphabet in GSM-7', () => {
    for (const text of ['é', 'Ø', 'Δ', 'Café Ørsted ΔΣΩ ÄÖÜäöüß ¿¡ £¥§ è ù ì ò à Ç Å å Æ æ É Ñ ñ']) {
      expect(messageInfo(text).encoding).toBe('GSM-7');
    }
    expect(messageInfo('é'.repeat(160))).toEqual({ encoding: 'GSM-7', length: 160, segments: 1 });
  });
});

describe('messageInfo: UCS-2', () => {
  it('uses UCS-2 for ç (only capital Ç is in the default alphabet) and ê', () => {
    expect(messageInfo('Ç').encoding).toBe('GSM-7');
    expect(messageInfo('ç')).toEqual({ encoding: 'UCS-2', length: 1, segments: 1 });
    expect(messageInfo('Ça va, garçon?')).toEqual({ encoding: 'UCS-2', length: 14, segments: 1 });
    expect(messageInfo('fête').encoding).toBe('UCS-2');
  });

  it('uses UCS-2 for other characters outside the tables', () => {
    for (const ch of ['`', '\t', 'á', 'õ', '’', '“', '\u00a0', 'ı']) {
      expect(messageInfo(`a${ch}b`).encoding, JSON.stringify(ch)).toBe('UCS-2');
    }
  });

  it.each([
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
  ])('Chinese text of %i characters is %i segment(s)', (n, segments) => {
    expect(messageInfo('中'.repeat(n))).toEqual({ encoding: 'UCS-2', length: n, segments });
  });

  it.each([
    [35, 70, 1],
    [36, 72, 2],
    [67, 134, 3],
  ])('%i emoji are %i code units in %i segment(s)', (n, length, segments) => {
    expect(messageInfo('😀'.repeat(n))).toEqual({ encoding: 'UCS-2', length, segments });
  });

  it('counts emoji as two code units at the 70/71 and 134/135 boundaries', () => {
    expect(messageInfo('中'.repeat(68) + '😀')).toEqual({ encoding: 'UCS-2', length: 70, segments: 1 });
    expect(messageInfo('中'.repeat(69) + '😀')).toEqual({ encoding: 'UCS-2', length: 71, segments: 2 });
    expect(messageInfo('中'.repeat(65) + '😀' + '中'.repeat(67))).toEqual({
      encoding: 'UCS-2',
      length: 134,
      segments: 2,
    });
    expect(messageInfo('中'.repeat(65) + '😀' + '中'.repeat(68))).toEqual({
      encoding: 'UCS-2',
      length: 135,
      segments: 3,
    });
  });

  it('does not split a surrogate pair across segments', () => {
    // 66 + 2 + 66 = 134 units: naive ceil(134 / 67) = 2, but the emoji would straddle units 67-68.
    const text = '中'.repeat(66) + '😀' + '中'.repeat(66);
    expect(Math.ceil(134 / 67)).toBe(2);
    expect(messageInfo(text)).toEqual({ encoding: 'UCS-2', length: 134, segments: 3 });
  });

  it('makes a whole otherwise-GSM message UCS-2 for one foreign character', () => {
    expect(messageInfo('a'.repeat(100) + '😀')).toEqual({ encoding: 'UCS-2', length: 102, segments: 2 });
    expect(messageInfo('€'.repeat(10) + 'ç')).toEqual({ encoding: 'UCS-2', length: 11, segments: 1 });
  });
});

describe('renderTemplate', () => {
  it('replaces every [Code]', () => {
    expect(CODE_PLACEHOLDER).toBe('[Code]');
    expect(renderTemplate('[Code] is your code. Again: [Code]', '123456')).toBe(
      '123456 is your code. Again: 123456',
    );
  });

  it('leaves other casings and templates without the placeholder alone', () => {
    expect(renderTemplate('Code [code] [CODE]', '1')).toBe('Code [code] [CODE]');
  });

  it('inserts the code literally', () => {
    expect(renderTemplate('x[Code]y', "$&$1$$$'")).toBe("x$&$1$$$'y");
  });
});

describe('templateInfo', () => {
  it('measures the template with a code of the given length', () => {
    expect(templateInfo('Your verification code is [Code]', 6)).toEqual({
      encoding: 'GSM-7',
      length: 32,
      segments: 1,
    });
    expect(templateInfo('[Code]' + 'a'.repeat(152), 8)).toEqual({
      encoding: 'GSM-7',
      length: 160,
      segments: 1,
    });
    expect(templateInfo('[Code]' + 'a'.repeat(152), 9)).toEqual({
      encoding: 'GSM-7',
      length: 161,
      segments: 2,
    });
    expect(templateInfo('您的验证码是 [Code]', 6)).toEqual({ encoding: 'UCS-2', length: 13, segments: 1 });
  });

  it('rejects a negative or fractional code length', () => {
    expect(() => templateInfo('[Code]', -1)).toThrow(RangeError);
    expect(() => templateInfo('[Code]', 1.5)).toThrow(RangeError);
  });
});

describe('templateProblems', () => {
  it('accepts a good template', () => {
    expect(templateProblems('Your verification code is [Code]')).toEqual([]);
    expect(templateProblems('[Code]')).toEqual([]);
    expect(templateProblems('Code:\r\n[Code]\nDo not share it. 😀')).toEqual([]);
  });

  it('requires the placeholder, case-sensitively', () => {
    expect(templateProblems('Your verification code')).toEqual([expect.stringContaining('[Code]')]);
    expect(templateProblems('Your verification code is [code]')).toHaveLength(1);
    expect(templateProblems('Your verification code is [CODE]')).toHaveLength(1);
  });

  it('limits the length to 1..640 characters', () => {
    expect(templateProblems('')).toEqual([expect.stringContaining('empty')]);
    expect(templateProblems('[Code]' + 'a'.repeat(634))).toEqual([]);
    expect(templateProblems('[Code]' + 'a'.repeat(635))).toEqual([expect.stringContaining('640')]);
    // Characters are code points: 634 emoji are 1268 UTF-16 units but 640 characters.
    expect(templateProblems('[Code]' + '😀'.repeat(634))).toEqual([]);
  });

  it('rejects control characters other than line feed and carriage return', () => {
    for (const ch of ['\u0000', '\t', '\f', '\u000b', '\u001b', '\u007f', '\u0085', '\u009f']) {
      expect(templateProblems(`Code${ch} [Code]`), JSON.stringify(ch)).toEqual([
        expect.stringContaining('control'),
      ]);
    }
  });

  it('reports every problem at once', () => {
    expect(templateProblems('\u0000'.repeat(641))).toHaveLength(3);
  });
});
