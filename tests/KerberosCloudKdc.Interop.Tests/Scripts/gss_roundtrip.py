#!/usr/bin/python3
"""A GSS-API initiator (the MIT ccache in KRB5CCNAME) and an acceptor that has nothing but a keytab.

argv: SERVICE@HOST KEYTAB
The initiator fetches its service ticket through whatever KDC krb5.conf names (our KDC proxy); the
acceptor must open it with the keytab alone. Prints JSON {initiator, acceptor, mutual}.
"""
import json
import sys

import gssapi


def main():
    target, keytab = sys.argv[1], sys.argv[2]
    name = gssapi.Name(target, gssapi.NameType.hostbased_service)
    acceptor_creds = gssapi.Credentials(usage='accept', store={'keytab': keytab})
    initiator = gssapi.SecurityContext(name=name, usage='initiate',
                                       flags=gssapi.RequirementFlag.mutual_authentication)
    acceptor = gssapi.SecurityContext(creds=acceptor_creds, usage='accept')

    token = initiator.step()
    reply = acceptor.step(token)
    initiator.step(reply)

    # A wrapped message proves both sides derived the same context key.
    wrapped = initiator.wrap(b'hello from the initiator', True).message
    unwrapped = acceptor.unwrap(wrapped).message
    json.dump({
        'initiator': str(acceptor.initiator_name),
        'acceptor': str(acceptor.target_name),
        'mutual': initiator.complete and acceptor.complete,
        'message': unwrapped.decode(),
    }, sys.stdout)


if __name__ == '__main__':
    main()
