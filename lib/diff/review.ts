/**
 * The pull-request review of a network intent: validation findings, the diff against the base branch and the plan,
 * as the body of ONE comment (found again by a hidden marker, so each push updates it), and the exit code the check
 * ends with (1 when the head has findings of level error). `scripts/pr-review.js` calls `runReview`; the workflow
 * only posts the body.
 */
import * as fs from 'node:fs';
import { parseIntent } from '../intent/load';
import { formatFindings, validateParsed, type ValidationResult } from '../intent/validate';
import { buildPlan } from '../plan/build';
import { renderPlanMarkdown } from '../plan/markdown';
import { diffIntents } from './diff';
import { readAtRef } from './git';
import { renderDiffMarkdown } from './markdown';

/** Hidden first line of the comment; the workflow finds the comment to update by it. */
export const REVIEW_MARKER = '<!-- multinic:network-intent-review -->';

/** GitHub rejects comments above 65,536 characters; stay below with room for the marker and notes. */
export const MAX_COMMENT_CHARS = 60000;
/** Findings listed in a comment; the rest are counted. */
export const MAX_COMMENT_FINDINGS = 40;

export interface ReviewInput {
  /** The intent file as the pull request names it (repository-relative). */
  readonly file: string;
  /** The base ref, e.g. `origin/main`. */
  readonly baseRef: string;
  readonly head: ValidationResult;
  /** The base side: validated, or `missing` when the file is new in the pull request. */
  readonly base: ValidationResult | 'missing';
}

export interface Review {
  readonly body: string;
  /** 0: no error-level finding in the head; 1: the check fails. */
  readonly exitCode: number;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Builds the comment body and exit code from both sides' validation. Pure. */
export function reviewComment(input: ReviewInput): Review {
  const { head, base, file, baseRef } = input;
  const counts = `${plural(head.errors, 'error')}, ${plural(head.warnings, 'warning')}`;
  const parts: string[] = [
    REVIEW_MARKER,
    '## Network intent review',
    head.valid
      ? `:white_check_mark: \`${file}\` is valid (${counts}).`
      : `:x: \`${file}\` is invalid (${counts}). This check fails until the errors are fixed; nothing can be synthesised or deployed from it.`,
  ];
  if (head.findings.length) {
    // Errors first; past MAX_COMMENT_FINDINGS the rest are counted, so findings never crowd the diff out of the comment.
    const ordered = [...head.findings].sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
    const shown = ordered.slice(0, MAX_COMMENT_FINDINGS);
    const more = ordered.length - shown.length;
    parts.push('### Findings', ['```text', formatFindings(shown, file), '```'].join('\n')
      + (more > 0 ? `\n\n${more} more finding${more === 1 ? '' : 's'}: run \`multinic validate -i ${file}\`.` : ''));
  }

  if (head.valid && head.intent) {
    if (base !== 'missing' && !base.valid) {
      parts.push(`### Changes against \`${baseRef}\``, `The base version of \`${file}\` is invalid (${plural(base.errors, 'error')}), so there is nothing to compare with; the plan below is the whole intent.`);
    } else {
      const diff = diffIntents(base === 'missing' ? undefined : base.intent, head.intent, { base: baseRef, head: 'this pull request' });
      const note = base === 'missing' ? `\`${file}\` is new in this pull request.\n\n` : '';
      parts.push(`${note}${renderDiffMarkdown(diff, '###').replace(/^### Network intent changes\n\n/, `### Changes against \`${baseRef}\`\n\n`).trimEnd()}`);
    }
    const plan = renderPlanMarkdown(buildPlan(head.intent, { model: head.model, findings: head.findings })).replace(/^# /, '## ').replace(/\n## /g, '\n### ');
    const used = parts.join('\n\n').length;
    parts.push(used + plan.length + 60 < MAX_COMMENT_CHARS
      ? ['<details><summary>Plan (ENIs, subnets, networks, workloads, diagram)</summary>', '', plan.trimEnd(), '', '</details>'].join('\n')
      : `The plan is too large for a comment: run \`multinic plan -i ${file}\`, or see \`dist/PLAN.md\` from \`multinic synth\`.`);
  }
  let body = `${parts.join('\n\n')}\n`;
  if (body.length > MAX_COMMENT_CHARS) {
    const note = `\n\n_Truncated: run \`multinic validate -i ${file}\` and \`multinic diff --git ${baseRef} -i ${file}\` locally._\n`;
    body = `${body.slice(0, MAX_COMMENT_CHARS - note.length)}${note}`;
  }
  return { body, exitCode: head.valid ? 0 : 1 };
}

/** Reads the intent from the working tree and from `baseRef` (git), validates both and builds the review. */
export function runReview(file: string, baseRef: string): Review {
  const head = validateParsed(parseIntent(fs.readFileSync(file, 'utf8'), file));
  const at = readAtRef(baseRef, file);
  const base = 'text' in at ? validateParsed(parseIntent(at.text, `${baseRef}:${file}`)) : 'missing';
  return reviewComment({ file, baseRef, head, base });
}
