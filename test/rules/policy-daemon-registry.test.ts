import { policyDaemonRegistryRule as rule } from '../../lib/rules/policy-daemon-registry';
import { eks, findingsFor, type Mutate, pathsAndMessages } from '../util/intent';

const DIGEST = 'sha256:51416af773758eaae263a2f12846572302aa2b3355b3bdc570b485ca829c1b82';
const ecr = (host: string): Mutate => (i) => { i.spec.policy = { daemonImage: `${host}/multi-networkpolicy-iptables:cbf2b11@${DIGEST}` }; };

describe('multinic:PolicyDaemonRegistry', () => {
  test.each([
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com',
    '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
  ])('GIVEN flavour kubeadm and an image in private ECR (%s) THEN an error at the image', (host) => {
    const found = findingsFor(ecr(host), rule.id);
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.policy.daemonImage',
      message: `spec.policy.daemonImage: ${host}/multi-networkpolicy-iptables:cbf2b11@${DIGEST} is in a private ECR repository; the kubelet of a kubeadm node has no ECR credentials to pull it`,
    }]);
    expect(found[0].level).toBe('error');
  });

  test.each<[string, Mutate]>([
    ['ECR Public', ecr('public.ecr.aws/multinic')],
    ['another registry', ecr('registry.example.com:5000/platform')],
    ['flavour eks (its node role and AL2023 pull from private ECR)', eks(ecr('123456789012.dkr.ecr.eu-west-1.amazonaws.com'))],
    ['no daemonImage', (i) => { delete i.spec.policy; }],
  ])('no error with %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
