#!/usr/bin/python3
"""Opens a partial TGT (tgt_ad) with impacket only, independent of our code, and reports what it holds.

stdin:  JSON {as_rep (std base64 DER AS-REP), reply_key_hex, krbtgt_key_hex | krbtgt_password + krbtgt_salt}
        (a password is turned into the AES256 key by impacket's own string-to-key)
stdout: JSON {realm, sname, cname, crealm, kvno, rodc, key_version, user_sid, group_count, extra_sid_count,
        buffer_types, server_checksum_ok, kdc_checksum_ok, session_key_matches}
exit 2 with {"error": ...} when a decryption fails (wrong key).
"""
import base64
import json
import sys

from impacket.krb5.asn1 import AS_REP, EncASRepPart, EncTicketPart
from impacket.krb5.crypto import Key, _enctype_table
from pyasn1.codec.der import decoder

from pac_walk import Signatures, buffers, find_pac, logon_info

USAGE_AS_REP_ENC_PART = 3
USAGE_TICKET = 2


def decrypt(key_hex, etype, usage, cipher, what):
    try:
        return _enctype_table[etype].decrypt(Key(etype, bytes.fromhex(key_hex)), usage, cipher)
    except Exception as error:  # impacket raises InvalidChecksum or ValueError; either means the wrong key
        json.dump({'error': '%s: %s' % (what, type(error).__name__)}, sys.stdout)
        sys.exit(2)


def name(principal):
    return '/'.join(str(c) for c in principal['name-string'])


def krbtgt_key_hex(spec):
    if 'krbtgt_key_hex' in spec:
        return spec['krbtgt_key_hex']
    return _enctype_table[18].string_to_key(spec['krbtgt_password'], spec['krbtgt_salt'], None).contents.hex()


def main():
    spec = json.load(sys.stdin)
    rep = decoder.decode(base64.b64decode(spec['as_rep']), asn1Spec=AS_REP())[0]
    reply_etype = int(rep['enc-part']['etype'])
    reply_plain = decrypt(spec['reply_key_hex'], reply_etype, USAGE_AS_REP_ENC_PART, bytes(rep['enc-part']['cipher']), 'reply')
    reply_part = decoder.decode(reply_plain, asn1Spec=EncASRepPart())[0]

    ticket = rep['ticket']
    etype = int(ticket['enc-part']['etype'])
    kvno = int(ticket['enc-part']['kvno'])
    plain = decrypt(krbtgt_key_hex(spec), etype, USAGE_TICKET, bytes(ticket['enc-part']['cipher']), 'ticket')
    enc_part = decoder.decode(plain, asn1Spec=EncTicketPart())[0]

    out = {
        'realm': str(ticket['realm']),
        'sname': name(ticket['sname']),
        'sname_type': int(ticket['sname']['name-type']),
        'cname': name(rep['cname']),
        'cname_type': int(rep['cname']['name-type']),
        'crealm': str(rep['crealm']),
        'ticket_crealm': str(enc_part['crealm']),
        'ticket_etype': etype,
        'kvno': kvno,
        'rodc': kvno >> 16,
        'key_version': kvno & 0xFFFF,
        'reply_has_kvno': rep['enc-part']['kvno'].hasValue(),
        'flags': str(enc_part['flags']),
        'session_key_matches': bytes(reply_part['key']['keyvalue']) == bytes(enc_part['key']['keyvalue']),
        'buffer_types': [],
    }

    pac = find_pac(enc_part)
    walked = buffers(pac)
    for kind, _, blob in walked:
        out['buffer_types'].append(kind)
        if kind == 1:
            logon = logon_info(blob)
            out['user_sid'] = '%s-%d' % (logon['LogonDomainId'].formatCanonical(), logon['UserId'])
            out['group_count'] = logon['GroupCount']
            out['extra_sid_count'] = logon['SidCount']
            out['resource_group_count'] = logon['ResourceGroupCount']

    signatures = Signatures(pac, walked)
    key_hex = krbtgt_key_hex(spec)
    out['server_checksum_ok'] = signatures.verify_server(etype, key_hex)
    out['kdc_checksum_ok'] = signatures.verify_kdc(etype, key_hex)
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
