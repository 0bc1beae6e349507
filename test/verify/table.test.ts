import { renderTable } from '../../lib/verify/table';
import { report, type VerifyRow } from '../../lib/verify/types';

const r = (subject: string, status: VerifyRow['status']): VerifyRow => ({ subject, group: 'workers', device: '1 multus0', check: 'subnet', expected: 'a', observed: status === 'ok' ? 'a' : 'b', status });

describe('report and renderTable', () => {
  test('counts problems; aligned columns, problems first, a summary line', () => {
    const rep = report([r('i-1', 'ok'), r('i-22', 'drift'), r('i-333', 'missing')]);
    expect([rep.ok, rep.problems]).toEqual([1, 2]);
    expect(renderTable(rep).split('\n')).toEqual([
      'NODE   GROUP    DEVICE     CHECK   EXPECTED  OBSERVED  STATUS',
      'i-22   workers  1 multus0  subnet  a         b         DRIFT',
      'i-333  workers  1 multus0  subnet  a         b         MISSING',
      'i-1    workers  1 multus0  subnet  a         a         OK',
      '',
      '2 of 3 checks differ from the intent.',
    ]);
  });

  test('problemsOnly and another subject header; all ok says so', () => {
    expect(renderTable(report([r('i-1', 'ok'), r('p', 'unexpected')]), { problemsOnly: true, subjectHeader: 'OBJECT' }).split('\n')).toEqual([
      'OBJECT  GROUP    DEVICE     CHECK   EXPECTED  OBSERVED  STATUS',
      'p       workers  1 multus0  subnet  a         b         UNEXPECTED',
      '',
      '1 of 2 checks differ from the intent.',
    ]);
    expect(renderTable(report([r('i-1', 'ok')])).split('\n').at(-1)).toBe('1 check, all as intended.');
  });
});
