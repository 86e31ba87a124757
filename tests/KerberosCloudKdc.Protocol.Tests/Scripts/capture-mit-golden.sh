#!/usr/bin/env bash
# Regenerates Golden/mit/: real messages between MIT kinit/kvno and a throwaway MIT krb5kdc.
#
# Every secret is fixed (user, service and krbtgt passwords) so tests can decrypt each layer:
# the AS-REP with the user's password key, the TGT with the krbtgt key, the TGS-REQ authenticator
# and the TGS-REP with the session key, and the service ticket with the service key.
# Needs krb5-kdc, krb5-admin-server and krb5-user. Usage: capture-mit-golden.sh [OUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../Golden/mit}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

realm=EXAMPLE.TEST
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
kdc_port=$(free_port)
proxy_port=$(free_port)

cat > "$work/kdc.conf" <<CONF
[kdcdefaults]
  kdc_listen = 127.0.0.1:$kdc_port
  kdc_tcp_listen = 127.0.0.1:$kdc_port
[realms]
  $realm = {
    database_name = $work/principal
    key_stash_file = $work/stash
    acl_file = $work/kadm5.acl
    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes256-cts-hmac-sha384-192:normal aes128-cts-hmac-sha1-96:normal aes128-cts-hmac-sha256-128:normal
    max_life = 10h
    max_renewable_life = 7d
  }
[logging]
  kdc = FILE:$work/kdc.log
CONF
touch "$work/kadm5.acl"

client_conf() { # $1 = enctype list
  cat <<CONF
[libdefaults]
  default_realm = $realm
  dns_lookup_kdc = false
  dns_lookup_realm = false
  rdns = false
  udp_preference_limit = 1
  default_tkt_enctypes = $1
  default_tgs_enctypes = $1
  permitted_enctypes = $1
[realms]
  $realm = {
    kdc = 127.0.0.1:$proxy_port
  }
[domain_realm]
  .example.test = $realm
CONF
}

export KRB5_KDC_PROFILE=$work/kdc.conf
export KRB5_CONFIG=$work/krb5-kdc.conf
client_conf "aes256-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha1-96 aes128-cts-hmac-sha256-128" > "$KRB5_CONFIG"
kdb5_util create -s -r "$realm" -P master-password >/dev/null
kadmin.local -r "$realm" -q "cpw -pw krbtgt-password krbtgt/$realm" >/dev/null
kadmin.local -r "$realm" -q "addprinc -pw alice-password +requires_preauth alice" >/dev/null
kadmin.local -r "$realm" -q "addprinc -pw service-password HTTP/web.example.test" >/dev/null

krb5kdc -n -r "$realm" & pids+=($!)
for scenario in aes256-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192; do
  rm -rf "$work/rec"
  /usr/bin/python3 "$here/record-kdc.py" "$proxy_port" "$kdc_port" "$work/rec" & rec=$!
  sleep 0.5
  client_conf "$scenario" > "$work/krb5-$scenario.conf"
  export KRB5_CONFIG=$work/krb5-$scenario.conf KRB5CCNAME=FILE:$work/ccache-$scenario
  echo alice-password | kinit alice >/dev/null
  kvno HTTP/web.example.test >/dev/null
  kill "$rec"; wait "$rec" 2>/dev/null || true
  dest=$out/$scenario
  rm -rf "$dest"; mkdir -p "$dest"
  # 001: AS-REQ without pre-auth -> KRB-ERROR PREAUTH_REQUIRED; 002: AS-REQ with PA-ENC-TIMESTAMP -> AS-REP; 003: TGS-REQ -> TGS-REP
  cp "$work/rec/001-req.der" "$dest/as-req-no-preauth.der"
  cp "$work/rec/001-rep.der" "$dest/krb-error-preauth-required.der"
  cp "$work/rec/002-req.der" "$dest/as-req.der"
  cp "$work/rec/002-rep.der" "$dest/as-rep.der"
  cp "$work/rec/003-req.der" "$dest/tgs-req.der"
  cp "$work/rec/003-rep.der" "$dest/tgs-rep.der"
done
cat > "$out/README.md" <<'DOC'
Golden messages from MIT Kerberos 1.20 (kinit, kvno, krb5kdc), recorded by
`Scripts/capture-mit-golden.sh` through `Scripts/record-kdc.py`. One folder per enctype the client
was limited to. Realm EXAMPLE.TEST; passwords: alice `alice-password`, `HTTP/web.example.test`
`service-password`, `krbtgt/EXAMPLE.TEST` `krbtgt-password` (kvno 2 after the cpw). Salts are the
RFC 4120 defaults (realm + name components).
DOC
ls -R "$out"
