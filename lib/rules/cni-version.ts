import { SUPPORTED_CNI_VERSIONS } from '../intent/schema';
import { finding, type Finding, type Rule } from './types';

export const cniVersionRule: Rule = {
  id: 'multinic:UnsupportedCniVersion',
  level: 'error',
  summary: 'A network asks for a cniVersion the plugins on the nodes do not accept.',
  why: 'The plugin answers "incompatible CNI versions" at pod creation; versions before 0.3.0 return a legacy result Multus cannot report.',
  fix: `Use one of ${SUPPORTED_CNI_VERSIONS.join(', ')} (1.0.0 is the default).`,
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.networks.forEach((n, i) => {
      if (!(SUPPORTED_CNI_VERSIONS as readonly string[]).includes(n.cniVersion)) {
        findings.push(finding(this, ['spec', 'networks', i, 'cniVersion'], `cniVersion "${n.cniVersion}" is not supported; supported: ${SUPPORTED_CNI_VERSIONS.join(', ')}`));
      }
    });
    return findings;
  },
};
