import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SUPPORTED_CNI_VERSIONS } from '../../lib/intent/schema';
import { cniVersionRule as rule } from '../../lib/rules/cni-version';
import { findingsFor, network, pathsAndMessages } from '../util/intent';

const IPVLAN = '/usr/lib/cni/ipvlan';

describe('multinic:UnsupportedCniVersion', () => {
  test.each(['0.1.0', '0.2.0', '1.1.0', '1.0', 'latest'])('fires for cniVersion %j', (version) => {
    // GIVEN network 1 asking for a version the plugins do not take
    // WHEN the intent is validated
    const found = findingsFor((i) => { network(i, 1).cniVersion = version; }, rule.id);
    // THEN the version is named with the supported list
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.networks[1].cniVersion',
      message: `spec.networks[1].cniVersion: cniVersion "${version}" is not supported; supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0`,
    }]);
    expect(found[0].fix).toBe('Use one of 0.3.0, 0.3.1, 0.4.0, 1.0.0 (1.0.0 is the default).');
  });

  test.each([...SUPPORTED_CNI_VERSIONS])('does not fire for cniVersion %s', (version) => {
    // WHEN a supported version is asked for
    // THEN the rule stays silent
    expect(findingsFor((i) => { network(i, 1).cniVersion = version; }, rule.id)).toEqual([]);
  });

  const real = existsSync(IPVLAN) ? test : test.skip;
  real('every supported version is one that the real ipvlan plugin accepts', () => {
    // GIVEN Debian's ipvlan plugin
    // WHEN it is asked which versions it supports (CNI VERSION command)
    const r = spawnSync(IPVLAN, [], {
      input: '{"cniVersion":"1.0.0"}', encoding: 'utf8', timeout: 10_000,
      env: { CNI_COMMAND: 'VERSION', CNI_PATH: '/usr/lib/cni' },
    });
    // THEN it names each version the rule lets through
    expect(r.status).toBe(0);
    const supported = (JSON.parse(r.stdout) as { supportedVersions: string[] }).supportedVersions;
    expect(supported).toEqual(expect.arrayContaining([...SUPPORTED_CNI_VERSIONS]));
  });
});
