import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { MULTUS_CONFIG_FILE, NODE_READY_NAME, NodeReady, nodeReadyScript, UNTAINTED_FILE } from '../../charts/readiness';
import { ENI_READY_MARKER, NETWORKS_NOT_READY_TAINT } from '../../lib/readiness';
import { VERSIONS } from '../../lib/versions';
import { makePki } from '../kube/fake-api-server';

type Obj = { kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };

function synth(): Obj[] {
  const chart = Testing.chart();
  new NodeReady(chart, 'NodeReady');
  return Testing.synth(chart) as Obj[];
}

describe('NodeReady', () => {
  test('RBAC: its own ServiceAccount may only get and patch nodes', () => {
    const objs = synth();
    const role = objs.find((o) => o.kind === 'ClusterRole') as Obj & { rules: unknown[] };
    expect(role.metadata).toEqual({ name: NODE_READY_NAME });
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] }]);
    const binding = objs.find((o) => o.kind === 'ClusterRoleBinding') as Obj & { subjects: unknown[] };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: NODE_READY_NAME, namespace: 'kube-system' }]);
  });

  test('DaemonSet: host network, every taint tolerated, pinned image, least privilege, ready only once untainted', () => {
    const ds = synth().find((o) => o.kind === 'DaemonSet') as unknown as {
      spec: { template: { spec: { hostNetwork: boolean; tolerations: unknown[]; securityContext: Record<string, unknown>; containers: Array<Record<string, any>>; volumes: unknown[] } } };
    };
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }]);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const c = pod.containers[0];
    expect(c.image).toBe(VERSIONS.readiness.image);
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.readinessProbe.exec.command).toEqual(['/bin/sh', '-c', `test -e ${UNTAINTED_FILE}`]);
    expect(c.volumeMounts.filter((m: { readOnly?: boolean }) => m.readOnly).map((m: { mountPath: string }) => m.mountPath))
      .toEqual(['/host/etc/cni/net.d', '/host/run/multinic']);
    // Kubernetes expands $(NAME) in command and args: the script must not contain it
    expect(c.command[2]).not.toContain('$(');
  });

  test('a moving image tag is refused', () => {
    expect(() => new NodeReady(Testing.chart(), 'N', { image: 'docker.io/curlimages/curl:latest' })).toThrow(/not pinned to a release/);
  });
});

/** The script, run for real by sh and curl against a small HTTPS server standing in for the API. */
describe('nodeReadyScript', () => {
  test('waits for Multus and the ENI marker, then removes only the startup taint with a test-and-remove JSON patch', async () => {
    const pki = makePki();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-node-ready-'));
    const patches: { url: string; type: string; body: string; auth: string }[] = [];
    // The node as the API server holds it: the control plane's taint first, then the startup taint.
    const taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: NETWORKS_NOT_READY_TAINT.key, value: 'true', effect: 'NoSchedule' }];
    const server = https.createServer({ cert: fs.readFileSync(pki.serverCert), key: fs.readFileSync(pki.serverKey) }, (req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        if (req.method === 'GET') { res.end(JSON.stringify({ kind: 'Node', spec: { taints } })); return; }
        patches.push({ url: `${req.method} ${req.url}`, type: String(req.headers['content-type']), body, auth: String(req.headers.authorization) });
        const ops = JSON.parse(body) as { op: string; path: string; value?: string }[];
        const i = Number(ops[0].path.split('/')[3]);
        if (taints[i]?.key !== ops[0].value) { res.writeHead(422); res.end('{"message":"the server rejected our request due to an error in our request"}'); return; }
        taints.splice(i, 1);
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const sa = path.join(dir, 'sa');
    fs.mkdirSync(sa);
    fs.copyFileSync(pki.caCert, path.join(sa, 'ca.crt'));
    fs.writeFileSync(path.join(sa, 'token'), 'sa-token');
    const host = path.join(dir, 'host');
    const child = spawn('sh', ['-c', nodeReadyScript(0.1)], {
      env: {
        PATH: process.env.PATH, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String((server.address() as AddressInfo).port),
        NODE_NAME: 'worker-1', SA_DIR: sa, HOST_ROOT: host, UNTAINTED_FILE: path.join(dir, 'untainted'),
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
    };
    try {
      // GIVEN neither Multus' config nor the ENI marker: it waits and says why, once
      await until(() => out.includes('Multus'));
      expect(out).toBe(`node worker-1: waiting: Multus has not written ${host}${MULTUS_CONFIG_FILE} yet\n`);
      // WHEN Multus writes its config: still waiting, for the ENI setup
      fs.mkdirSync(path.join(host, path.dirname(MULTUS_CONFIG_FILE)), { recursive: true });
      fs.writeFileSync(path.join(host, MULTUS_CONFIG_FILE), '{}');
      await until(() => out.includes('ENI'));
      expect(out).toContain(`waiting: the ENI setup has not written ${host}${ENI_READY_MARKER} yet`);
      expect(patches).toEqual([]);
      // WHEN the ENI marker appears THEN one PATCH deletes the taint by key
      fs.mkdirSync(path.join(host, path.dirname(ENI_READY_MARKER)), { recursive: true });
      fs.writeFileSync(path.join(host, ENI_READY_MARKER), 'enis=1\n');
      await until(() => out.includes('removed the taint'));
      await new Promise((r) => setTimeout(r, 400));
      // a JSON patch that tests the key at an index before removing it: index 0 is refused, index 1 removed
      const patch = (i: number) => JSON.stringify([{ op: 'test', path: `/spec/taints/${i}/key`, value: NETWORKS_NOT_READY_TAINT.key }, { op: 'remove', path: `/spec/taints/${i}` }]);
      expect(patches).toEqual([0, 1].map((i) => ({ url: 'PATCH /api/v1/nodes/worker-1', type: 'application/json-patch+json', auth: 'Bearer sa-token', body: patch(i) })));
      // the node's other taint stays
      expect(taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
      expect(fs.existsSync(path.join(dir, 'untainted'))).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(pki.dir, { recursive: true, force: true });
    }
  });
});
