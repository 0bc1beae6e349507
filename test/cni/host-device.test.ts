import { dhcp, hostDevice, HOST_DEVICE_SELECTORS, type HostDeviceProps } from '../../lib/cni';

const ipam = dhcp();

describe('hostDevice', () => {
  test.each<[string, HostDeviceProps, object]>([
    ['device', { device: 'multus0', ipam }, { type: 'host-device', device: 'multus0', ipam }],
    ['hwaddr', { hwaddr: '02:00:00:00:00:01', ipam }, { type: 'host-device', hwaddr: '02:00:00:00:00:01', ipam }],
    ['kernelpath', { kernelpath: '/sys/devices/pci0000:00/0000:00:05.0/net/ens5', ipam },
      { type: 'host-device', kernelpath: '/sys/devices/pci0000:00/0000:00:05.0/net/ens5', ipam }],
    ['pciBusID', { pciBusID: '0000:00:05.0', ipam }, { type: 'host-device', pciBusID: '0000:00:05.0', ipam }],
  ])('selects by %s', (_name, props, expected) => {
    // GIVEN / WHEN / THEN
    expect(hostDevice(props)).toStrictEqual(expected);
  });

  test('lists the selectors in emission order', () => {
    // GIVEN / WHEN / THEN
    expect(HOST_DEVICE_SELECTORS).toEqual(['device', 'hwaddr', 'kernelpath', 'pciBusID']);
  });

  test.each<[string, HostDeviceProps, string]>([
    ['no selector', { ipam }, 'host-device: set exactly one of device, hwaddr, kernelpath, pciBusID (got none)'],
    ['two selectors', { device: 'eth1', pciBusID: '0000:00:05.0', ipam }, 'host-device: set exactly one of device, hwaddr, kernelpath, pciBusID (got device, pciBusID)'],
    ['a bad device name', { device: 'a:b', ipam }, 'host-device.device: "a:b" is not a Linux interface name; use 1 to 15 characters without "/", ":" or spaces'],
    ['a bad MAC', { hwaddr: '02:00:00:00:00', ipam }, 'host-device.hwaddr: "02:00:00:00:00" is not a MAC address; write one like 02:00:00:00:00:01'],
    ['an empty pciBusID', { pciBusID: '', ipam }, 'host-device.pciBusID: must not be empty'],
  ])('refuses %s', (_name, props, message) => {
    // GIVEN / WHEN / THEN
    expect(() => hostDevice(props)).toThrow(expect.objectContaining({ name: 'MultinicError', code: 'CNI_INVALID_CONFIG', message }));
  });
});
