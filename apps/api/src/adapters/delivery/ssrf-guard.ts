/**
 * The SSRF guard for webhook deliveries (issue 11). A webhook URL is typed in by a person, and the
 * server then POSTs to it every morning: without this check anyone could make Handoff call its own
 * admin ports, the cloud metadata service (169.254.169.254) or any machine on the private network.
 *
 * `checkWebhookUrl` parses the URL, resolves its host ONCE and accepts it only when EVERY resolved
 * address is public unicast. It returns the checked address, and the webhook sender connects to
 * exactly that address (see `pinnedLookup` in webhook-sender.ts): a DNS answer that changes between
 * the check and the connection (DNS rebinding) cannot move the request to a private address.
 *
 * `allowPrivate` (HANDOFF_WEBHOOK_ALLOW_PRIVATE=1) is for tests and self-hosted installations whose
 * chat server sits on the private network: it accepts plain `http:` and private, loopback and
 * link-local addresses. Even then the cloud metadata endpoints are refused, because nobody has a
 * reason to send a morning brief to them and they hand out credentials.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** One address a host name resolved to, in the shape of `dns.lookup(host, { all: true })`. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/**
 * Resolves a host name to all of its addresses. Injected by tests so that they can make a name
 * resolve to any address without a DNS server; the default is `dns.lookup(host, { all: true })`,
 * which is what `http.request` itself would have used.
 */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface WebhookUrlCheckOptions {
  allowPrivate: boolean;
  lookup?: HostLookup;
}

export type WebhookUrlCheck =
  | { ok: true; url: URL; address: string; family: 4 | 6 }
  /**
   * `temporary` is true only when resolving the host failed (a DNS outage heals; a refused URL
   * does not), so that the sender can tell the delivery job whether a retry may help.
   */
  | { ok: false; reason: string; temporary: boolean };

const MAX_URL_LENGTH = 2048;

/**
 * Host names of cloud metadata services. They are refused by name too (not only by address)
 * because some of them resolve to addresses that look ordinary inside the cloud's own network.
 */
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Addresses of cloud metadata services, refused even with `allowPrivate`. */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254', // AWS, GCP, Azure, DigitalOcean, OpenStack …
  '169.254.170.2', // AWS ECS task metadata
  '100.100.100.200', // Alibaba Cloud
  'fd00:ec2::254', // AWS over IPv6
]);

const defaultLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Checks a webhook URL and resolves its host. Resolves to the address the request must connect
 * to, or to the reason the URL is refused. Never throws.
 */
export async function checkWebhookUrl(rawUrl: string, options: WebhookUrlCheckOptions): Promise<WebhookUrlCheck> {
  const refuse = (reason: string): WebhookUrlCheck => ({ ok: false, reason, temporary: false });

  if (rawUrl.length > MAX_URL_LENGTH) return refuse(`the URL is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return refuse('not a valid URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowPrivate)) {
    return refuse('only https: URLs are accepted');
  }
  if (url.username !== '' || url.password !== '') return refuse('the URL must not contain credentials');
  if (url.port !== '') {
    const port = Number(url.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return refuse('the port must be between 1 and 65535');
  }

  // `new URL` has already turned odd IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1) into dotted
  // quads and lower-cased the name; IPv6 literals keep their brackets.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (host === '') return refuse('the URL has no host');
  if (METADATA_HOSTS.has(host)) return refuse('cloud metadata hosts are refused');
  if (!options.allowPrivate && (host === 'localhost' || host.endsWith('.localhost'))) {
    return refuse('localhost is refused');
  }

  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.lookup ?? defaultLookup)(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return { ok: false, reason: `the host could not be resolved (${code})`, temporary: true };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: 'the host resolved to no address', temporary: true };

  for (const { address } of addresses) {
    const problem = addressProblem(address, options.allowPrivate);
    if (problem !== null) return refuse(`${host} resolves to ${address}, ${problem}`);
  }
  const first = addresses[0]!;
  return { ok: true, url, address: first.address, family: first.address.includes(':') ? 6 : 4 };
}

/**
 * Why an address may not be called, or null when it may. `ipaddr.process` turns IPv4-mapped IPv6
 * (::ffff:127.0.0.1) into the IPv4 address it stands for, so that the mapped form cannot smuggle
 * a private address past the range check.
 */
function addressProblem(address: string, allowPrivate: boolean): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return 'which is not an IP address';
  }
  if (METADATA_ADDRESSES.has(parsed.toString())) return 'a cloud metadata address';
  if (allowPrivate) return null;
  const range = parsed.range();
  return range === 'unicast' ? null : `which is not a public address (${range})`;
}
