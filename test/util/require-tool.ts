/**
 * One way for every test that needs a system tool to say so: the suite (or test) is skipped, never passed, when a
 * tool is missing, and its title carries the reason, e.g. `[skipped: needs shellcheck (apt-get install shellcheck)]`.
 * test/summary-reporter.js prints each reason once at the end of the run with how many tests it skipped.
 *
 *   const needs = requireTools(['shellcheck']);
 *   needs.describe('shellcheck', () => { ... });       // or needs.test(...), needs.test.each(...)(...)
 *   const net = requireTools(['ip', CNI('macvlan')], { root: 'network namespaces' });
 *
 * The install commands match scripts/system-packages.txt; as root on Debian `npm test` installs them itself
 * (scripts/provision.sh), so these skips happen only where it cannot (not root, not Debian).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Where Debian's containernetworking-plugins puts the CNI plugins. */
export const CNI_DIR = '/usr/lib/cni';
/** The path of a reference CNI plugin, as a tool name for requireTools. */
export const CNI = (plugin: string): string => join(CNI_DIR, plugin);

/** The Debian package of each tool the tests use (scripts/system-packages.txt installs them). */
const DEBIAN: Readonly<Record<string, string>> = {
  shellcheck: 'shellcheck', ip: 'iproute2', ping: 'iputils-ping', curl: 'curl', jq: 'jq', openssl: 'openssl',
  netplan: 'netplan.io', nft: 'nftables', unshare: 'util-linux', awk: 'mawk', bash: 'bash', git: 'git',
  busybox: 'busybox-static', 'qemu-system-x86_64': 'qemu-system-x86', iptables: 'iptables', 'iptables-restore': 'iptables',
  skopeo: 'skopeo', 'docker-registry': 'docker-registry',
};
/** Tools that do not come from Debian, and how to get them. */
const OTHER: Readonly<Record<string, string>> = {
  'cfn-lint': 'pip install cfn-lint',
  go: 'Go 1.26 from go.dev (see docs/toolchain.md)',
};

/** The Debian package that installs `tool` (a CNI plugin path: containernetworking-plugins), if it is one. */
function debianPackage(tool: string): string | undefined {
  return tool.startsWith(`${CNI_DIR}/`) ? 'containernetworking-plugins' : DEBIAN[tool];
}

/** How to install `tools`: one apt-get line for the Debian ones, then the others' own commands. */
export function installHint(tools: readonly string[]): string {
  const apt = [...new Set(tools.map(debianPackage).filter((p): p is string => p !== undefined))];
  const other = tools.filter((t) => debianPackage(t) === undefined).map((t) => OTHER[t] ?? `install ${t}`);
  return [...(apt.length > 0 ? [`apt-get install ${apt.join(' ')}`] : []), ...other].join('; ');
}

/** Whether `tool` (a command name looked up in PATH, or an absolute path) is an executable file here. */
export function hasTool(tool: string, path = process.env.PATH ?? ''): boolean {
  const candidates = isAbsolute(tool) ? [tool] : path.split(delimiter).filter(Boolean).map((d) => join(d, tool));
  return candidates.some((c) => {
    try {
      accessSync(c, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface ToolRequirement {
  /** @default - not needed. Otherwise what root is needed for, e.g. 'network namespaces'. */
  readonly root?: string;
  /** @default process.env.PATH */
  readonly path?: string;
  /** @default the process's uid */
  readonly uid?: number;
}

/** Why tests needing `tools` cannot run here, or undefined when they can. */
export function missingReason(tools: readonly string[], req: ToolRequirement = {}): string | undefined {
  const reasons: string[] = [];
  if (req.root !== undefined && (req.uid ?? process.getuid?.() ?? -1) !== 0) reasons.push(`root (for ${req.root})`);
  const missing = tools.filter((t) => !hasTool(t, req.path));
  if (missing.length > 0) reasons.push(`${missing.join(', ')} (${installHint(missing)})`);
  return reasons.length > 0 ? `needs ${reasons.join(' and ')}` : undefined;
}

/** The marker test/summary-reporter.js looks for in skipped tests' titles. */
export const SKIP_MARK = '[skipped: ';

export interface ToolGate {
  /** True when every tool is there (and root, if asked). */
  readonly ok: boolean;
  /** Why not, e.g. `needs shellcheck (apt-get install shellcheck)`; undefined when ok. */
  readonly reason?: string;
  /** `describe`, or `describe.skip` with the reason in the title. */
  readonly describe: jest.Describe;
  /** `test`, or `test.skip` with the reason in the title. */
  readonly test: jest.It;
}

/** A describe/test pair that runs when `tools` are present and skips with their names and install commands when not. */
export function requireTools(tools: readonly string[], req: ToolRequirement = {}): ToolGate {
  return gate(missingReason(tools, req));
}

/** A describe/test pair that skips with `reason` (a check of its own, e.g. a script's exit 77), or runs when undefined. */
export function gate(reason: string | undefined): ToolGate {
  if (reason === undefined) return { ok: true, describe, test };
  return { ok: false, reason, describe: tagged(describe.skip, reason), test: tagged(test.skip, reason) };
}

type Fn = (...args: unknown[]) => unknown;

/** `skip` with `[skipped: reason]` appended to every title it is given (also through `.each`). Exported for its test. */
export function tagged<T extends jest.Describe | jest.It>(skip: T, reason: string): T {
  const tag = (name: unknown) => `${String(name)} ${SKIP_MARK}${reason}]`;
  const s = skip as unknown as Fn & { each: (...table: unknown[]) => Fn };
  const f = ((name: unknown, ...rest: unknown[]) => s(tag(name), ...rest)) as Fn & Record<string, unknown>;
  f.each = (...table: unknown[]) => {
    const run = s.each(...table);
    return (name: unknown, ...rest: unknown[]) => run(tag(name), ...rest);
  };
  f.skip = f;
  f.only = f;
  f.todo = (name: unknown) => (test.todo as Fn)(tag(name));
  f.concurrent = f;
  f.failing = f;
  return f as unknown as T;
}
