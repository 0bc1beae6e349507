#!/usr/bin/env node
/**
 * The local cluster's per-node metadata server: the EC2 instance metadata service (IMDSv2) as far as multinic's
 * in-guest ENI script reads it, behaving like the real one where multinic depends on it (the tests use it as their
 * mock IMDS through test/util/imds-mock.js):
 *
 * - `PUT /latest/api/token` needs `X-aws-ec2-metadata-token-ttl-seconds` between 1 and 21600, else 400;
 * - every GET needs a token issued by this server and not expired (`X-aws-ec2-metadata-token`), else 401;
 * - any request carrying `X-Forwarded-For` is refused with 403;
 * - `meta-data/mac` is the primary ENI's MAC; `meta-data/network/interfaces/macs/` lists `<mac>/` per line;
 * - per MAC: `device-number`, `network-card` (404 unless the fixture gives one: 404 means card 0), `local-ipv4s`
 *   (newline separated, primary first; 404 when empty), `subnet-ipv4-cidr-block`, `vpc-ipv4-cidr-blocks`,
 *   `ipv4-prefix` (404, not an empty body, when there is none), `interface-id`;
 * - eventual consistency: `deviceNumberMissingFor: n` answers 404 to the first n GETs of that ENI's device-number.
 *
 * The fixture is read from a JSON file on every request, so a test changes what IMDS says by rewriting the file.
 * It is plain CommonJS so that it runs as its own process inside a network namespace:
 *
 *   ip netns exec NODE node cluster/node/imds-server.js --fixture F.json --host 127.0.0.1 --port 8080
 *
 * prints `listening http://127.0.0.1:8080` on stdout once it accepts connections.
 *
 * @typedef {{ mac: string, deviceNumber: number, networkCard?: number, localIpv4s?: string[], subnetCidr?: string,
 *   vpcCidrs?: string[], ipv4Prefixes?: string[], interfaceId?: string, deviceNumberMissingFor?: number }} FixtureEni
 * @typedef {{ primaryMac: string, interfaces: FixtureEni[] }} ImdsFixture
 */
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const crypto = require('node:crypto');

const MAX_TTL = 21600;

/**
 * @param {() => ImdsFixture} fixture called on every request
 * @returns {import('node:http').Server}
 */
function createImdsMock(fixture) {
  /** @type {Map<string, number>} token -> expiry (ms since epoch) */
  const tokens = new Map();
  /** @type {Map<string, number>} mac -> device-number GETs so far */
  const deviceNumberGets = new Map();

  return http.createServer((req, res) => {
    const reply = (status, body = '') => {
      res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.headers['x-forwarded-for'] !== undefined) return reply(403, 'Forbidden');
    const url = new URL(req.url ?? '/', 'http://imds');
    if (url.pathname === '/latest/api/token') {
      if (req.method !== 'PUT') return reply(405, 'Method Not Allowed');
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL) return reply(400, 'Bad Request');
      const token = crypto.randomBytes(24).toString('base64url');
      tokens.set(token, Date.now() + ttl * 1000);
      return reply(200, token);
    }
    if (req.method !== 'GET') return reply(405, 'Method Not Allowed');
    const token = req.headers['x-aws-ec2-metadata-token'];
    const expiry = typeof token === 'string' ? tokens.get(token) : undefined;
    if (expiry === undefined || expiry < Date.now()) return reply(401, 'Unauthorized');

    let fx;
    try {
      fx = fixture();
    } catch (e) {
      return reply(500, `fixture: ${e instanceof Error ? e.message : String(e)}`);
    }
    const path = url.pathname;
    if (path === '/latest/meta-data/mac') return reply(200, fx.primaryMac);
    const prefix = '/latest/meta-data/network/interfaces/macs/';
    if (path === prefix) return reply(200, fx.interfaces.map((i) => `${i.mac}/`).join('\n'));
    if (!path.startsWith(prefix)) return reply(404, 'Not Found');
    const [mac, key, ...rest] = path.slice(prefix.length).split('/');
    const eni = fx.interfaces.find((i) => i.mac === mac);
    if (eni === undefined || rest.length > 0) return reply(404, 'Not Found');
    const values = perMacKeys(eni);
    if (key === '') return reply(200, Object.keys(values).filter((k) => values[k] !== undefined).join('\n'));
    if (key === 'device-number') {
      const seen = (deviceNumberGets.get(mac) ?? 0) + 1;
      deviceNumberGets.set(mac, seen);
      if (seen <= (eni.deviceNumberMissingFor ?? 0)) return reply(404, 'Not Found');
    }
    const value = values[key];
    return value === undefined ? reply(404, 'Not Found') : reply(200, value);
  });
}

/** @param {FixtureEni} eni @returns {Record<string, string | undefined>} */
function perMacKeys(eni) {
  const list = (xs) => (xs !== undefined && xs.length > 0 ? xs.join('\n') : undefined);
  return {
    'device-number': String(eni.deviceNumber),
    'network-card': eni.networkCard === undefined ? undefined : String(eni.networkCard),
    'interface-id': eni.interfaceId ?? `eni-${eni.mac.replace(/:/g, '').padStart(17, '0')}`,
    mac: eni.mac,
    'local-ipv4s': list(eni.localIpv4s),
    'subnet-ipv4-cidr-block': eni.subnetCidr,
    'vpc-ipv4-cidr-blocks': list(eni.vpcCidrs),
    'ipv4-prefix': list(eni.ipv4Prefixes),
  };
}

/** Command line: --fixture FILE [--host 127.0.0.1] [--port 80]. */
function main(args) {
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
  };
  const file = opt('fixture');
  if (file === undefined) {
    process.stderr.write('usage: imds-server.js --fixture FILE [--host 127.0.0.1] [--port 80]\n');
    process.exit(2);
  }
  const host = opt('host', '127.0.0.1');
  const server = createImdsMock(() => JSON.parse(fs.readFileSync(file, 'utf8')));
  server.listen(Number(opt('port', '80')), host, () => {
    const addr = server.address();
    process.stdout.write(`listening http://${host}:${typeof addr === 'object' && addr ? addr.port : '?'}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

module.exports = { createImdsMock, MAX_TTL, main };

if (require.main === module) main(process.argv.slice(2));
