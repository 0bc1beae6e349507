'use strict';
/**
 * A bearer token for the Kubernetes API of an EKS cluster, made the way `aws eks get-token` makes it: a presigned
 * STS GetCallerIdentity URL (SigV4, query string, header x-k8s-aws-id signed) whose base64url form follows
 * `k8s-aws-v1.`. EKS calls the URL and maps the caller's IAM role to its access entry. Nothing is sent from here:
 * the signature is computed locally with the function's own credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN in a Lambda environment), so the function needs no STS permission and no network path to STS.
 */
const { createHash, createHmac } = require('node:crypto');

const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key, s) => createHmac('sha256', key).update(s, 'utf8').digest();
/** RFC 3986 encoding, as SigV4 wants it. */
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The STS host of a region (China regions: amazonaws.com.cn). */
function stsHost(region) {
  return `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/**
 * The presigned GetCallerIdentity URL for `clusterName`.
 * @param {{ clusterName: string, region: string, credentials: { accessKeyId: string, secretAccessKey: string, sessionToken?: string }, now?: Date, expiresSeconds?: number }} o
 */
function presignedUrl(o) {
  const now = o.now ?? new Date();
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const host = stsHost(o.region);
  const scope = `${day}/${o.region}/sts/aws4_request`;
  const query = {
    Action: 'GetCallerIdentity',
    Version: '2011-06-15',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${o.credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(o.expiresSeconds ?? 60),
    'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
    ...(o.credentials.sessionToken ? { 'X-Amz-Security-Token': o.credentials.sessionToken } : {}),
  };
  const canonicalQuery = Object.keys(query).sort().map((k) => `${enc(k)}=${enc(query[k])}`).join('&');
  const canonicalRequest = ['GET', '/', canonicalQuery, `host:${host}`, `x-k8s-aws-id:${o.clusterName}`, '', 'host;x-k8s-aws-id', sha256('')].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${o.credentials.secretAccessKey}`, day);
  for (const part of [o.region, 'sts', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return `https://${host}/?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

/** `k8s-aws-v1.` + the unpadded base64url of the presigned URL. */
function eksToken(o) {
  return `k8s-aws-v1.${Buffer.from(presignedUrl(o), 'utf8').toString('base64url')}`;
}

/** The Lambda environment's credentials. */
function envCredentials(env = process.env) {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)');
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN };
}

module.exports = { presignedUrl, eksToken, envCredentials, stsHost };
