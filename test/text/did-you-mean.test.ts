import { didYouMean, editDistance } from '../../lib/text/did-you-mean';

describe('editDistance', () => {
  test.each([
    ['whereabouts', 'whereabouts', 0],
    ['whereaboutsss', 'whereabouts', 2],
    ['hostlocal', 'host-local', 1],
    ['', 'abc', 3],
  ])('%s -> %s is %d edits', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('didYouMean', () => {
  const ipam = ['host-local', 'static', 'whereabouts', 'dhcp'];
  test.each([
    ['whereaboutsss', 'whereabouts'],
    ['Whereabouts', 'whereabouts'],
    ['host_local', 'host-local'],
    ['statik', 'static'],
  ])('%s suggests %s', (word, expected) => {
    expect(didYouMean(word, ipam)).toBe(expected);
  });

  test('nothing close enough: no suggestion', () => {
    expect(didYouMean('calico-ipam', ipam)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});
