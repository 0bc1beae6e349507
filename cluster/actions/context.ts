/**
 * What the actions of `up` share, and the action shape (kind's `actions.Action`: one `execute` per step, with one
 * status line each; `up` runs them in stages, the actions of one stage side by side).
 */
import type { NetworkIntent } from '../../lib/intent/types';
import type { Artifacts } from '../artifacts';
import type { BoxNames } from '../box';
import type { Pki } from '../pki';
import type { HostInfo } from '../provider/host';
import type { BoxTopology } from '../topology';

export interface UpContext {
  readonly names: BoxNames;
  readonly intent: NetworkIntent;
  readonly intentFile: string;
  readonly topo: BoxTopology;
  readonly host: HostInfo;
  readonly pki: Pki;
  /** Set by the build action. */
  artifacts?: Artifacts;
  /** Manifests directory (synthesised from the intent). */
  distDir?: string;
  /** The manifest files in `distDir` (names relative to it), in apply order; set by the render action. */
  manifests?: readonly string[];
  /** Nodes that boot without the ENI setup (`up --hold-eni-setup NODE`). */
  readonly holdEniSetup: readonly string[];
  /** Control plane and nodes only (`up --bare`): nothing applied, the wait is for the nodes. */
  readonly bare: boolean;
  /** Whether the control plane was already running (a second `up`). */
  running: boolean;
  /** Detail lines (printed under the step's status line unless --json). */
  note(line: string): void;
  /** Facts for --json and the final report. */
  readonly facts: Record<string, unknown>;
}

export interface Action {
  /** Status line text while running, e.g. "Starting the control plane". */
  readonly title: string;
  /** Does the step; returns a short result for the status line (e.g. "3 nodes"). */
  execute(ctx: UpContext): Promise<string | void>;
}
