#!/usr/bin/python3
"""Builds and signs a PAC with impacket's own MS-PAC structures and crypto (an encoder independent
of ours), for the C# tests to decode and verify.

stdin:  JSON {user, full_name, upn, dns_domain, netbios_domain, domain_sid, user_rid, primary_group_rid,
              groups: [rid], extra_sids: [{sid, attributes}], resource_domain_sid, resource_groups: [rid],
              client_id (FILETIME int), server_key (hex AES256), kdc_key (hex AES256), sam_name_and_sid: bool}
stdout: the PAC as hex.
"""
import json
import struct
import sys

from impacket.dcerpc.v5.dtypes import NULL, RPC_SID
from impacket.dcerpc.v5.nrpc import GROUP_MEMBERSHIP
from impacket.krb5.crypto import Key, Enctype, _checksum_table
from impacket.krb5.pac import (
    KERB_SID_AND_ATTRIBUTES, KERB_VALIDATION_INFO, PAC_CLIENT_INFO, PAC_INFO_BUFFER, PAC_SIGNATURE_DATA,
    PACTYPE, UPN_DNS_INFO, VALIDATION_INFO,
)

CKSUM_HMAC_SHA1_96_AES256 = 16
KEY_USAGE_PAC = 17  # KERB_NON_KERB_CKSUM_SALT


def filetime(structure, value):
    structure['dwLowDateTime'] = value & 0xFFFFFFFF
    structure['dwHighDateTime'] = value >> 32


def sid_binary(canonical):
    parts = canonical.split('-')
    subs = [int(p) for p in parts[3:]]
    return struct.pack('<BB', 1, len(subs)) + int(parts[2]).to_bytes(6, 'big') + b''.join(struct.pack('<I', s) for s in subs)


def group(rid, attributes):
    membership = GROUP_MEMBERSHIP()
    membership['RelativeId'] = rid
    membership['Attributes'] = attributes
    return membership


def logon_info(spec):
    info = KERB_VALIDATION_INFO()
    filetime(info['LogonTime'], spec['client_id'])
    for name in ('LogoffTime', 'KickOffTime', 'PasswordMustChange'):
        filetime(info[name], 0x7FFFFFFFFFFFFFFF)
    for name in ('PasswordLastSet', 'PasswordCanChange', 'LastSuccessfulILogon', 'LastFailedILogon'):
        filetime(info[name], 0)
    info['EffectiveName'] = spec['user']
    info['FullName'] = spec['full_name']
    for name in ('LogonScript', 'ProfilePath', 'HomeDirectory', 'HomeDirectoryDrive', 'LogonServer'):
        info[name] = ''
    info['LogonCount'] = 7
    info['BadPasswordCount'] = 0
    info['UserId'] = spec['user_rid']
    info['PrimaryGroupId'] = spec['primary_group_rid']
    info['GroupCount'] = len(spec['groups'])
    for rid in spec['groups']:
        info['GroupIds'].append(group(rid, 7))
    flags = 0x20 if spec['extra_sids'] else 0
    flags |= 0x200 if spec['resource_groups'] else 0
    info['UserFlags'] = flags
    info['UserSessionKey'] = b'\x00' * 16
    info['LogonDomainName'] = spec['netbios_domain']
    info['LogonDomainId'].fromCanonical(spec['domain_sid'])
    info['LMKey'] = b'\x00' * 8
    info['UserAccountControl'] = 0x210
    info['SubAuthStatus'] = 0
    info['FailedILogonCount'] = 0
    info['Reserved3'] = 0
    info['SidCount'] = len(spec['extra_sids'])
    if spec['extra_sids']:
        for extra in spec['extra_sids']:
            entry = KERB_SID_AND_ATTRIBUTES()
            sid = RPC_SID()
            sid.fromCanonical(extra['sid'])
            entry['Sid'] = sid
            entry['Attributes'] = extra['attributes']
            info['ExtraSids'].append(entry)
    else:
        info['ExtraSids'] = NULL
    if spec['resource_groups']:
        info['ResourceGroupDomainSid'].fromCanonical(spec['resource_domain_sid'])
        info['ResourceGroupCount'] = len(spec['resource_groups'])
        for rid in spec['resource_groups']:
            info['ResourceGroupIds'].append(group(rid, 0x20000007))
    else:
        info['ResourceGroupDomainSid'] = NULL
        info['ResourceGroupCount'] = 0
        info['ResourceGroupIds'] = NULL
    serialized = VALIDATION_INFO()
    serialized['Data'] = info
    return serialized.getData() + serialized.getDataReferents()


def client_info(spec):
    info = PAC_CLIENT_INFO()
    info['ClientId'] = spec['client_id']
    name = spec['user'].encode('utf-16le')
    info['NameLength'] = len(name)
    info['Name'] = name
    return info.getData()


def pad8(data):
    return data + b'\x00' * (-len(data) % 8)


def upn_dns_info(spec):
    # impacket's UPN_DNS_INFO is the 12-byte header; the S-flag extension and payloads are appended here.
    upn = spec['upn'].encode('utf-16le')
    dns = spec['dns_domain'].encode('utf-16le')
    extended = spec['sam_name_and_sid']
    payloads = [upn, dns]
    if extended:
        payloads += [spec['user'].encode('utf-16le'), sid_binary(spec['domain_sid'] + '-%d' % spec['user_rid'])]
    header_length = 20 if extended else 12
    body = b''
    places = []
    position = (header_length + 7) // 8 * 8
    for payload in payloads:
        places.append((len(payload), position + len(body)))
        body = pad8(body + payload) if payload is not payloads[-1] else body + payload
    header = UPN_DNS_INFO()
    header['UpnLength'], header['UpnOffset'] = places[0]
    header['DnsDomainNameLength'], header['DnsDomainNameOffset'] = places[1]
    header['Flags'] = 2 if extended else 0
    data = header.getData()
    if extended:
        data += struct.pack('<HHHH', places[2][0], places[2][1], places[3][0], places[3][1])
    return pad8(data) + body


def signature(key_type):
    sig = PAC_SIGNATURE_DATA()
    sig['SignatureType'] = key_type
    sig['Signature'] = b'\x00' * 12
    return sig


def main():
    spec = json.load(sys.stdin)
    server_key = Key(Enctype.AES256, bytes.fromhex(spec['server_key']))
    kdc_key = Key(Enctype.AES256, bytes.fromhex(spec['kdc_key']))
    server_sig = signature(CKSUM_HMAC_SHA1_96_AES256)
    kdc_sig = signature(CKSUM_HMAC_SHA1_96_AES256)

    # Payloads are serialised once: impacket draws NDR referent ids at random on every getData().
    payloads = [
        (1, logon_info(spec)),
        (10, client_info(spec)),
        (12, upn_dns_info(spec)),
        (17, struct.pack('<II', 2, 2)),
        (18, sid_binary(spec['domain_sid'] + '-%d' % spec['user_rid'])),
    ]

    def assemble():
        blobs = payloads + [(6, server_sig.getData()), (7, kdc_sig.getData())]
        offset = 8 + len(PAC_INFO_BUFFER().getData()) * len(blobs)
        infos, body = b'', b''
        for kind, blob in blobs:
            entry = PAC_INFO_BUFFER()
            entry['ulType'] = kind
            entry['cbBufferSize'] = len(blob)
            entry['Offset'] = offset
            infos += entry.getData()
            body += pad8(blob)
            offset += len(pad8(blob))
        pac = PACTYPE()
        pac['cBuffers'] = len(blobs)
        pac['Version'] = 0
        pac['Buffers'] = infos + body
        return pac.getData()

    checksum = _checksum_table[CKSUM_HMAC_SHA1_96_AES256]
    unsigned = assemble()
    server_sig['Signature'] = checksum.checksum(server_key, KEY_USAGE_PAC, unsigned)
    kdc_sig['Signature'] = checksum.checksum(kdc_key, KEY_USAGE_PAC, server_sig['Signature'])
    sys.stdout.write(assemble().hex())


if __name__ == '__main__':
    main()
