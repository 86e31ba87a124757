#!/usr/bin/env bash
# Installs the real Kerberos peers the interop tests run against (Debian packages), if missing.
# The tests never skip a missing peer: they fail and point here.
set -euo pipefail

packages=(krb5-user krb5-kdc krb5-admin-server krb5-k5tls python3-impacket python3-gssapi openssl)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing test peers: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
# The krb5 packages ask for a default realm on install; the tests bring their own krb5.conf files.
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
