#!/usr/bin/python3
"""Opens a service ticket from an MIT credential cache with impacket (independent of our code) and
reports what its PAC says.

stdin:  JSON {ccache, spn, key (hex), etype (int), wrong_key (hex)}
stdout: JSON {client, server, flags, user_sid, primary_group_sid, group_sids, extra_sids, upn,
        dns_domain, sam_name, upn_sid, client_info_name, buffer_types, server_verified, server_verified_wrong_key}
"""
import json
import struct
import sys

from impacket.krb5.asn1 import AD_IF_RELEVANT, EncTicketPart, Ticket
from impacket.krb5.ccache import CCache
from impacket.krb5.crypto import InvalidChecksum, Key, _checksum_table, _enctype_table
from impacket.krb5.pac import PAC_CLIENT_INFO, PAC_INFO_BUFFER, PAC_SIGNATURE_DATA, PACTYPE, UPN_DNS_INFO, VALIDATION_INFO
from pyasn1.codec.der import decoder

USAGE_TICKET = 2
USAGE_PAC = 17


def sid_from_binary(data):
    count = data[1]
    authority = int.from_bytes(data[2:8], 'big')
    subs = struct.unpack('<%dI' % count, data[8:8 + 4 * count])
    return 'S-%d-%d' % (data[0], authority) + ''.join('-%d' % s for s in subs)


def utf16(blob, offset, length):
    return blob[offset:offset + length].decode('utf-16le')


def find_pac(enc_part):
    for element in enc_part['authorization-data']:
        if int(element['ad-type']) != 1:
            continue
        inner = decoder.decode(bytes(element['ad-data']), asn1Spec=AD_IF_RELEVANT())[0]
        for item in inner:
            if int(item['ad-type']) == 128:
                return bytes(item['ad-data'])
    raise SystemExit('no PAC in the ticket')


def main():
    spec = json.load(sys.stdin)
    cache = CCache.loadFile(spec['ccache'])
    wanted = spec['spn'].lower()
    credential = next(c for c in cache.credentials
                      if c['server'].prettyPrint().decode().lower().startswith(wanted + '@'))
    ticket = decoder.decode(credential.ticket['data'], asn1Spec=Ticket())[0]
    etype = int(ticket['enc-part']['etype'])
    key = Key(etype, bytes.fromhex(spec['key']))
    plain = _enctype_table[etype].decrypt(key, USAGE_TICKET, bytes(ticket['enc-part']['cipher']))
    enc_part = decoder.decode(plain, asn1Spec=EncTicketPart())[0]

    out = {
        'client': '/'.join(str(c) for c in enc_part['cname']['name-string']) + '@' + str(enc_part['crealm']),
        'server': credential['server'].prettyPrint().decode(),
        'ticket_etype': etype,
        'kvno': int(ticket['enc-part']['kvno']),
        'flags': str(enc_part['flags']),
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
            domain = logon['LogonDomainId'].formatCanonical()
            out['effective_name'] = logon['EffectiveName']
            out['user_sid'] = '%s-%d' % (domain, logon['UserId'])
            out['primary_group_sid'] = '%s-%d' % (domain, logon['PrimaryGroupId'])
            out['group_sids'] = ['%s-%d' % (domain, g['RelativeId']) for g in logon['GroupIds']]
            out['extra_sids'] = [e['Sid'].formatCanonical() for e in logon['ExtraSids']]
        elif kind == 10:
            out['client_info_name'] = PAC_CLIENT_INFO(blob)['Name'].decode('utf-16le')
        elif kind == 12:
            upn = UPN_DNS_INFO(blob)
            out['upn'] = utf16(blob, upn['UpnOffset'], upn['UpnLength'])
            out['dns_domain'] = utf16(blob, upn['DnsDomainNameOffset'], upn['DnsDomainNameLength'])
            if upn['Flags'] & 2:
                sam_length, sam_offset, sid_length, sid_offset = struct.unpack('<HHHH', blob[12:20])
                out['sam_name'] = utf16(blob, sam_offset, sam_length)
                out['upn_sid'] = sid_from_binary(blob[sid_offset:sid_offset + sid_length])
        elif kind in (6, 7):
            signature = PAC_SIGNATURE_DATA(blob)
            size_of = {16: 12, 15: 12, 19: 16, 20: 24}.get(signature['SignatureType'], 12)
            signatures[kind] = (signature['SignatureType'], signature['Signature'][:size_of])

    # The server signature covers the PAC with the server and KDC signature bytes zeroed (MS-PAC §2.8.1).
    text = bytearray(pac)
    for kind in (6, 7):
        length = len(signatures[kind][1])
        text[places[kind] + 4:places[kind] + 4 + length] = b'\x00' * length
    kind, value = signatures[6]

    def verify(key_hex):
        try:
            _checksum_table[kind].verify(Key(etype, bytes.fromhex(key_hex)), USAGE_PAC, bytes(text), value)
            return True
        except InvalidChecksum:
            return False

    out['server_verified'] = verify(spec['key'])
    out['server_verified_wrong_key'] = verify(spec['wrong_key'])
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
