"""PAC reading shared by the impacket test scripts (impacket only, nothing of ours): find the PAC in a
decrypted EncTicketPart, walk its buffers, read LOGON_INFO, and check the server signature (MS-PAC §2.8)."""
from impacket.krb5.asn1 import AD_IF_RELEVANT
from impacket.krb5.crypto import InvalidChecksum, Key, _checksum_table
from impacket.krb5.pac import PAC_INFO_BUFFER, PAC_SIGNATURE_DATA, PACTYPE, VALIDATION_INFO
from pyasn1.codec.der import decoder

USAGE_PAC = 17
SERVER_SIGNATURE = 6
KDC_SIGNATURE = 7

# Checksum sizes by type: HMAC-SHA1-96-AES (15, 16), HMAC-SHA256-128 (19), HMAC-SHA384-192 (20).
_SIGNATURE_SIZES = {15: 12, 16: 12, 19: 16, 20: 24}


def find_pac(enc_part):
    for element in enc_part['authorization-data']:
        if int(element['ad-type']) != 1:
            continue
        inner = decoder.decode(bytes(element['ad-data']), asn1Spec=AD_IF_RELEVANT())[0]
        for item in inner:
            if int(item['ad-type']) == 128:
                return bytes(item['ad-data'])
    raise SystemExit('no PAC in the ticket')


def buffers(pac):
    """(type, offset, data) of every PAC buffer, in order."""
    header = PACTYPE(pac)
    found = []
    for i in range(header['cBuffers']):
        entry = PAC_INFO_BUFFER(header['Buffers'][16 * i:16 * (i + 1)])
        offset, size = entry['Offset'], entry['cbBufferSize']
        found.append((entry['ulType'], offset, pac[offset:offset + size]))
    return found


def logon_info(blob):
    """The KERB_VALIDATION_INFO of a LOGON_INFO buffer."""
    info = VALIDATION_INFO()
    info.fromString(blob)
    info.fromStringReferents(blob[len(info.getData()):])
    return info['Data']


class Signatures:
    """The server and KDC signatures of a PAC, and what each one covers."""

    def __init__(self, pac, walked):
        self.places, self.values = {}, {}
        for kind, offset, blob in walked:
            if kind in (SERVER_SIGNATURE, KDC_SIGNATURE):
                signature = PAC_SIGNATURE_DATA(blob)
                size = _SIGNATURE_SIZES.get(signature['SignatureType'], 12)
                self.places[kind] = offset
                self.values[kind] = (signature['SignatureType'], signature['Signature'][:size])
        # The server signature covers the PAC with both signature values zeroed (MS-PAC §2.8.1).
        zeroed = bytearray(pac)
        for kind, (_, value) in self.values.items():
            start = self.places[kind] + 4
            zeroed[start:start + len(value)] = b'\x00' * len(value)
        self.server_signed_data = bytes(zeroed)

    def verify(self, kind, etype, key_hex, data):
        checksum_type, value = self.values[kind]
        try:
            _checksum_table[checksum_type].verify(Key(etype, bytes.fromhex(key_hex)), USAGE_PAC, data, value)
            return True
        except InvalidChecksum:
            return False

    def verify_server(self, etype, key_hex):
        return self.verify(SERVER_SIGNATURE, etype, key_hex, self.server_signed_data)

    def verify_kdc(self, etype, key_hex):
        # The KDC signature covers the server signature value (MS-PAC §2.8.2).
        return self.verify(KDC_SIGNATURE, etype, key_hex, self.values[SERVER_SIGNATURE][1])
