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

from impacket.krb5.asn1 import EncTicketPart, Ticket
from impacket.krb5.ccache import CCache
from impacket.krb5.crypto import Key, _enctype_table
from impacket.krb5.pac import PAC_CLIENT_INFO, UPN_DNS_INFO
from pyasn1.codec.der import decoder

from pac_walk import Signatures, buffers, find_pac, logon_info

USAGE_TICKET = 2


def sid_from_binary(data):
    count = data[1]
    authority = int.from_bytes(data[2:8], 'big')
    subs = struct.unpack('<%dI' % count, data[8:8 + 4 * count])
    return 'S-%d-%d' % (data[0], authority) + ''.join('-%d' % s for s in subs)


def utf16(blob, offset, length):
    return blob[offset:offset + length].decode('utf-16le')


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
    walked = buffers(pac)
    for kind, _, blob in walked:
        out['buffer_types'].append(kind)
        if kind == 1:
            logon = logon_info(blob)
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

    signatures = Signatures(pac, walked)
    out['server_verified'] = signatures.verify_server(etype, spec['key'])
    out['server_verified_wrong_key'] = signatures.verify_server(etype, spec['wrong_key'])
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
