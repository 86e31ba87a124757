#!/usr/bin/python3
"""Parses a PAC made by our encoder with impacket's MS-PAC structures and checks its signatures with
impacket's crypto (an implementation independent of ours).

stdin:  JSON {pac (hex), server_key, kdc_key, wrong_key (hex AES256), ticket_input (hex, optional)}
stdout: JSON with what impacket read and the verification results.
"""
import json
import struct
import sys

from impacket.krb5.crypto import Key, Enctype, _checksum_table, InvalidChecksum
from impacket.krb5.pac import PAC_CLIENT_INFO, PAC_INFO_BUFFER, PAC_SIGNATURE_DATA, PACTYPE, UPN_DNS_INFO, VALIDATION_INFO

KEY_USAGE_PAC = 17
SIGNATURE_BUFFERS = (6, 7, 16, 19)


def sid_from_binary(data):
    count = data[1]
    authority = int.from_bytes(data[2:8], 'big')
    subs = struct.unpack('<%dI' % count, data[8:8 + 4 * count])
    return 'S-%d-%d' % (data[0], authority) + ''.join('-%d' % s for s in subs)


def utf16(data, offset, length):
    return data[offset:offset + length].decode('utf-16le')


def verify(kind, key_hex, text, signature):
    key = Key(Enctype.AES256, bytes.fromhex(key_hex))
    try:
        _checksum_table[kind].verify(key, KEY_USAGE_PAC, text, signature)
        return True
    except InvalidChecksum:
        return False


def main():
    spec = json.load(sys.stdin)
    data = bytes.fromhex(spec['pac'])
    header = PACTYPE(data)
    out = {'version': header['Version'], 'buffer_types': []}
    places, signatures = {}, {}
    for i in range(header['cBuffers']):
        entry = PAC_INFO_BUFFER(header['Buffers'][16 * i:16 * (i + 1)])
        kind, offset, size = entry['ulType'], entry['Offset'], entry['cbBufferSize']
        out['buffer_types'].append(kind)
        places[kind] = (offset, size)
        blob = data[offset:offset + size]
        if kind == 1:
            info = VALIDATION_INFO()
            info.fromString(blob)
            info.fromStringReferents(blob[len(info.getData()):])
            logon = info['Data']
            domain = logon['LogonDomainId'].formatCanonical()
            out['effective_name'] = logon['EffectiveName']
            out['full_name'] = logon['FullName']
            out['logon_domain_name'] = logon['LogonDomainName']
            out['user_sid'] = '%s-%d' % (domain, logon['UserId'])
            out['primary_group_sid'] = '%s-%d' % (domain, logon['PrimaryGroupId'])
            out['group_sids'] = ['%s-%d' % (domain, g['RelativeId']) for g in logon['GroupIds']]
            out['group_attributes'] = [g['Attributes'] for g in logon['GroupIds']]
            out['extra_sids'] = [{'sid': e['Sid'].formatCanonical(), 'attributes': e['Attributes']} for e in logon['ExtraSids']]
            out['user_flags'] = logon['UserFlags']
            out['logon_time'] = logon['LogonTime']['dwLowDateTime'] | (logon['LogonTime']['dwHighDateTime'] << 32)
            if logon['ResourceGroupCount']:
                resource = logon['ResourceGroupDomainSid'].formatCanonical()
                out['resource_group_sids'] = ['%s-%d' % (resource, g['RelativeId']) for g in logon['ResourceGroupIds']]
            else:
                out['resource_group_sids'] = []
        elif kind == 10:
            client = PAC_CLIENT_INFO(blob)
            out['client_name'] = client['Name'].decode('utf-16le')
            out['client_id'] = client['ClientId']
        elif kind == 12:
            upn = UPN_DNS_INFO(blob)
            out['upn'] = utf16(blob, upn['UpnOffset'], upn['UpnLength'])
            out['dns_domain'] = utf16(blob, upn['DnsDomainNameOffset'], upn['DnsDomainNameLength'])
            out['upn_flags'] = upn['Flags']
            if upn['Flags'] & 2:
                sam_length, sam_offset, sid_length, sid_offset = struct.unpack('<HHHH', blob[12:20])
                out['sam_name'] = utf16(blob, sam_offset, sam_length)
                out['upn_sid'] = sid_from_binary(blob[sid_offset:sid_offset + sid_length])
        elif kind == 17:
            out['attributes'] = list(struct.unpack('<II', blob[:8]))
        elif kind == 18:
            out['requestor_sid'] = sid_from_binary(blob)
        elif kind in SIGNATURE_BUFFERS:
            sig = PAC_SIGNATURE_DATA(blob)
            signatures[kind] = (sig['SignatureType'], sig['Signature'][:12])

    def zeroed(*kinds):
        copy = bytearray(data)
        for kind in kinds:
            if kind in places:
                offset = places[kind][0]
                copy[offset + 4:offset + 16] = b'\x00' * 12
        return bytes(copy)

    server_type, server_sig = signatures[6]
    kdc_type, kdc_sig = signatures[7]
    out['server_signature_type'] = server_type
    out['kdc_signature_type'] = kdc_type
    server_text = zeroed(6, 7)
    out['server_verified'] = verify(server_type, spec['server_key'], server_text, server_sig)
    out['server_verified_wrong_key'] = verify(server_type, spec['wrong_key'], server_text, server_sig)
    out['kdc_verified'] = verify(kdc_type, spec['kdc_key'], server_sig, kdc_sig)
    out['kdc_verified_wrong_key'] = verify(kdc_type, spec['wrong_key'], server_sig, kdc_sig)
    if 19 in signatures:
        out['full_verified'] = verify(signatures[19][0], spec['kdc_key'], zeroed(6, 7, 19), signatures[19][1])
    if 16 in signatures:
        out['ticket_verified'] = verify(signatures[16][0], spec['kdc_key'], bytes.fromhex(spec['ticket_input']), signatures[16][1])
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
