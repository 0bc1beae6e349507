/**
 * The EKS bearer token of infra/eks/lambda/eks-token.js, checked against the AWS SDK's own SigV4 presigner
 * (@smithy/signature-v4, what `aws eks get-token`'s JavaScript counterparts use): the same URL, signature and all,
 * for fixed credentials and time. EKS accepts a token only if STS accepts the URL, so a wrong byte here is a
 * function that cannot authenticate.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';

const token = require('../../../../infra/eks/lambda/eks-token.js') as {
  presignedUrl(o: unknown): string;
  eksToken(o: unknown): string;
  envCredentials(env: Record<string, string | undefined>): unknown;
  stsHost(region: string): string;
};

const bytes = (d: SourceData): string | Uint8Array => (typeof d === 'string' ? d : d instanceof Uint8Array ? d : new Uint8Array(d instanceof ArrayBuffer ? d : d.buffer));

/** SHA-256 and HMAC of node:crypto in the shape the SDK's signer takes. */
class NodeSha256 {
  private readonly h;
  constructor(secret?: SourceData) { this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret)); }
  update(data: SourceData): void { this.h.update(bytes(data)); }
  async digest(): Promise<Uint8Array> { return new Uint8Array(this.h.digest()); }
  reset(): void { /* single use */ }
}

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session/token+with=odd&chars' };
const now = new Date('2026-12-06T10:30:00Z');

/** The query of the AWS SDK's presigned URL for the same request. */
async function smithyQuery(region: string, clusterName: string, creds: typeof credentials | Omit<typeof credentials, 'sessionToken'>): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'sts', region, credentials: creds, sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
  const host = token.stsHost(region);
  const signed = await signer.presign(
    { method: 'GET', protocol: 'https:', hostname: host, path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host, 'x-k8s-aws-id': clusterName } },
    { expiresIn: 60, signingDate: now, unhoistableHeaders: new Set(['x-k8s-aws-id']) },
  );
  return signed.query as Record<string, string>;
}

describe('eks-token', () => {
  test.each([
    ['us-east-1', credentials],
    ['eu-central-1', { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey }],
  ])('the presigned GetCallerIdentity URL (%s) carries the signature the AWS SDK computes', async (region, creds) => {
    const url = new URL(token.presignedUrl({ clusterName: 'multinic-seed-lab', region, credentials: creds, now }));
    const expected = await smithyQuery(region, 'multinic-seed-lab', creds);
    expect(url.host).toBe(`sts.${region}.amazonaws.com`);
    expect(Object.fromEntries(url.searchParams)).toEqual(expected);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
  });

  test('a token is k8s-aws-v1. and the unpadded base64url of that URL', () => {
    const o = { clusterName: 'c', region: 'us-east-1', credentials, now };
    const t = token.eksToken(o);
    expect(t.startsWith('k8s-aws-v1.')).toBe(true);
    const body = t.slice('k8s-aws-v1.'.length);
    expect(body).not.toMatch(/[+/=]/);
    expect(Buffer.from(body, 'base64url').toString('utf8')).toBe(token.presignedUrl(o));
  });

  test('China regions sign for the .com.cn STS host', () => {
    expect(token.stsHost('cn-north-1')).toBe('sts.cn-north-1.amazonaws.com.cn');
  });

  test('no credentials in the environment is a clear error', () => {
    expect(() => token.envCredentials({})).toThrow(/AWS_ACCESS_KEY_ID/);
    expect(token.envCredentials({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 'c' })).toEqual({ accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c' });
  });
});
