# laambda/netfilter:trixie: the server's firewall tool. The server runs it on the engine's host network with
# NET_ADMIN to isolate the function network (server/src/main/resources/dev/laambda/docker/isolate-network.sh):
# it sets the rules on whichever host the engine runs on, whether the server runs there as root, as a
# user in the docker group, or in a container of its own. Tenant code never runs in it.
ARG BASE_IMAGE=laambda/stack-base:trixie
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q iptables \
 && rm -rf /var/lib/apt/lists/*
CMD ["iptables", "--version"]
