#!/usr/bin/env bash
# Regenerates imports/ from the committed CRDs (offline): `npm run import`.
# The three Whereabouts CRDs share one API group, so they are imported in one run (one run per file would overwrite
# the group's file).
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK8S_CHECK_UPGRADE=false
npx cdk8s import crds/network-attachment-definitions.yaml -o imports -l typescript --no-check-upgrade
tmp=$(mktemp -d)
# cdk8s import appends every file it imports to cdk8s.yaml: keep the committed one.
cp cdk8s.yaml "$tmp/cdk8s.yaml"
trap 'cp "$tmp/cdk8s.yaml" cdk8s.yaml; rm -rf "$tmp"' EXIT
for f in ippools overlappingrangeipreservations nodeslicepools; do
  echo '---'
  grep -v '^#' "crds/whereabouts/$f.yaml"
done > "$tmp/whereabouts-crds.yaml"
npx cdk8s import "$tmp/whereabouts-crds.yaml" -o imports -l typescript --no-check-upgrade
