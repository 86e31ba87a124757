#!/usr/bin/python3
"""An independent Entra PRT client for the CloudKdc token endpoint.

Written only from the public descriptions of the PRT exchange (entra-kerberos-facts.md sections 3.3-3.5,
i.e. what ROADtools, AADInternals and libhimmelblau do), never from the server's code: it makes a device
(certificate with CN = device id, transport key), registers it through the admin API, asks srv_challenge,
signs the PRT request JWT by hand, unwraps session_key_jwe (RSA-OAEP SHA-1), derives the KDF v1 key
(SP800-108 counter mode HMAC-SHA256 via cryptography's KBKDFHMAC), opens tgt_cloud's clientKey (AES-GCM),
decrypts the AS-REP with impacket (etype 18, key usage 3) and writes an MIT ccache with CCache.fromTGT.

With --refresh it then renews the PRT the way CloudAP and ROADtools do (facts 3.1/3.4): an HS256 request JWT
signed by hand with the KDF v2 key (context = SHA256(ctx || payload bytes)), posted with a fresh nonce and
tgt=true; the answer is one JWE, opened with the KDF v1 key of its header ctx (AES-GCM, AAD = header segment),
and the ccache is written from the tgt_cloud of that refreshed answer.

Prints one JSON object: cname, realm, sessionKeyEtype, ccache, deviceId. Exit 1 with a message on failure.
"""
import hashlib
import hmac
import os
import argparse
import base64
import datetime
import json
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.kbkdf import CounterLocation, KBKDFHMAC, Mode
from cryptography.x509.oid import NameOID
from impacket.krb5.asn1 import AS_REP, EncASRepPart
from impacket.krb5.ccache import CCache
from impacket.krb5.crypto import Key, _enctype_table
from pyasn1.codec.der import decoder

WINDOWS_BROKER = "38aa3b87-a06d-4817-b275-7a316988d93b"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Server:
    def __init__(self, base, ca):
        self.base = base.rstrip("/")
        self.context = ssl.create_default_context(cafile=ca)

    def post_raw(self, path, body, content_type, headers=None):
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=60) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read()

    def post(self, path, body, content_type, headers=None):
        status, _, data = self.post_raw(path, body, content_type, headers)
        return status, json.loads(data or b"{}")

    def form(self, path, fields):
        return self.post(path, urllib.parse.urlencode(fields).encode("ascii"), "application/x-www-form-urlencoded")


def make_device():
    device_id = str(uuid.uuid4())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, device_id)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365)).sign(key, hashes.SHA256()))
    transport = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return device_id, key, cert, transport


def signed_request(key, cert, payload):
    header = {"alg": "RS256", "typ": "JWT", "x5c": [base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()], "kdf_ver": 2}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode())
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


def derive(session_key, context):
    return KBKDFHMAC(algorithm=hashes.SHA256(), mode=Mode.CounterMode, length=32, rlen=4, llen=4,
                     location=CounterLocation.BeforeFixed, label=b"AzureAD-SecureConversation",
                     context=context, fixed=None).derive(session_key)


def open_client_key(jwe, session_key):
    parts = jwe.split(".")
    header = json.loads(unb64url(parts[0]))
    if header.get("alg") != "dir" or header.get("enc") != "A256GCM":
        raise ValueError("unexpected clientKey header %r" % header)
    derived = derive(session_key, base64.b64decode(header["ctx"]))
    iv, ciphertext, tag = unb64url(parts[2]), unb64url(parts[3]), unb64url(parts[4])
    return AESGCM(derived).decrypt(iv, ciphertext + tag, parts[0].encode("ascii"))


def session_key_request(session_key, payload):
    """HS256 under KDF v2: the derivation context binds the signing key to these exact payload bytes."""
    ctx = os.urandom(24)
    header = {"alg": "HS256", "ctx": base64.b64encode(ctx).decode(), "kdf_ver": 2}
    payload_bytes = json.dumps(payload).encode()
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(payload_bytes)
    key = derive(session_key, hashlib.sha256(ctx + payload_bytes).digest())
    return signing_input + "." + b64url(hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest())


def refresh(server, tenant, prt, session_key):
    status, challenge = server.form("/common/oauth2/token", {"grant_type": "srv_challenge"})
    if status != 200:
        raise SystemExit("srv_challenge failed: %s %r" % (status, challenge))
    request = session_key_request(session_key, {
        "client_id": WINDOWS_BROKER, "request_nonce": challenge["Nonce"], "scope": "openid aza ugs",
        "grant_type": "refresh_token", "refresh_token": prt["refresh_token"],
        "iat": int(datetime.datetime.now(datetime.timezone.utc).timestamp()),
    })
    body = urllib.parse.urlencode({
        "windows_api_version": "2.2", "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "request": request, "client_info": "1", "tgt": True,
    }).encode("ascii")
    status, content_type, data = server.post_raw("/%s/oauth2/token" % tenant, body, "application/x-www-form-urlencoded")
    if status != 200:
        raise SystemExit("PRT refresh failed: %s %s" % (status, data[:400]))
    # The whole answer is a JWE: same decoder as clientKey (KDF v1 of the header ctx, AAD = header segment).
    refreshed = json.loads(open_client_key(data.decode("ascii").strip(), session_key))
    if "session_key_jwe" in refreshed or refreshed["refresh_token"] == prt["refresh_token"]:
        raise SystemExit("unexpected refresh answer: session_key_jwe present or PRT unchanged")
    return refreshed, content_type


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password-stdin", action="store_true")
    parser.add_argument("--ccache", required=True)
    parser.add_argument("--ad-out", help="write tgt_ad's AS-REP and opened client key here as JSON")
    parser.add_argument("--refresh", action="store_true", help="renew the PRT with a session-key-signed request and use its TGT")
    args = parser.parse_args()
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else ""
    server = Server(args.url, args.ca)

    device_id, device_key, cert, transport = make_device()
    status, registered = server.post("/%s/v1.0/devices" % args.tenant, json.dumps({
        "displayName": "entra_prt_client.py",
        "certificate": base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode(),
        "transportKey": base64.b64encode(transport.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode(),
    }).encode(), "application/json", {"Authorization": "Bearer " + args.api_key})
    if status != 201:
        raise SystemExit("device registration failed: %s %r" % (status, registered))

    status, challenge = server.form("/common/oauth2/token", {"grant_type": "srv_challenge"})
    if status != 200:
        raise SystemExit("srv_challenge failed: %s %r" % (status, challenge))

    request = signed_request(device_key, cert, {
        "client_id": WINDOWS_BROKER, "request_nonce": challenge["Nonce"], "scope": "openid aza ugs",
        "group_sids": [], "win_ver": "10.0.19041.868", "grant_type": "password",
        "username": args.username, "password": password,
    })
    # tgt=True: what ROADtools' Python sends for a boolean.
    status, prt = server.form("/%s/oauth2/token" % args.tenant, {
        "windows_api_version": "2.2", "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "request": request, "client_info": "1", "tgt": True,
    })
    if status != 200:
        raise SystemExit("PRT request failed: %s %r" % (status, prt))

    session_key = transport.decrypt(unb64url(prt["session_key_jwe"].split(".")[1]),
                                    padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
    refresh_content_type = None
    if args.refresh:
        prt, refresh_content_type = refresh(server, args.tenant, prt, session_key)
    tgt = json.loads(prt["tgt_cloud"])
    if tgt["keyType"] == 0:
        raise SystemExit("no cloud TGT: %s" % tgt.get("error"))
    client_key = Key(tgt["keyType"], open_client_key(tgt["clientKey"], session_key))

    as_rep_bytes = base64.b64decode(tgt["messageBuffer"])
    as_rep = decoder.decode(as_rep_bytes, asn1Spec=AS_REP())[0]
    cipher = _enctype_table[int(as_rep["enc-part"]["etype"])]
    enc_part = decoder.decode(cipher.decrypt(client_key, 3, bytes(as_rep["enc-part"]["cipher"])), asn1Spec=EncASRepPart())[0]
    ticket_session_key = Key(int(enc_part["key"]["keytype"]), bytes(enc_part["key"]["keyvalue"]))

    ccache = CCache()
    ccache.fromTGT(as_rep_bytes, client_key, ticket_session_key)
    ccache.saveFile(args.ccache)

    tgt_ad = json.loads(prt["tgt_ad"]) if "tgt_ad" in prt else None
    if args.ad_out and tgt_ad is not None:
        with open(args.ad_out, "w") as out:
            json.dump({
                "keyType": tgt_ad["keyType"], "realm": tgt_ad["realm"], "sn": tgt_ad["sn"], "cn": tgt_ad["cn"],
                "error": tgt_ad.get("error", ""),
                "as_rep": tgt_ad["messageBuffer"],
                "reply_key_hex": open_client_key(tgt_ad["clientKey"], session_key).hex() if tgt_ad["keyType"] else "",
            }, out)

    print(json.dumps({
        "cname": "/".join(str(c) for c in as_rep["cname"]["name-string"]),
        "cnameType": int(as_rep["cname"]["name-type"]),
        "realm": str(as_rep["crealm"]),
        "sessionKeyEtype": int(enc_part["key"]["keytype"]),
        "ccache": args.ccache,
        "deviceId": device_id,
        "sn": tgt["sn"],
        "tgtAd": tgt_ad is not None,
        "refreshed": args.refresh,
        "refreshContentType": refresh_content_type,
    }))


if __name__ == "__main__":
    main()
