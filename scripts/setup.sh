#!/bin/sh
# Install what building and testing moatd needs on Debian 12, and create the
# unprivileged user the engines run as.  Non-interactive and idempotent.
set -eu

PKGS="build-essential cmake pkg-config bison
libevent-dev libbsd-dev nettle-dev libgmp-dev libcap-ng-dev libseccomp-dev
libidn2-dev libcmocka-dev clang llvm libclang-rt-14-dev mandoc
iproute2 procps psmisc dnsutils knot-dnsutils
python3 python3-pytest python3-dnspython python3-scapy
isc-dhcp-client udhcpc dhcpcd-base kea-admin tcpdump util-linux"

if [ "$(id -u)" -ne 0 ]; then
	echo "setup.sh: run as root (it installs packages and adds a user)" >&2
	exit 1
fi

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends $missing
fi

if ! getent group _moatd >/dev/null; then
	groupadd --system _moatd
fi
if ! getent passwd _moatd >/dev/null; then
	useradd --system --gid _moatd --home-dir /var/empty \
	    --shell /usr/sbin/nologin --comment "moatd unprivileged user" _moatd
fi
