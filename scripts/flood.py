#!/usr/bin/env python3
"""Floods an eixm router on 127.0.0.1 for a bounded time, as a hostile peer would (scripts/flood.sh runs it).

Two floods at once, for SECONDS:
  - idle TCP connections that never start TLS: up to CONNECTIONS held open, each one the router closes replaced
    at once (what once took the router's RSS from 37 MB to 561 MB);
  - a certified node (its PKI certificate) that says HELLO and then sends HEARTBEAT frames as fast as it can,
    reconnecting each time the router closes it.
Prints what it saw: connections opened and closed by the router, frames sent, TLS sessions cut.
Usage: flood.py PORT PKI_DIR NODE_ID SECONDS CONNECTIONS
"""
import resource
import selectors
import socket
import ssl
import struct
import sys
import threading
import time

port, pki, node, seconds, connections = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, connections + 200), hard))
deadline = time.monotonic() + seconds
stats = {"opened": 0, "closed_by_router": 0, "connect_failed": 0, "frame_sessions": 0, "frames_sent": 0, "frame_sessions_cut": 0}


def frame(payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + payload


def idle_flood():
    selector = selectors.DefaultSelector()
    open_sockets = set()
    while time.monotonic() < deadline:
        while len(open_sockets) < connections and time.monotonic() < deadline:
            s = socket.socket()
            s.setblocking(False)
            try:
                s.connect_ex(("127.0.0.1", port))
            except OSError:
                stats["connect_failed"] += 1
                s.close()
                break
            selector.register(s, selectors.EVENT_READ)
            open_sockets.add(s)
            stats["opened"] += 1
        for key, _ in selector.select(timeout=0.05):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                selector.unregister(s)
                s.close()
                open_sockets.discard(s)
                stats["closed_by_router"] += 1
    for s in open_sockets:
        selector.unregister(s)
        s.close()


def frame_flood():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(f"{pki}/{node}.pem", f"{pki}/{node}.key")
    context.load_verify_locations(f"{pki}/ca.pem")
    hello = frame(bytes([1, len(node)]) + node.encode())
    beats = frame(bytes([7])) * 1000
    while time.monotonic() < deadline:
        try:
            # As long as a node waits for its handshake (30 s): the idle flood holds the router's handshake slots for
            # their handshake time each, and a shorter wait gave up in the queue every time (CI, one run in four).
            with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
                with context.wrap_socket(raw, server_hostname="eixm-router") as tls:
                    stats["frame_sessions"] += 1
                    tls.sendall(hello)
                    while time.monotonic() < deadline:
                        tls.sendall(beats)
                        stats["frames_sent"] += 1000
        except (OSError, ssl.SSLError):
            stats["frame_sessions_cut"] += 1
            time.sleep(0.05)


# The frame flood connects first: once the idle flood holds every handshake slot (each for its handshake time) and
# the kernel's backlog behind them, a new connection waits longer than the flood lasts, a certified node's too.
threads = [threading.Thread(target=frame_flood), threading.Thread(target=idle_flood)]
threads[0].start()
started = time.monotonic()
while stats["frame_sessions"] == 0 and time.monotonic() - started < 5:
    time.sleep(0.01)
threads[1].start()
for thread in threads:
    thread.join()
print(
    f"flood: {stats['opened']} idle connection(s) opened, {stats['closed_by_router']} closed by the router, "
    f"{stats['connect_failed']} connect(s) failed; {stats['frame_sessions']} frame flood session(s), "
    f"{stats['frames_sent']} frame(s) sent, {stats['frame_sessions_cut']} session(s) cut"
)
