import { isForbiddenAddress, targetUrlProblem } from './webhook-targets.js';

describe('webhook targets (docs/webhooks.md "What a target may be")', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '::1',
    '::',
    'fd00:ec2::254',
    'fc00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
    },
  );

  it('asks for https and a public host unless private targets are allowed', () => {
    expect(targetUrlProblem('https://hooks.example.org/minsheng', false)).toBeNull();
    expect(targetUrlProblem('http://hooks.example.org/', false)).toBe('must be an https URL');
    expect(targetUrlProblem('https://[fd00:ec2::254]/', false)).toMatch(/must not point/);
    expect(targetUrlProblem('https://localhost:8443/', false)).toMatch(/must not point/);
    expect(targetUrlProblem('https://user:pw@hooks.example.org/', false)).toMatch(/user name/);
    expect(targetUrlProblem('ftp://hooks.example.org/', true)).toBe('must be an https URL');
    expect(targetUrlProblem('not a url', true)).toBe('must be an absolute URL');
    expect(targetUrlProblem('http://127.0.0.1:8080/hooks', true)).toBeNull();
  });
});
