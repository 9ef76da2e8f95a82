# isolate-network.sh BRIDGE SUBNET EGRESS [ALLOWED]: the host firewall around one of Laambda's networks for
# tenant code (functions, builds). ALLOWED: comma-separated IPv4:port pairs containers may reach whatever
# the rules below say (a package mirror on the host or a private address), by TCP.
# Run by the server (SandboxNetwork) in the laambda/netfilter image, on the engine host's network with
# NET_ADMIN, at every start; safe to run again (it rebuilds its own chains, adds each jump once).
#
# From a container on BRIDGE:
#   - nothing on the host itself (any of its addresses: the bridge's gateway, loopback, eth0):  LMB-HOST-*
#   - no other container on the bridge, no private, loopback, link-local (169.254.169.254: cloud
#     metadata), carrier-grade NAT or multicast address; the rest of the internet only when EGRESS is
#     "internet" (NATed), nothing at all when it is "none":                                 LMB-OUT-*
#   - nothing starts a connection into the bridge from outside; answers to its own come back: LMB-IN-*
#   - no IPv6 at all.
# With egress, the host's own name servers (from its resolv.conf) answer on port 53 even where they are
# private addresses; the last line names them ("dns 10.0.0.2 …") for the containers' resolv.conf, since
# Docker's embedded resolver does not work where Docker does not manage iptables.
set -eu
bridge="$1" subnet="$2" egress="$3" allowed="${4:-}"
fail() { echo "$*" >&2; exit 1; }

case "$egress" in internet|none) ;; *) fail "egress must be internet or none, not '$egress'" ;; esac
# Traffic between two containers on one bridge is switched, not routed: iptables sees it only when the
# kernel hands bridged packets to netfilter (br_netfilter).
if [ "$(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || echo 0)" != 1 ]; then
  fail "the kernel does not filter bridged traffic: run 'modprobe br_netfilter' and 'sysctl net.bridge.bridge-nf-call-iptables=1' on the Docker host"
fi

host_chain="LMB-HOST-$bridge" out_chain="LMB-OUT-$bridge" in_chain="LMB-IN-$bridge"
for chain in "$host_chain" "$out_chain" "$in_chain"; do
  iptables -w -N "$chain" 2>/dev/null || iptables -w -F "$chain"
done
for pair in $(echo "$allowed" | tr ',' ' '); do
  address="${pair%:*}" port="${pair##*:}"
  case "$address:$port" in
    *[!0-9.:]*|:*|*:) fail "allowed address '$pair' is not IPv4:port" ;;
  esac
  iptables -w -A "$host_chain" -d "$address" -p tcp --dport "$port" -j ACCEPT
  iptables -w -A "$out_chain" -d "$address" -p tcp --dport "$port" -j ACCEPT
done
iptables -w -A "$host_chain" -j DROP
iptables -w -A "$out_chain" -o "$bridge" -j DROP
dns=""
if [ "$egress" = internet ]; then
  for server in $(awk '$1 == "nameserver" && $2 ~ /^[0-9.]+$/ && $2 !~ /^127\./ { print $2 }' /etc/resolv.conf); do
    iptables -w -A "$out_chain" -d "$server" -p udp --dport 53 -j ACCEPT
    iptables -w -A "$out_chain" -d "$server" -p tcp --dport 53 -j ACCEPT
    dns="$dns $server"
  done
fi
iptables -w -A "$out_chain" -d 0.0.0.0/8,10.0.0.0/8,100.64.0.0/10,127.0.0.0/8,169.254.0.0/16,172.16.0.0/12,192.0.0.0/24,192.168.0.0/16,198.18.0.0/15,224.0.0.0/3 -j DROP
if [ "$egress" = internet ]; then
  iptables -w -A "$out_chain" -j ACCEPT
else
  iptables -w -A "$out_chain" -j DROP
fi
iptables -w -A "$in_chain" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -w -A "$in_chain" -j DROP

# Docker (when it manages iptables itself) re-inserts its own FORWARD rules at the top when it starts,
# and keeps DOCKER-USER ahead of them for rules like these.
forward=FORWARD
if iptables -w -n -L DOCKER-USER >/dev/null 2>&1; then forward=DOCKER-USER; fi
iptables -w -C INPUT -i "$bridge" -j "$host_chain" 2>/dev/null || iptables -w -I INPUT 1 -i "$bridge" -j "$host_chain"
iptables -w -C "$forward" -i "$bridge" -j "$out_chain" 2>/dev/null || iptables -w -I "$forward" 1 -i "$bridge" -j "$out_chain"
iptables -w -C "$forward" -o "$bridge" -j "$in_chain" 2>/dev/null || iptables -w -I "$forward" 1 -o "$bridge" -j "$in_chain"

masquerade() { iptables -w -t nat "$1" POSTROUTING -s "$subnet" ! -o "$bridge" -j MASQUERADE; }
if [ "$egress" = internet ]; then
  masquerade -C 2>/dev/null || masquerade -A
  [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] \
    || echo "warning: net.ipv4.ip_forward is 0 on the Docker host: functions have no internet until it is 1"
else
  while masquerade -D 2>/dev/null; do :; done
fi

# Containers start with IPv6 off (SandboxNetwork); these rules are the second wall where the host has it.
for chain in INPUT FORWARD; do
  ip6tables -w -C "$chain" -i "$bridge" -j DROP 2>/dev/null || ip6tables -w -I "$chain" 1 -i "$bridge" -j DROP 2>/dev/null \
    || echo "warning: no ip6tables $chain rule for $bridge (the host has no IPv6 filter table)"
done
echo "isolated $bridge ($subnet), egress $egress${allowed:+, allowed $allowed}"
echo "dns$dns"
