import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, type HostLookup } from './ssrf-guard.ts';

/** A resolver that answers from a fixed table, so that no test depends on real DNS. */
function lookupFrom(table: Record<string, string[]>): HostLookup {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const publicLookup = lookupFrom({ 'hooks.example.com': ['93.184.215.14'] });

describe('checkWebhookUrl', () => {
  it('accepts an https URL whose host resolves to a public address, and returns that address', async () => {
    const result = await checkWebhookUrl('https://hooks.example.com/services/T0/B0/x', {
      allowPrivate: false,
      lookup: publicLookup,
    });
    expect(result).toMatchObject({ ok: true, address: '93.184.215.14', family: 4 });
  });

  it('accepts a public IP literal without resolving it', async () => {
    const result = await checkWebhookUrl('https://93.184.215.14/hook', {
      allowPrivate: false,
      lookup: () => Promise.reject(new Error('must not be called')),
    });
    expect(result).toMatchObject({ ok: true, address: '93.184.215.14' });
  });

  it('refuses plain http unless private addresses are allowed', async () => {
    const result = await checkWebhookUrl('http://hooks.example.com/', { allowPrivate: false, lookup: publicLookup });
    expect(result).toEqual({ ok: false, reason: 'only https: URLs are accepted', temporary: false });
  });

  it.each([
    ['loopback IPv4', 'https://127.0.0.1/'],
    ['localhost', 'https://localhost:8080/'],
    ['a name under .localhost', 'https://api.localhost/'],
    ['loopback IPv6', 'https://[::1]/'],
    ['10/8', 'https://10.1.2.3/'],
    ['172.16/12', 'https://172.16.0.5/'],
    ['192.168/16', 'https://192.168.1.1/'],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data/'],
    ['another link-local address', 'https://169.254.10.10/'],
    ['unique local IPv6 (fd00::/8)', 'https://[fd00::1]/'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/'],
    ['the unspecified address', 'https://0.0.0.0/'],
    ['carrier-grade NAT', 'https://100.64.0.1/'],
    ['multicast', 'https://224.0.0.1/'],
    ['the broadcast address', 'https://255.255.255.255/'],
    ['a decimal IPv4 literal (2130706433 = 127.0.0.1)', 'https://2130706433/'],
    ['a hexadecimal IPv4 literal', 'https://0x7f.0.0.1/'],
    ['a 6to4 address that embeds a private one', 'https://[2002:c0a8:101::1]/'],
  ])('refuses %s', async (_label, url) => {
    const result = await checkWebhookUrl(url, { allowPrivate: false, lookup: publicLookup });
    expect(result.ok).toBe(false);
  });

  it('refuses the decimal loopback literal over http too, whatever allowPrivate says about http', async () => {
    const result = await checkWebhookUrl('http://2130706433/', { allowPrivate: false });
    expect(result.ok).toBe(false);
  });

  it('refuses credentials in the URL', async () => {
    const result = await checkWebhookUrl('https://user:pass@hooks.example.com/', {
      allowPrivate: false,
      lookup: publicLookup,
    });
    expect(result).toEqual({ ok: false, reason: 'the URL must not contain credentials', temporary: false });
  });

  it('refuses port 0, overlong URLs and things that are not URLs', async () => {
    const options = { allowPrivate: false, lookup: publicLookup };
    expect((await checkWebhookUrl('https://hooks.example.com:0/', options)).ok).toBe(false);
    expect((await checkWebhookUrl(`https://hooks.example.com/${'a'.repeat(2048)}`, options)).ok).toBe(false);
    expect((await checkWebhookUrl('not a url', options)).ok).toBe(false);
    expect((await checkWebhookUrl('ftp://hooks.example.com/', options)).ok).toBe(false);
  });

  it('refuses a host when ANY of its addresses is private (one public, one private)', async () => {
    const result = await checkWebhookUrl('https://mixed.example.com/', {
      allowPrivate: false,
      lookup: lookupFrom({ 'mixed.example.com': ['93.184.215.14', '10.0.0.7'] }),
    });
    expect(result).toMatchObject({ ok: false, temporary: false });
    expect(!result.ok && result.reason).toContain('10.0.0.7');
  });

  it('refuses a name that resolves to an IPv4-mapped private address', async () => {
    const result = await checkWebhookUrl('https://sneaky.example.com/', {
      allowPrivate: false,
      lookup: lookupFrom({ 'sneaky.example.com': ['::ffff:192.168.0.1'] }),
    });
    expect(result.ok).toBe(false);
  });

  it('refuses cloud metadata host names, even with allowPrivate', async () => {
    const lookup = lookupFrom({ 'metadata.google.internal': ['8.8.8.8'] });
    for (const url of ['http://metadata.google.internal/', 'https://METADATA.google.internal./computeMetadata/v1/']) {
      const result = await checkWebhookUrl(url, { allowPrivate: true, lookup });
      expect(result).toEqual({ ok: false, reason: 'cloud metadata hosts are refused', temporary: false });
    }
    const byAddress = await checkWebhookUrl('http://169.254.169.254/', { allowPrivate: true });
    expect(byAddress.ok).toBe(false);
  });

  it('accepts loopback over plain http when private addresses are allowed (the test receiver)', async () => {
    expect(await checkWebhookUrl('http://127.0.0.1:4100/hook', { allowPrivate: true })).toMatchObject({
      ok: true,
      address: '127.0.0.1',
      family: 4,
    });
    expect(await checkWebhookUrl('http://[::1]:4100/hook', { allowPrivate: true })).toMatchObject({
      ok: true,
      address: '::1',
      family: 6,
    });
  });

  it('reports a failed resolution as temporary (a DNS outage heals)', async () => {
    const result = await checkWebhookUrl('https://nowhere.example.com/', {
      allowPrivate: false,
      lookup: lookupFrom({}),
    });
    expect(result).toEqual({ ok: false, reason: 'the host could not be resolved (ENOTFOUND)', temporary: true });
  });
});
