#!/bin/bash
# Control plane, every 20 s (multinic-drain.timer): drains each worker that its Auto Scaling group is terminating
# (lifecycle hook, instance in Terminating:Wait), deletes its Node and lets the termination continue. Rolling
# replacements and scale-ins so move pods off a node before it goes; a bare Pod comes back at the next deployment
# (apply-manifests.sh re-creates what the intent has). A drain that cannot finish within DRAIN_TIMEOUT continues the
# termination anyway (the hook's heartbeat would end it too).
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"
export KUBECONFIG=${KUBECONFIG:-/etc/kubernetes/admin.conf}

# This deployment's Auto Scaling groups (CloudFormation tags them with the stack name), then "instance-id asg-name"
# of the instances waiting on the termination hook.
groups=$(aws autoscaling describe-auto-scaling-groups --filters "Name=tag:aws:cloudformation:stack-name,Values=$STACK_NAME" \
  --query 'AutoScalingGroups[].AutoScalingGroupName' --output text) || die "cannot list this stack's Auto Scaling groups"
groups=${groups//$'\t'/ }
waiting=$(aws autoscaling describe-auto-scaling-instances \
  --query "AutoScalingInstances[?LifecycleState=='Terminating:Wait'].[InstanceId,AutoScalingGroupName]" --output text) \
  || die "cannot list Auto Scaling instances"
while read -r instance group; do
  [ -n "${instance:-}" ] || continue
  case " $groups " in *" $group "*) ;; *) continue ;; esac
  ip=$(aws ec2 describe-instances --instance-ids "$instance" --query 'Reservations[0].Instances[0].PrivateIpAddress' --output text) || continue
  node=$(kubectl get nodes -o jsonpath="{range .items[?(@.status.addresses[0].address=='$ip')]}{.metadata.name}{end}")
  if [ -n "$node" ]; then
    log "draining $node ($instance, $ip) before $group terminates it"
    kubectl drain "$node" --ignore-daemonsets --delete-emptydir-data --force --timeout="${DRAIN_TIMEOUT}s" \
      || log "drain of $node did not finish in ${DRAIN_TIMEOUT}s; continuing the termination"
    kubectl delete node "$node" --wait=false || true
  fi
  aws autoscaling complete-lifecycle-action --lifecycle-hook-name "$DRAIN_HOOK" --auto-scaling-group-name "$group" \
    --instance-id "$instance" --lifecycle-action-result CONTINUE \
    || log "could not complete the lifecycle action of $instance (already done?)"
done <<<"$waiting"
