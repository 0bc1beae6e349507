/**
 * test/util/imds-mock.js behaves like IMDSv2 where multinic-eni.sh depends on it. Runs in-process on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
const { createImdsMock } = require('./imds-mock.js') as { createImdsMock: (f: () => unknown) => Server };

const MAC = '02:00:00:00:01:01';
let fixture: unknown;
let server: Server;
let base = '';

beforeAll(async () => {
  server = createImdsMock(() => fixture);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => { await new Promise((ok) => server.close(ok)); });
beforeEach(() => {
  fixture = {
    primaryMac: '02:00:00:00:00:01',
    interfaces: [
      { mac: '02:00:00:00:00:01', deviceNumber: 0, localIpv4s: ['10.0.0.10'], subnetCidr: '10.0.0.0/24' },
      { mac: MAC, deviceNumber: 1, localIpv4s: ['10.0.128.10', '10.0.128.11'], subnetCidr: '10.0.128.0/24', deviceNumberMissingFor: 1 },
    ],
  };
});

async function token(ttl = '60'): Promise<string> {
  const r = await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl } });
  expect(r.status).toBe(200);
  return r.text();
}
async function get(path: string, headers: Record<string, string>): Promise<[number, string]> {
  const r = await fetch(`${base}/latest/meta-data/${path}`, { headers });
  return [r.status, await r.text()];
}

describe('imds-mock', () => {
  test.each([
    ['no TTL header', 400, {}],
    ['TTL 0', 400, { 'X-aws-ec2-metadata-token-ttl-seconds': '0' }],
    ['TTL above 21600', 400, { 'X-aws-ec2-metadata-token-ttl-seconds': '21601' }],
    ['X-Forwarded-For', 403, { 'X-aws-ec2-metadata-token-ttl-seconds': '60', 'X-Forwarded-For': '10.0.0.1' }],
    ['a valid TTL', 200, { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' }],
  ])('token PUT with %s answers %i', async (_what, status, headers) => {
    const r = await fetch(`${base}/latest/api/token`, { method: 'PUT', headers });
    expect(r.status).toBe(status);
  });

  test('a GET without a token, with a made-up token, or with X-Forwarded-For is refused', async () => {
    const t = await token();
    expect((await get('mac', {}))[0]).toBe(401);
    expect((await get('mac', { 'X-aws-ec2-metadata-token': 'made-up' }))[0]).toBe(401);
    expect((await get('mac', { 'X-aws-ec2-metadata-token': t, 'X-Forwarded-For': '1.2.3.4' }))[0]).toBe(403);
  });

  test('answers the keys multinic reads, with 404 where the real service gives 404', async () => {
    const h = { 'X-aws-ec2-metadata-token': await token() };
    const k = `network/interfaces/macs/${MAC}`;
    expect(await get('mac', h)).toEqual([200, '02:00:00:00:00:01']);
    expect(await get('network/interfaces/macs/', h)).toEqual([200, `02:00:00:00:00:01/\n${MAC}/`]);
    expect(await get(`${k}/device-number`, h)).toEqual([404, 'Not Found']); // eventually consistent: first GET
    expect(await get(`${k}/device-number`, h)).toEqual([200, '1']);
    expect((await get(`${k}/network-card`, h))[0]).toBe(404);
    expect(await get(`${k}/local-ipv4s`, h)).toEqual([200, '10.0.128.10\n10.0.128.11']);
    expect(await get(`${k}/subnet-ipv4-cidr-block`, h)).toEqual([200, '10.0.128.0/24']);
    expect((await get(`${k}/ipv4-prefix`, h))[0]).toBe(404);
    expect((await get('network/interfaces/macs/02:00:00:00:09:09/device-number', h))[0]).toBe(404);
  });

  test('an expired token is refused', async () => {
    const t = await token('1');
    await new Promise((ok) => setTimeout(ok, 1100));
    expect((await get('mac', { 'X-aws-ec2-metadata-token': t }))[0]).toBe(401);
  });
});
