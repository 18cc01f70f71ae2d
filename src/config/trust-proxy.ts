import { isIP } from 'node:net';

/** Express's names for address ranges (proxy-addr): 127.0.0.0/8 and ::1, 169.254.0.0/16 and fe80::/10, private ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 10;

/**
 * TRUST_PROXY as Express's `trust proxy`: which proxies' X-Forwarded-For is believed for the client's
 * address (the rate limit counts per client). Empty: none, the peer is the client. A number: that many
 * proxies in front. Otherwise addresses, subnets (10.0.0.0/8) or range names, comma-separated.
 */
export function trustProxySetting(value: string): false | number | string[] {
  const trimmed = value.trim();
  if (trimmed === '') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed.split(',').map((entry) => entry.trim());
}

/** Why the value cannot be TRUST_PROXY, or null when it can. */
export function trustProxyProblem(value: string): string | null {
  const setting = trustProxySetting(value);
  if (setting === false) return null;
  if (typeof setting === 'number') {
    return setting >= 1 && setting <= MAX_HOPS ? null : `must be a number of proxies from 1 to ${MAX_HOPS}`;
  }
  const wrong = setting.find((entry) => !RANGE_NAMES.has(entry) && !isAddressOrSubnet(entry));
  return wrong === undefined ? null : `has "${wrong}", which is not an address, a subnet such as 10.0.0.0/8, or loopback, linklocal or uniquelocal`;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
