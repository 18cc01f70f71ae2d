import { trustProxyProblem, trustProxySetting } from './trust-proxy';

describe(trustProxySetting.name, () => {
  it('reads none, a hop count, or a list of addresses, subnets and range names', () => {
    expect(trustProxySetting('')).toBe(false);
    expect(trustProxySetting(' 1 ')).toBe(1);
    expect(trustProxySetting('loopback, 10.0.0.0/8,::1')).toEqual(['loopback', '10.0.0.0/8', '::1']);
  });

  it.each(['', '1', '10', 'loopback', '10.0.0.0/8, 192.168.1.7', 'uniquelocal,fd00::/8'])('accepts %p', (value) => {
    expect(trustProxyProblem(value)).toBeNull();
  });

  it.each([
    ['0', 'must be a number of proxies from 1 to 10'],
    ['11', 'must be a number of proxies from 1 to 10'],
    ['true', 'has "true", which is not an address'],
    ['10.0.0.0/33', 'has "10.0.0.0/33"'],
    ['proxy.example.com', 'has "proxy.example.com"'],
    ['loopback,', 'has ""'],
  ])('refuses %p', (value, problem) => {
    expect(trustProxyProblem(value)).toContain(problem);
  });
});
