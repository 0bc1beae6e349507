import type { NetworkIntentInput } from '../../lib/intent/types';
import { kernelStyleInterfaceNameRule, nodeInterfaceNameRule } from '../../lib/rules/node-interface-name';
import { findingsFor, pathsAndMessages, specOf } from '../util/intent';

/** Renames the workers' interface, and the masters that use it. */
const rename = (name: string) => (i: NetworkIntentInput) => {
  i.spec.nodeGroups[1].interfaces![0].name = name;
  for (const n of specOf(i).networks) Object.assign(n, { master: name });
};
const PATH = 'spec.nodeGroups[1].interfaces[0].name';

describe('multinic:InterfaceName', () => {
  const rule = nodeInterfaceNameRule;

  test.each([
    ['multus0-storage1', '16 characters, at most 15'],
    ['a-very-long-interface-name', '26 characters, at most 15'],
    ['multus:0', 'only letters, digits, ".", "-", "_"'],
    ['multus 0', 'only letters, digits, ".", "-", "_"'],
    ['net/1', 'only letters, digits, ".", "-", "_"'],
  ])('fires for %j', (name, reason) => {
    // WHEN the intent is validated
    const found = findingsFor(rename(name), rule.id);
    // THEN the name is reported with what is wrong with it
    expect(pathsAndMessages(found)).toEqual([{ path: PATH, message: `${PATH}: "${name}" is not a valid interface name (${reason})` }]);
    expect(found[0].level).toBe('error');
  });

  test.each(['multus-storage0', 'm', 'data_net.1', 'multus0'])('does not fire for %j', (name) => {
    // GIVEN a name of at most 15 allowed characters (the first is exactly 15)
    // THEN nothing is reported
    expect(findingsFor(rename(name), rule.id)).toEqual([]);
  });
});

describe('multinic:KernelStyleInterfaceName', () => {
  const rule = kernelStyleInterfaceNameRule;

  test.each(['eth1', 'ens5', 'enp0s3', 'eno1', 'enX0', 'wlan0', 'lo'])('warns for %j', (name) => {
    // GIVEN the seed's habit: the secondary ENI named like the kernel names NICs
    // WHEN the intent is validated
    const found = findingsFor(rename(name), rule.id);
    // THEN it is a warning with a rename that cannot race
    expect(pathsAndMessages(found)).toEqual([{ path: PATH, message: `${PATH}: "${name}" is a kernel-style name that can race with the kernel's own naming` }]);
    expect(found[0].level).toBe('warning');
    expect(found[0].fix).toBe('Rename it, e.g. "multus0", and update the networks that use it as master.');
  });

  test.each(['multus0', 'net1', 'eni1', 'lo0', 'data0'])('does not warn for %j', (name) => {
    // THEN nothing is reported
    expect(findingsFor(rename(name), rule.id)).toEqual([]);
  });

  // Only whole kernel-style names warn: the kernel never hands out "ethdata" or "ensemble0".
  test.each(['ethdata', 'ensemble0', 'enormous'])('does not warn for %j, which the kernel never assigns', (name) => {
    expect(findingsFor(rename(name), rule.id)).toEqual([]);
  });
});
