#!/usr/bin/env python3
"""A TCP relay between MIT clients and krb5kdc that saves each Kerberos message it carries.

Usage: record-kdc.py LISTEN_PORT KDC_PORT OUT_DIR
Each request/reply pair is written as NNN-req.der / NNN-rep.der without the 4-byte length prefix.
Runs until killed; used only to regenerate golden files.
"""
import os
import socket
import struct
import sys
import threading


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def read_frame(sock):
    length = struct.unpack(">I", read_exact(sock, 4))[0]
    return read_exact(sock, length)


def main():
    listen_port, kdc_port, out_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    os.makedirs(out_dir, exist_ok=True)
    counter = [0]
    lock = threading.Lock()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen(8)

    def handle(client):
        with client, socket.create_connection(("127.0.0.1", kdc_port)) as kdc:
            request = read_frame(client)
            kdc.sendall(struct.pack(">I", len(request)) + request)
            reply = read_frame(kdc)
            client.sendall(struct.pack(">I", len(reply)) + reply)
            with lock:
                counter[0] += 1
                n = counter[0]
            with open(os.path.join(out_dir, "%03d-req.der" % n), "wb") as f:
                f.write(request)
            with open(os.path.join(out_dir, "%03d-rep.der" % n), "wb") as f:
                f.write(reply)

    while True:
        client, _ = server.accept()
        threading.Thread(target=handle, args=(client,), daemon=True).start()


if __name__ == "__main__":
    main()
