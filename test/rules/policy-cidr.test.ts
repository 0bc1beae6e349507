import { policyCidrRule as rule } from '../../lib/rules/policy-cidr';
import { findingsFor, type Mutate, network, pathsAndMessages } from '../util/intent';

describe('multinic:PolicyCidr', () => {
  test.each<[string, Mutate, string, string]>([
    ['host bits', (i) => { network(i, 1).ingress = [{ from: [{ cidr: '10.0.0.1/8' }], icmp: true }]; },
      'spec.networks[1].ingress[0].from[0].cidr', '"10.0.0.1/8" has host bits set; the network is 10.0.0.0/8'],
    ['a bad octet in except', (i) => { network(i, 1).ingress = [{ from: [{ cidr: '10.0.0.0/8', except: ['10.300.0.0/16'] }], icmp: true }]; },
      'spec.networks[1].ingress[0].from[0].except[0]', '"10.300.0.0/16" is not a CIDR: "10.300.0.0" is not an IPv4 address (expected four numbers 0-255 separated by dots, e.g. 10.0.0.1)'],
    ['an except outside the cidr', (i) => { network(i, 1).ingress = [{ from: [{ cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] }], icmp: true }]; },
      'spec.networks[1].ingress[0].from[0].except[0]', 'except 192.168.0.0/16 is not inside cidr 10.0.0.0/8'],
  ])('rejects %s', (_what, mutate, path, message) => {
    const found = findingsFor(mutate, rule.id);
    expect(pathsAndMessages(found)).toEqual([{ path, message: `${path}: ${message}` }]);
    expect(found[0].level).toBe('error');
  });

  test('accepts a cidr with an except inside it', () => {
    expect(findingsFor((i) => { network(i, 1).ingress = [{ from: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }], icmp: true }]; }, rule.id)).toEqual([]);
  });
});
