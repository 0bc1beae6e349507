import { diffIntents } from '../../lib/diff/diff';
import { diffSummary, renderDiffJson, renderDiffMarkdown } from '../../lib/diff/markdown';
import type { NetworkIntent } from '../../lib/intent/types';
import { type Mutate, specOf, validate } from '../util/intent';

function intentOf(mutate: Mutate = () => undefined): NetworkIntent {
  const r = validate(mutate);
  if (!r.intent) throw new Error(r.findings.map((f) => f.message).join('; '));
  return r.intent;
}

describe('renderDiffMarkdown', () => {
  test('no changes: the title and one line', () => {
    expect(renderDiffMarkdown(diffIntents(intentOf(), intentOf(), { base: 'main', head: 'intent.yaml' })))
      .toBe('# Network intent changes\n\nNo semantic changes between main and intent.yaml.\n');
  });

  test('replacements first, then one table per subject in a fixed order', () => {
    // GIVEN an ENI moved to a new subnet and one more worker
    const d = diffIntents(intentOf(), intentOf((i) => {
      specOf(i).subnets.push({ name: 'multus-b', cidr: '10.0.129.0/24', zone: 'a' });
      specOf(i).nodeGroups[1].interfaces![0].subnet = 'multus-b';
      specOf(i).nodeGroups[1].count = 3;
    }), { base: 'main', head: 'intent.yaml' });
    // WHEN
    const md = renderDiffMarkdown(d, '##');
    // THEN
    expect(md).toBe([
      '## Network intent changes',
      '',
      '5 changes from main to intent.yaml: 1 subnet added, 1 node group changed, 1 ENI changed, 2 capacities changed.',
      '',
      '### Replaced AWS resources',
      '',
      '- **the 2 instances of node group workers**',
      '',
      '### Subnets',
      '',
      '| Change | Name | What | Effect |',
      '|---|---|---|---|',
      '| added | multus-b | secondary subnet 10.0.129.0/24 in zone a | New subnet. |',
      '',
      '### Node groups',
      '',
      '| Change | Name | What | Effect |',
      '|---|---|---|---|',
      '| changed | workers | count: 2 -> 3 | The Auto Scaling group scales from 2 to 3 nodes; existing nodes stay. |',
      '',
      '### ENIs',
      '',
      '| Change | Name | What | Effect |',
      '|---|---|---|---|',
      '| changed | workers/multus0 | subnet: multus-a -> multus-b | The ENI moves. ENIs are attached at launch from the launch template: the group\'s nodes are launched anew to apply it. Replaces the 2 instances of node group workers. |',
      '',
      '### Capacity',
      '',
      '| Change | Of | What | Effect |',
      '|---|---|---|---|',
      '| changed | subnet node-a | used 4 of 4091 -> 5 of 4091 addresses | 4086 addresses left. |',
      '| changed | subnet multus-a | used 3 of 251 -> 0 of 251 addresses | 251 addresses left. |',
      '',
    ].join('\n'));
  });

  test('the summary counts by subject and kind with plurals', () => {
    const d = diffIntents(intentOf(), intentOf((i) => { specOf(i).workloads[0].networks = []; specOf(i).workloads[1].networks = []; }));
    expect(diffSummary(d)).toBe('2 changes from base to head: 2 workloads changed.');
  });
});

describe('renderDiffJson', () => {
  test('the diff object', () => {
    const d = diffIntents(intentOf(), intentOf((i) => { specOf(i).nodeGroups[1].count = 5; }));
    expect(JSON.parse(renderDiffJson(d))).toEqual(JSON.parse(JSON.stringify(d)));
    expect(JSON.parse(renderDiffJson(d)).changes[0].details).toEqual(['count: 2 -> 5']);
  });
});
