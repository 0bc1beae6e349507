import { MultusDaemonConfigOptions, multusDaemonConfig, renderMultusDaemonConfig } from '../../charts/multus/daemon-config';
import { VERSIONS } from '../../lib/versions';

describe('multusDaemonConfig', () => {
  test('defaults are the upstream v4.3.0 keys, in upstream order, with versions from VERSIONS', () => {
    // WHEN
    const config = multusDaemonConfig();
    // THEN
    expect(Object.keys(config)).toEqual([
      'chrootDir', 'cniVersion', 'logLevel', 'logToStderr', 'cniConfigDir', 'multusAutoconfigDir', 'multusConfigFile', 'socketDir',
      'connectionLimit',
    ]);
    expect(config.connectionLimit).toBe(VERSIONS.multus.connectionLimit);
    expect(config.cniVersion).toBe(VERSIONS.multus.cniVersion);
    expect(config.logLevel).toBe(VERSIONS.multus.logLevel);
    expect(config.socketDir).toBe('/host/run/multus/');
    expect(config.chrootDir).toBe('/hostroot');
  });

  test.each([
    [{ connectionLimit: 1 }, 'connectionLimit', 1],
    [{ multusMasterCni: '10-aws.conflist' }, 'multusMasterCNI', '10-aws.conflist'],
    [{ readinessIndicatorFile: '/host/etc/cni/net.d/10-calico.conflist' }, 'readinessindicatorfile', '/host/etc/cni/net.d/10-calico.conflist'],
    [{ namespaceIsolation: true }, 'namespaceIsolation', true],
    [{ namespaceIsolation: true, globalNamespaces: ['default', 'a'] }, 'globalNamespaces', 'default,a'],
    [{ metricsPort: 9091 }, 'metricsPort', 9091],
    [{ logLevel: 'error' }, 'logLevel', 'error'],
    [{ cniVersion: '1.0.0' }, 'cniVersion', '1.0.0'],
  ] as Array<[MultusDaemonConfigOptions, string, unknown]>)('%j sets the wire key %s', (options, key, value) => {
    expect(multusDaemonConfig(options)[key]).toEqual(value);
  });

  test('clusterNetwork by name keeps the default confDir, where NADs without spec.config are looked up too', () => {
    // GIVEN Calico's network name (a path would take the #1449 route: typed re-marshal, plugin keys lost on DEL)
    const config = multusDaemonConfig({ clusterNetwork: 'k8s-pod-network', readinessIndicatorFile: '/host/etc/cni/net.d/10-calico.conflist' });
    // THEN the name, and no confDir: Multus' default /etc/cni/multus/net.d holds the per-node networks' files (a
    // confDir of /host/etc/cni/net.d made every eni-prefix network fail on the local cluster)
    expect(config.clusterNetwork).toBe('k8s-pod-network');
    expect(config).not.toHaveProperty('confDir');
    expect(config.multusConfigFile).toBe('auto');
  });

  test.each(['/host/etc/cni/net.d/10-calico.conflist', '10-calico.conflist/', ''])('clusterNetwork %j (a path, not a name) is refused', (value) => {
    expect(() => multusDaemonConfig({ clusterNetwork: value })).toThrow('clusterNetwork must be the CNI network name');
  });

  test('namespaceIsolation false emits no key (the daemon default)', () => {
    expect(multusDaemonConfig({ namespaceIsolation: false })).not.toHaveProperty('namespaceIsolation');
  });

  test('key order is stable whatever order the options come in', () => {
    // GIVEN the same options in two orders
    const a = renderMultusDaemonConfig({ connectionLimit: 5, metricsPort: 9091, multusMasterCni: 'x.conf' });
    const b = renderMultusDaemonConfig({ multusMasterCni: 'x.conf', metricsPort: 9091, connectionLimit: 5 });
    // THEN
    expect(a).toBe(b);
    expect(Object.keys(JSON.parse(a)).slice(-3)).toEqual(['connectionLimit', 'multusMasterCNI', 'metricsPort']);
    expect(a.endsWith('}\n')).toBe(true);
  });

  test.each([
    [{ connectionLimit: 0 }, 'connectionLimit must be a positive integer, got 0'],
    [{ connectionLimit: 2.5 }, 'connectionLimit must be a positive integer, got 2.5'],
    [{ metricsPort: 70000 }, 'metricsPort must be an integer port in 1-65535, got 70000'],
    [{ globalNamespaces: ['default'] }, 'globalNamespaces is only honoured with namespaceIsolation'],
    [{ namespaceIsolation: true, globalNamespaces: ['Default'] }, 'globalNamespaces entry "Default" is not a valid namespace name'],
    [{ multusMasterCni: '/etc/cni/net.d/10-aws.conflist' }, 'multusMasterCni must be a file name in /etc/cni/net.d'],
  ] as Array<[MultusDaemonConfigOptions, string]>)('rejects %j', (options, message) => {
    expect(() => multusDaemonConfig(options)).toThrow(expect.objectContaining({
      code: 'MULTUS_DAEMON_CONFIG',
      message: expect.stringContaining(`Multus daemon config: ${message}`),
    }));
  });
});
