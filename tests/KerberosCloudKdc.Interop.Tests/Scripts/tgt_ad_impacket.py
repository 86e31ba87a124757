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

from impacket.krb5.asn1 import AD_IF_RELEVANT, AS_REP, EncASRepPart, EncTicketPart
from impacket.krb5.crypto import InvalidChecksum, Key, _checksum_table, _enctype_table
from impacket.krb5.pac import PAC_INFO_BUFFER, PAC_SIGNATURE_DATA, PACTYPE, VALIDATION_INFO
from pyasn1.codec.der import decoder

USAGE_AS_REP_ENC_PART = 3
USAGE_TICKET = 2
USAGE_PAC = 17


def decrypt(key_hex, etype, usage, cipher, what):
    try:
        return _enctype_table[etype].decrypt(Key(etype, bytes.fromhex(key_hex)), usage, cipher)
    except Exception as error:  # impacket raises InvalidChecksum or ValueError; either means the wrong key
        json.dump({'error': '%s: %s' % (what, type(error).__name__)}, sys.stdout)
        sys.exit(2)


def find_pac(enc_part):
    for element in enc_part['authorization-data']:
        if int(element['ad-type']) != 1:
            continue
        inner = decoder.decode(bytes(element['ad-data']), asn1Spec=AD_IF_RELEVANT())[0]
        for item in inner:
            if int(item['ad-type']) == 128:
                return bytes(item['ad-data'])
    raise SystemExit('no PAC in the ticket')


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
    header = PACTYPE(pac)
    places, signatures = {}, {}
    for i in range(header['cBuffers']):
        entry = PAC_INFO_BUFFER(header['Buffers'][16 * i:16 * (i + 1)])
        kind, offset, size = entry['ulType'], entry['Offset'], entry['cbBufferSize']
        out['buffer_types'].append(kind)
        places[kind] = offset
        blob = pac[offset:offset + size]
        if kind == 1:
            info = VALIDATION_INFO()
            info.fromString(blob)
            info.fromStringReferents(blob[len(info.getData()):])
            logon = info['Data']
            out['user_sid'] = '%s-%d' % (logon['LogonDomainId'].formatCanonical(), logon['UserId'])
            out['group_count'] = logon['GroupCount']
            out['extra_sid_count'] = logon['SidCount']
            out['resource_group_count'] = logon['ResourceGroupCount']
        elif kind in (6, 7):
            signature = PAC_SIGNATURE_DATA(blob)
            size_of = {16: 12, 15: 12}.get(signature['SignatureType'], 12)
            signatures[kind] = (signature['SignatureType'], signature['Signature'][:size_of])

    # Server signature: over the PAC with both signature values zeroed (MS-PAC §2.8.1).
    text = bytearray(pac)
    for kind in (6, 7):
        length = len(signatures[kind][1])
        text[places[kind] + 4:places[kind] + 4 + length] = b'\x00' * length
    key = Key(etype, bytes.fromhex(krbtgt_key_hex(spec)))

    def verify(kind, data):
        checksum_type, value = signatures[kind]
        try:
            _checksum_table[checksum_type].verify(key, USAGE_PAC, data, value)
            return True
        except InvalidChecksum:
            return False

    out['server_checksum_ok'] = verify(6, bytes(text))
    # KDC signature: over the server signature value (MS-PAC §2.8.2).
    out['kdc_checksum_ok'] = verify(7, signatures[6][1])
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
