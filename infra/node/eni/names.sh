# shellcheck shell=bash
# names.sh (part of multinic-eni.sh): take each ENI over from amazon-ec2-net-utils, give it its name and pin the name
# across reboots (the .link, .network and udev files).

# Amazon Linux 2023's amazon-ec2-net-utils starts policy-routes@<nic>.service (and its refresh timer) for every ENI
# udev announces: within a minute it adds every address IMDS lists on the ENI as a /32, its own rules and a DHCP
# config, which would take pod addresses (assigned to the ENI for ipvlan pods) away from the pods. multinic owns the
# secondary ENIs, so it stops both units for each of them, under the name the NIC has now (before the rename, and
# on later boots under its multinic name). Stopping runs the unit's own cleanup (setup-policy-routes stop). The EKS
# AMI masks ec2-net-utils' udev rule, and so does multinic's EKS user data, so on EKS nodes this finds nothing;
# the per-MAC .network file written below keeps systemd-networkd (nodeadm's 70-eks-*.network) off the ENI too.
release_from_ec2_net_utils() {
  command -v "$SYSTEMCTL" >/dev/null 2>&1 || return 0
  local mac nic unit
  for mac in "${ENI_MACS[@]}"; do
    [[ -z ${E_FAILED[$mac]:-} ]] || continue
    nic=${E_NAME[$mac]}
    for unit in "refresh-policy-routes@$nic.timer" "policy-routes@$nic.service"; do
      "$SYSTEMCTL" is-enabled --quiet "$unit" 2>/dev/null || "$SYSTEMCTL" is-active --quiet "$unit" 2>/dev/null || continue
      CHANGES=$((CHANGES + 1))
      if ((DRY_RUN)); then
        printf '%s disable --now --no-block %s\n' "$SYSTEMCTL" "$unit"
        continue
      fi
      # --no-block: this may run inside a boot-time unit; waiting on another job there can deadlock.
      if "$SYSTEMCTL" disable --now --no-block "$unit" >/dev/null 2>&1; then
        log "$nic mac=$mac: stopped $unit (amazon-ec2-net-utils); multinic configures this ENI"
      else
        log "$nic mac=$mac: warning: could not stop $unit (amazon-ec2-net-utils)"
      fi
    done
  done
}

# Rename in two phases (every ENI that needs it to a temporary name, then to its own) so that ENIs can swap names.
rename_links() {
  local mac want owner tmp
  local -a todo=()
  for mac in "${ENI_MACS[@]}"; do
    [[ -z ${E_FAILED[$mac]:-} ]] || continue
    want=${E_WANT[$mac]}
    [[ -n $want && $want != "${E_NAME[$mac]}" ]] || continue
    owner=${MAC_BY_LINK[$want]:-}
    if [[ -n $owner && -z ${E_DEV[$owner]:-} ]]; then
      fail_eni "$mac" "the name $want is taken by $want (MAC $owner), which is not a secondary ENI; rename that interface or change the intent"
      continue
    fi
    todo+=("$mac")
  done
  for mac in "${todo[@]}"; do
    tmp="mnt${E_CARD[$mac]}x${E_DEV[$mac]}"
    ipq link set dev "${E_NAME[$mac]}" down
    ipq link set dev "${E_NAME[$mac]}" name "$tmp"
    E_NAME["$mac"]=$tmp
  done
  flush_ip
  for mac in "${todo[@]}"; do
    ipq link set dev "${E_NAME[$mac]}" name "${E_WANT[$mac]}"
    E_NAME["$mac"]=${E_WANT[$mac]}
  done
  flush_ip
  if [[ -n $FLUSH_ERROR ]]; then
    for mac in "${todo[@]}"; do fail_eni "$mac" "renaming failed: $FLUSH_ERROR"; done
  fi
}

# pin_name MAC: write the three files that keep the ENI's name (E_NAME) across reboots, and list them in WRITTEN.
#
# The .link file names the NIC by its permanent MAC at boot: ipvlan children share the ENI's MAC but have no
# permanent address, so they can never be renamed by mistake.
#
# netplan writes a udev rule `NAME="ens6"` by MAC (99-netplan-<if>.rules) for every NIC cloud-init rendered at
# first boot; it runs after, and so overrides, the .link name. A final assignment (NAME:=) in a rule that sorts
# first wins. DRIVERS=="?*" keeps ipvlan children (no parent device) out.
#
# The .network file keeps systemd-networkd off the ENI under any name: it sorts before nodeadm's 70-eks-<if>.network
# (EKS AL2023), ec2-net-utils' 70-<if>.network and netplan's files, and the first .network file that matches wins.
# Matched by the permanent MAC, so ipvlan children (same MAC, no permanent one) are never caught.
pin_name() {
  local mac=$1 dev=${E_NAME[$1]}
  local link="$LINK_DIR/$LINK_FILE_PREFIX$dev.link" rule="$UDEV_DIR/$UDEV_RULE_PREFIX$dev.rules" network="$LINK_DIR/$NETWORK_FILE_PREFIX$dev.network"
  write_file "$link" "# Written by multinic-eni.sh: the stable name of the ENI at network card ${E_CARD[$mac]}, device index ${E_DEV[$mac]}.
[Match]
PermanentMACAddress=$mac

[Link]
Name=$dev"
  write_file "$rule" "# Written by multinic-eni.sh: the stable name of this ENI wins over later NAME= rules (netplan's).
SUBSYSTEM==\"net\", ACTION==\"add\", DRIVERS==\"?*\", ATTR{address}==\"$mac\", NAME:=\"$dev\""
  write_file "$network" "# Written by multinic-eni.sh: multinic configures $dev; systemd-networkd leaves it alone.
[Match]
PermanentMACAddress=$mac

[Link]
Unmanaged=yes"
  WRITTEN+=("$link" "$rule" "$network")
}
