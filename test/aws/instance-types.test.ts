import { Catalogue, filterTypes, fitsInterfaces, instanceTypeInfo } from '../../lib/aws/instance-types';

describe('instanceTypeInfo', () => {
  test('finds a type case-insensitively and returns undefined for an unknown one', () => {
    expect(instanceTypeInfo('M6I.LARGE')?.name).toBe('m6i.large');
    expect(instanceTypeInfo('m6i.huge')).toBeUndefined();
  });

  test('the snapshot is sorted and carries its source and date', () => {
    const c = Catalogue.snapshot();
    expect([...c.names].sort()).toEqual(c.names);
    expect(c.meta.count).toBe(c.types.length);
    expect(c.meta.source).toContain('vpc_ip_resource_limit.go');
    expect(c.meta.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test.each([['m6i.larg', 'm6i.large'], ['c5n.18xl', 'c5n.18xlarge'], ['zz.unknown-size', undefined]])('suggest(%s) is %s', (name, hint) => {
    expect(Catalogue.snapshot().suggest(name)).toBe(hint);
  });
});

describe('fitsInterfaces', () => {
  const m6iLarge = instanceTypeInfo('m6i.large')!; // 3 ENIs, 10 IPv4 per ENI
  test.each([
    [{ secondaryInterfaces: 2 }, []],
    [{ secondaryInterfaces: 3 }, [{ kind: 'enis', needed: 4, available: 3 }]],
    [{ secondaryInterfaces: 1, slotsPerInterface: [10] }, []],
    [{ secondaryInterfaces: 1, slotsPerInterface: [11] }, [{ kind: 'slots', interfaceIndex: 0, needed: 11, available: 10 }]],
  ])('m6i.large with %j gives %j', (demand, problems) => {
    expect(fitsInterfaces(m6iLarge, demand)).toEqual(problems);
  });
});

describe('filterTypes', () => {
  const all = Catalogue.snapshot().types;
  test('min ENIs, ENA required, EFA and arm64 together', () => {
    const found = filterTypes(all, { minEnis: 15, ena: 'required', efa: true, arch: 'arm64' });
    expect(found.length).toBeGreaterThan(0);
    for (const t of found) {
      expect(t.maxEnisDefaultCard).toBeGreaterThanOrEqual(15);
      expect(t.ena).toBe('required');
      expect(t.efa).toBe(true);
      expect(t.architectures).toContain('arm64');
    }
    expect(found.map((t) => t.name)).toContain('c7gn.16xlarge');
  });

  test('ENA "supported" keeps required and supported types and drops unsupported ones', () => {
    const names = filterTypes(all, { ena: 'supported' }).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['m4.16xlarge', 'm6i.large']));
    expect(names).not.toContain('t2.micro');
  });

  test('an offering set restricts the answer to it', () => {
    expect(filterTypes(all, { offered: new Set(['m6i.large', 'no.such']) }).map((t) => t.name)).toEqual(['m6i.large']);
  });
});
