import { POD_SPEC_ANNOTATION, podSpecValue, podsToReplace } from '../lib/pod-spec';

describe('podSpecValue', () => {
  const pod = (command: string[], annotations: Record<string, string> = {}) => ({
    metadata: { name: 'p', namespace: 'demo', labels: { app: 'x' }, annotations },
    spec: { containers: [{ name: 'main', image: 'img:1', command }] },
  });

  test('names its pod and hashes what it asks for; same pod, same value', () => {
    expect(podSpecValue(pod(['sleep', 'infinity']))).toMatch(/^demo\/p\/[0-9a-f]{16}$/);
    expect(podSpecValue(pod(['sleep', 'infinity']))).toBe(podSpecValue(pod(['sleep', 'infinity'])));
  });

  test('a new command or a new networks annotation changes it; its own annotation does not', () => {
    const base = podSpecValue(pod(['sleep', 'infinity']));
    expect(podSpecValue(pod(['sleep', '1']))).not.toBe(base);
    expect(podSpecValue(pod(['sleep', 'infinity'], { 'k8s.v1.cni.cncf.io/networks': 'a' }))).not.toBe(base);
    expect(podSpecValue(pod(['sleep', 'infinity'], { [POD_SPEC_ANNOTATION]: 'demo/p/0000' }))).toBe(base);
  });
});

describe('podsToReplace', () => {
  test('only running pods whose value differs, including running pods without a value', () => {
    const live = new Map([['demo/same', 'demo/same/aaaa'], ['demo/changed', 'demo/changed/0000'], ['demo/old', ''], ['demo/other', 'demo/other/eeee']]);
    expect(podsToReplace(['demo/same/aaaa', 'demo/changed/bbbb', 'demo/new/cccc', 'demo/old/dddd'], live)).toEqual(['demo/changed', 'demo/old']);
  });
});
