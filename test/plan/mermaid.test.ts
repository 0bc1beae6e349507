import { buildPlan } from '../../lib/plan/build';
import { DIAGRAM_DETAIL_LIMIT, mermaidText, renderMermaid } from '../../lib/plan/mermaid';
import type { Plan } from '../../lib/plan/types';
import { type Mutate, specOf, validate } from '../util/intent';

function planOf(mutate: Mutate = () => undefined): Plan {
  const r = validate(mutate);
  if (!r.intent) throw new Error(r.findings.map((f) => f.message).join('; '));
  return buildPlan(r.intent, { model: r.model });
}

/**
 * The subset of Mermaid flowchart syntax the renderer may emit, checked line by line: a header, node declarations
 * with a generated id and a quoted label in one of three shapes, and edges between declared ids.
 */
function checkMermaid(text: string): string[] {
  const problems: string[] = [];
  const [header, ...lines] = text.split('\n');
  if (header !== 'flowchart LR') problems.push(`header: ${header}`);
  const declared = new Set<string>();
  for (const line of lines) {
    const decl = /^ {2}([a-z][a-z0-9]*)(\["[^"]*"\]|\("[^"]*"\)|\(\["[^"]*"\]\))$/.exec(line);
    const edge = /^ {2}([a-z][a-z0-9]*) (-->|-\.->) ([a-z][a-z0-9]*)$/.exec(line);
    if (decl) {
      if (declared.has(decl[1])) problems.push(`declared twice: ${decl[1]}`);
      if (['end', 'graph', 'subgraph', 'style', 'class'].includes(decl[1])) problems.push(`reserved id: ${decl[1]}`);
      declared.add(decl[1]);
    } else if (edge) {
      for (const id of [edge[1], edge[3]]) if (!declared.has(id)) problems.push(`edge to undeclared ${id}: ${line}`);
    } else {
      problems.push(`not a declaration or an edge: ${line}`);
    }
  }
  return problems;
}

describe('renderMermaid', () => {
  test('the base intent: VPC -> subnets -> node groups -> interfaces -> networks -> workloads', () => {
    // GIVEN / WHEN
    const text = renderMermaid(planOf());
    // THEN
    expect(text).toBe([
      'flowchart LR',
      '  vpc["VPC 10.0.0.0/16<br/>zones a, b"]',
      '  sub0["subnet node-a<br/>10.0.0.0/20 zone a"]',
      '  vpc --> sub0',
      '  sub1["subnet node-b<br/>10.0.16.0/20 zone b"]',
      '  vpc --> sub1',
      '  sub2["subnet multus-a<br/>10.0.128.0/24 zone a"]',
      '  vpc --> sub2',
      '  net0("network default/ipvlan-conf<br/>ipvlan l2, host-local")',
      '  net1("network dcjeon/whereabouts-eth1-conf<br/>ipvlan l2, whereabouts")',
      '  grp0["control-plane group control-plane<br/>1 x m6i.large"]',
      '  sub0 --> grp0',
      '  sub1 --> grp0',
      '  grp1["worker group workers<br/>2 x m6i.large"]',
      '  sub0 --> grp1',
      '  sub2 --> grp1',
      '  if1x1(["workers: multus0<br/>device 1 in multus-a"])',
      '  grp1 --> if1x1',
      '  if1x1 --> net0',
      '  if1x1 --> net1',
      '  wl0["Pod default/multus-sample-pod<br/>1 pod"]',
      '  net0 --> wl0',
      '  wl1["Deployment dcjeon/ubuntu-whereabouts-deploy<br/>2 pods"]',
      '  net1 --> wl1',
    ].join('\n'));
    expect(checkMermaid(text)).toEqual([]);
  });

  test('a bridge network hangs off every worker group by a dotted edge', () => {
    const text = renderMermaid(planOf((i) => {
      specOf(i).networks.push({ name: 'br', namespace: 'default', type: 'bridge', ipam: { type: 'whereabouts', range: '10.5.0.0/24' } });
    }));
    expect(text).toContain('  net2("network default/br<br/>bridge cni0, whereabouts")');
    expect(text).toContain('  grp1 -.-> net2');
    expect(text).not.toContain('grp0 -.-> net2');
    expect(checkMermaid(text)).toEqual([]);
  });

  test(`past ${DIAGRAM_DETAIL_LIMIT} networks and workloads, networks are counted per interface`, () => {
    // GIVEN 70 whereabouts networks on multus0
    const text = renderMermaid(planOf((i) => {
      for (let n = 0; n < 70; n++) specOf(i).networks.push({ name: `n${n}`, namespace: 'default', type: 'ipvlan', master: 'multus0', ipam: { type: 'whereabouts', range: `10.6.${n}.0/24` } });
    }));
    // THEN one summary node for the interface instead of 72 network nodes, and no workload nodes
    expect(text).toContain('  if1x1n("72 networks<br/>3 pods attached")');
    expect(text).not.toMatch(/ net\d+\(/);
    expect(text).not.toMatch(/ wl\d+\[/);
    expect(checkMermaid(text)).toEqual([]);
  });

  test.each([
    ['plain', 'plain'],
    ['say "hi"', 'say #34;hi#34;'],
    ['<b>&amp;</b>', '#60;b#62;#38;amp;#60;/b#62;'],
    ['#1 `code`', '#35;1 #96;code#96;'],
  ])('mermaidText(%j) = %j', (input, output) => {
    expect(mermaidText(input)).toBe(output);
  });

  test('the syntax check rejects what would break the diagram', () => {
    // Guards the guard: an unquoted label, an edge to nowhere and a reserved id are caught.
    expect(checkMermaid('flowchart LR\n  a[x]\n  end["y"]\n  end --> b')).toEqual([
      'not a declaration or an edge:   a[x]', 'reserved id: end', 'edge to undeclared b:   end --> b',
    ]);
  });
});
