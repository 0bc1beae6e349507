/**
 * cluster/provider/node.ts without a box: stopNode against real processes that carry a node's markers (the box's own
 * way of finding what belongs to a node). The namespaces, cgroups and boot are covered by the box suites.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { BoxNames } from '../../cluster/box';
import { holderPid, stopNode } from '../../cluster/provider/node';

const CLUSTER = `nodetest${process.pid % 100000}`;
const names = new BoxNames(CLUSTER);
const started: ChildProcess[] = [];

function start(node: string, role: string, args: string[]): ChildProcess {
  const child = spawn('sleep', args, { env: { PATH: process.env.PATH, MULTINIC_BOX: CLUSTER, MULTINIC_BOX_NODE: node, MULTINIC_BOX_ROLE: role }, stdio: 'ignore' });
  started.push(child);
  return child;
}
const exited = (c: ChildProcess) => new Promise<NodeJS.Signals | null>((r) => { if (c.exitCode !== null || c.signalCode !== null) r(c.signalCode); else c.once('exit', (_code, sig) => r(sig)); });

afterAll(() => { for (const c of started) c.kill('SIGKILL'); });

test('stopNode kills every process of the node but the holder of its namespaces, and nothing of another node', async () => {
  const holder = start('w1', 'holder', ['infinity']);
  const kubelet = start('w1', 'holder', ['1001']); // a node's daemons inherit the holder's role marker
  const imds = start('w1', 'imds', ['1002']);
  const other = start('w2', 'imds', ['1003']);
  await new Promise((r) => setTimeout(r, 200));
  expect(holderPid(names, 'w1')).toBe(holder.pid);
  expect(await stopNode(names, 'w1')).toEqual([]);
  expect(await exited(kubelet)).toBe('SIGKILL');
  expect(await exited(imds)).toBe('SIGKILL');
  expect(holder.exitCode).toBeNull();
  expect(holder.signalCode).toBeNull();
  expect(other.signalCode).toBeNull();
  expect(holderPid(names, 'w1')).toBe(holder.pid);
});
