import {
  checkCniName, checkCniVersion, CNI_VERSIONS, cniDocument, DEFAULT_CNI_VERSION, dhcp, isConfList, macvlan, sbr, tuning,
} from '../../lib/cni';

const plugin = macvlan({ master: 'multus0', ipam: dhcp() });

describe('cniDocument', () => {
  test('defaults cniVersion to DEFAULT_CNI_VERSION (1.0.0) and puts the main plugin first', () => {
    // GIVEN / WHEN
    const doc = cniDocument({ name: 'net-a', plugin, chained: [sbr()] });
    // THEN
    expect(DEFAULT_CNI_VERSION).toBe('1.0.0');
    expect(doc).toEqual({ cniVersion: '1.0.0', name: 'net-a', plugins: [plugin, { type: 'sbr' }] });
  });

  test.each([...CNI_VERSIONS])('accepts cniVersion %s', (v) => {
    // GIVEN / WHEN / THEN
    expect(cniDocument({ cniVersion: v, name: 'n', plugin }).cniVersion).toBe(v);
  });

  test.each<[string, Parameters<typeof cniDocument>[0], string, string]>([
    ['empty cniVersion', { cniVersion: '', name: 'n', plugin }, 'CNI_MISSING_VERSION',
      'cni: cniVersion is missing; without it the plugins answer in the legacy 0.1.0 format. Set one of 0.3.0, 0.3.1, 0.4.0, 1.0.0'],
    ['cniVersion 1.1.0', { cniVersion: '1.1.0', name: 'n', plugin }, 'CNI_UNSUPPORTED_VERSION',
      'cni: cniVersion "1.1.0" is not supported by the CNI plugins we ship (Debian 1.1.1); use one of 0.3.0, 0.3.1, 0.4.0, 1.0.0'],
    ['cniVersion 0.2.0 (no interfaces in the result)', { cniVersion: '0.2.0', name: 'n', plugin }, 'CNI_UNSUPPORTED_VERSION',
      'cni: cniVersion "0.2.0" is not supported by the CNI plugins we ship (Debian 1.1.1); use one of 0.3.0, 0.3.1, 0.4.0, 1.0.0'],
    ['a name with a slash', { name: 'ns/net', plugin }, 'CNI_INVALID_CONFIG',
      'cni.name: "ns/net" is not a CNI network name; start with a letter or digit and use only letters, digits, "_", "." and "-"'],
    ['sbr chained twice', { name: 'n', plugin, chained: [sbr(), sbr()] }, 'CNI_INVALID_CONFIG',
      'cni "n": sbr is chained twice; chain each meta plugin at most once'],
    ['an empty name', { name: '', plugin }, 'CNI_INVALID_CONFIG',
      'cni.name: "" is not a CNI network name; start with a letter or digit and use only letters, digits, "_", "." and "-"'],
  ])('refuses %s', (_name, props, code, message) => {
    // GIVEN / WHEN / THEN
    expect(() => cniDocument(props)).toThrow(expect.objectContaining({ name: 'MultinicError', code, message }));
  });
});

describe('checkCniVersion / checkCniName', () => {
  test('an undefined version is missing, not unsupported', () => {
    // GIVEN / WHEN / THEN
    expect(() => checkCniVersion('here', undefined)).toThrow(expect.objectContaining({ code: 'CNI_MISSING_VERSION' }));
  });

  test.each(['a', 'net-a', 'Net_1.b', '0abc'])('name %s is valid', (name) => {
    // GIVEN / WHEN / THEN
    expect(() => checkCniName('here', name)).not.toThrow();
  });

  test.each(['-a', '.a', 'a b', 'a/b', 'a:b'])('name %s is not', (name) => {
    // GIVEN / WHEN / THEN
    expect(() => checkCniName('here', name)).toThrow(expect.objectContaining({ code: 'CNI_INVALID_CONFIG' }));
  });
});

describe('isConfList', () => {
  test.each<[string, Parameters<typeof cniDocument>[0]['chained'], boolean]>([
    ['no chained plugin', [], false],
    ['sbr', [sbr()], true],
    ['tuning and sbr', [tuning({ sysctl: { 'net.ipv4.ip_forward': '0' } }), sbr()], true],
  ])('%s -> %s', (_name, chained, expected) => {
    // GIVEN / WHEN / THEN
    expect(isConfList(cniDocument({ name: 'n', plugin, chained }))).toBe(expected);
  });
});
