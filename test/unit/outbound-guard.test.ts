import { guardResolving } from '../support/outbound.ts';
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { OutboundGuard, OutboundRefused, parseCidrs } from '../../shared/adapters/net/outbound-guard.ts';

const deployed = new OutboundGuard({ allowLoopback: false, allowCidrs: [] });
const local = new OutboundGuard({ allowLoopback: true, allowCidrs: [] });

describe('the outbound address guard: ranges', () => {
  const refused: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['192.0.2.10', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'discard'],
    ['4000::1', 'reserved'],
    // IPv6 forms that carry an IPv4 address are judged by it.
    ['::ffff:10.0.0.5', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:0:10.1.2.3', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'linkLocal'],
    ['64:ff9b:1::1', 'unspecified'],
    ['2002:0a00:0001::1', 'private'],
    ['2002:a9fe:a9fe::', 'linkLocal'],
    ['::10.0.0.5', 'private'],
  ];
  it.each(refused)('refuses %s (%s)', (address, range) => {
    expect(deployed.addressProblem(address)).toContain(range);
    expect(deployed.hostProblem(address.includes(':') ? `[${address}]` : address)).toContain(range);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '2606:4700::1111',
    '::ffff:93.184.216.34',
    '64:ff9b::808:808',
    '2002:5db8:d822::1',
  ])('allows the public address %s', (address) => {
    expect(deployed.addressProblem(address)).toBeUndefined();
  });

  it('reads hosts as WHATWG URL parsing does, and refuses localhost', () => {
    for (const host of [
      '0x7f.1',
      '2130706433',
      '0177.0.0.1',
      '127.1',
      'LOCALHOST',
      'api.localhost',
      '[::ffff:127.0.0.1]',
    ])
      expect(deployed.hostProblem(host), host).toBeDefined();
    expect(deployed.hostProblem('0xa9.254.169.254')).toContain('linkLocal');
    expect(deployed.hostProblem('api.twilio.com')).toBeUndefined();
    expect(deployed.hostProblem('bad host')).toBe('is not a valid host name');
  });

  it('allows loopback, and only loopback, in local mode', () => {
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '::ffff:127.0.0.1'])
      expect(local.hostProblem(host), host).toBeUndefined();
    for (const host of ['10.0.0.5', '169.254.169.254', '[fd00::1]'])
      expect(local.hostProblem(host), host).toBeDefined();
  });

  it('lets the allow-list open chosen ranges, and refuses a malformed one', () => {
    const guard = new OutboundGuard({
      allowLoopback: false,
      allowCidrs: parseCidrs(' 10.1.0.0/16, fd00:1::/32 '),
    });
    expect(guard.addressProblem('10.1.2.3')).toBeUndefined();
    expect(guard.addressProblem('::ffff:10.1.2.3')).toBeUndefined();
    expect(guard.addressProblem('fd00:1::5')).toBeUndefined();
    expect(guard.addressProblem('10.2.0.1')).toContain('private');
    expect(() => parseCidrs('10.0.0.0/8,nope')).toThrow(/nope/);
    expect(parseCidrs(undefined)).toEqual([]);
  });
});

describe('the outbound address guard: names at connect time', () => {
  const answers: Record<string, LookupAddress[]> = {
    'public.example': [{ address: '93.184.216.34', family: 4 }],
    'rebind.example': [
      { address: '93.184.216.34', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ],
    'internal.example': [{ address: 'fd00::7', family: 6 }],
  };
  const guard = guardResolving(answers, { allowLoopback: false });
  const lookup = (hostname: string, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((resolve) =>
      guard.lookup(hostname, { all }, (error, address, family) => resolve({ error, address, family })),
    );

  it('hands the connection exactly the addresses it judged', async () => {
    expect(await lookup('public.example', false)).toEqual({
      error: null,
      address: '93.184.216.34',
      family: 4,
    });
    expect((await lookup('public.example', true)).address).toEqual(answers['public.example']);
  });

  it('refuses a name when any of its answers is in a refused range', async () => {
    for (const name of ['rebind.example', 'internal.example']) {
      for (const all of [true, false]) {
        const { error } = await lookup(name, all);
        expect(error, name).toBeInstanceOf(OutboundRefused);
        expect(error?.message).toMatch(/linkLocal|uniqueLocal/);
      }
    }
  });

  it('refuses an IP literal destination at connect time', () => {
    expect(() => deployed.assertConnectable('169.254.169.254')).toThrow(OutboundRefused);
    expect(() => deployed.assertConnectable('api.twilio.com')).not.toThrow();
  });
});
