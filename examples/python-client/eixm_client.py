#!/usr/bin/env python3
"""A reference client of the eixm wire protocol, written from docs/PROTOCOL.md and the README's "The canonical
encoding": Python's standard library and the `cryptography` package only.

    eixm_client.py selftest --golden DIR
        Encodes the README's sample request header and checks it byte for byte against the golden vector
        DIR/request-header.hex (Tests/EIXMModelTests/GoldenVectors).

    eixm_client.py exchange --router HOST:PORT --pki DIR [--sender SPOC-BE] [--recipient SPOC-FR]
        Connects as the recipient and as the sender with mutual TLS, follows the router's clock, sends a signed
        request from the sender, checks that the router accepts it (ACK), receives it as the recipient, verifies
        the sender's signature with the sender's certificate, answers with a signed RECEIPT, and says goodbye.
        Prints `message <UUID> accepted, delivered, verified, receipt sent`; exits 1 with the reason otherwise.
"""

import argparse
import hashlib
import os
import socket
import ssl
import struct
import sys
import time
import uuid

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

# --- Values from docs/PROTOCOL.md, section 6 (only those this client sends) -------------------------------------

CHANNEL = {"SIENA": 1}
MSG_TYPE = {"REQUEST": 1}
LEGAL_BASIS = {"DIR_2023_977": 1}
URGENCY = {"URGENT": 1, "NON_URGENT": 2}
URGENCY_REASON = {"IMMINENT_THREAT_LIFE_OR_PHYSICAL_INTEGRITY": 2}
ACCESSIBILITY = {"DIRECT": 1}
CRIME_AREA = {"DRUG_TRAFFICKING": 3}
MEMBER_STATE = {"BE": 2, "FR": 10}
PURPOSE = {"CRIME_INVESTIGATION": 2}

# Header tags (README, "Header").
TAG_ID, TAG_CASE_ID, TAG_SENDER, TAG_TO = 1, 2, 4, 5
TAG_CHANNEL, TAG_MSG_TYPE, TAG_LEGAL_BASIS, TAG_URGENCY, TAG_URGENCY_REASON, TAG_ACCESSIBILITY = 7, 8, 9, 10, 11, 12
TAG_CRIME_AREAS, TAG_AFFECTED_MS, TAG_PURPOSE, TAG_LANGUAGE, TAG_HANDLING_CODES = 13, 14, 15, 16, 17
TAG_CREATED_AT, TAG_COPY_TO_EUROPOL, TAG_COPY_TO_EUROPOL_REASON = 31, 34, 35

# Frame types (docs/PROTOCOL.md, section 2).
HELLO, WELCOME, MESSAGE, DELIVERY, ACK, NACK, HEARTBEAT, GOODBYE, RECEIPT = range(1, 10)

ENVELOPE_DOMAIN = b"EIXM-ENVELOPE-SIGNATURE-V2\x00"
BATCH_ROOT_DOMAIN = b"EIXM-BATCH-ROOT-V1\x00"
RECEIPT_DOMAIN = b"EIXM-DELIVERY-RECEIPT-V1\x00"
MAGIC, VERSION = b"EIXM", 1
ED25519, BATCH = 1, 2


class ProtocolError(Exception):
    pass


# --- The canonical header ----------------------------------------------------------------------------------------


def field(tag, value):
    return struct.pack(">BH", tag, len(value)) + value


def short(text):
    data = text.encode("ascii")
    return bytes([len(data)]) + data


def request_header(message_id, sender, recipient, created_at_ms, case_id=None, europol_reason=None):
    """The canonical bytes of an urgent request for directly accessible data on drug trafficking, fields in
    ascending tag order (the README's sample request when europol_reason is None)."""
    fields = [
        field(TAG_ID, message_id.bytes),
        field(TAG_CASE_ID, case_id.encode()) if case_id else b"",
        field(TAG_SENDER, sender.encode("ascii")),
        field(TAG_TO, short(recipient)),
        field(TAG_CHANNEL, bytes([CHANNEL["SIENA"]])),
        field(TAG_MSG_TYPE, bytes([MSG_TYPE["REQUEST"]])),
        field(TAG_LEGAL_BASIS, bytes([LEGAL_BASIS["DIR_2023_977"]])),
        field(TAG_URGENCY, bytes([URGENCY["URGENT"]])),
        field(TAG_URGENCY_REASON, bytes([URGENCY_REASON["IMMINENT_THREAT_LIFE_OR_PHYSICAL_INTEGRITY"]])),
        field(TAG_ACCESSIBILITY, bytes([ACCESSIBILITY["DIRECT"]])),
        field(TAG_CRIME_AREAS, bytes([CRIME_AREA["DRUG_TRAFFICKING"]])),
        field(TAG_AFFECTED_MS, bytes([MEMBER_STATE["BE"], MEMBER_STATE["FR"]])),
        field(TAG_PURPOSE, bytes([PURPOSE["CRIME_INVESTIGATION"]])),
        field(TAG_LANGUAGE, b"EN"),
        field(TAG_HANDLING_CODES, bytes([0b0001])),  # H0
        field(TAG_CREATED_AT, struct.pack(">q", created_at_ms)),
    ]
    if europol_reason is not None:
        # EU-02: within Europol's mandate the sender decides on a copy to Europol; here, none, with a reason.
        fields.append(field(TAG_COPY_TO_EUROPOL, b"\x00"))
        fields.append(field(TAG_COPY_TO_EUROPOL_REASON, europol_reason.encode()))
    return b"".join(fields)


def header_fields(header):
    """The fields of a canonical header, by tag."""
    fields, offset = {}, 0
    while offset < len(header):
        if offset + 3 > len(header):
            raise ProtocolError("a header field is cut short")
        tag, length = struct.unpack_from(">BH", header, offset)
        offset += 3
        if offset + length > len(header):
            raise ProtocolError(f"header field {tag} is cut short")
        fields[tag] = header[offset : offset + length]
        offset += length
    return fields


# --- The envelope and its signatures ---------------------------------------------------------------------------


def signing_input(header, body_digest, body_length, scheme):
    return (
        ENVELOPE_DOMAIN
        + MAGIC
        + bytes([VERSION])
        + struct.pack(">I", len(header))
        + header
        + struct.pack(">I", body_length)
        + body_digest
        + bytes([scheme])
    )


def seal(private_key, header, body):
    signature = private_key.sign(signing_input(header, hashlib.sha256(body).digest(), len(body), ED25519))
    return (
        MAGIC
        + bytes([VERSION])
        + struct.pack(">I", len(header))
        + header
        + struct.pack(">I", len(body))
        + body
        + bytes([ED25519])
        + struct.pack(">H", len(signature))
        + signature
    )


def open_envelope(data):
    """(header, body, scheme, signature) of an envelope."""
    if data[:4] != MAGIC or len(data) < 9 or data[4] != VERSION:
        raise ProtocolError("not an eixm envelope of version 1")
    (hlen,) = struct.unpack_from(">I", data, 5)
    header = data[9 : 9 + hlen]
    (blen,) = struct.unpack_from(">I", data, 9 + hlen)
    body = data[13 + hlen : 13 + hlen + blen]
    offset = 13 + hlen + blen
    scheme = data[offset]
    (slen,) = struct.unpack_from(">H", data, offset + 1)
    signature = data[offset + 3 : offset + 3 + slen]
    if offset + 3 + slen != len(data):
        raise ProtocolError("bytes after the envelope's signature")
    return header, body, scheme, signature


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_path(index, size, leaf, path):
    """RFC 9162 section 2.1.3.2: the root a leaf's inclusion path leads to."""
    if index >= size:
        raise ProtocolError("leaf index outside its batch")
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            raise ProtocolError("batch path too long")
        if fn & 1 == 1 or fn == sn:
            result = node_hash(sibling, result)
            if fn & 1 == 0:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProtocolError("batch path too short")
    return result


def verify_signature(public_key, scheme, signature, signed):
    """Whether `signature` (scheme 1 or 2) by `public_key` covers `signed(scheme)`."""
    try:
        if scheme == ED25519:
            public_key.verify(signature, signed(ED25519))
            return True
        if scheme == BATCH:
            root_signature = signature[:64]
            index, size, count = struct.unpack_from(">IIB", signature, 64)
            path = [signature[73 + 32 * i : 105 + 32 * i] for i in range(count)]
            if len(signature) != 73 + 32 * count:
                return False
            root = root_from_path(index, size, leaf_hash(signed(BATCH)), path)
            public_key.verify(root_signature, BATCH_ROOT_DOMAIN + struct.pack(">I", size) + root)
            return True
    except Exception:
        return False
    return False


# --- Frames and connections ------------------------------------------------------------------------------------


def send_frame(sock, payload):
    sock.sendall(struct.pack(">I", len(payload)) + payload)


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ProtocolError("the router closed the connection")
        data += chunk
    return data


def read_frame(sock):
    (length,) = struct.unpack(">I", read_exactly(sock, 4))
    payload = read_exactly(sock, length)
    return payload[0], payload[1:]


def read_short(data, offset):
    length = data[offset]
    return data[offset + 1 : offset + 1 + length].decode("ascii"), offset + 1 + length


class Session:
    """One node's connection: TLS 1.3 with its certificate, HELLO, WELCOME, and the router's clock."""

    def __init__(self, host, port, pki, node):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.load_verify_locations(os.path.join(pki, "ca.pem"))
        context.load_cert_chain(os.path.join(pki, node + ".pem"), os.path.join(pki, node + ".key"))
        raw = socket.create_connection((host, port), timeout=30)
        self.sock = context.wrap_socket(raw, server_hostname="eixm-router")
        router = x509.load_der_x509_certificate(self.sock.getpeercert(binary_form=True))
        names = router.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        if "urn:eixm:node:EIXM-ROUTER" not in names.get_values_for_type(x509.UniformResourceIdentifier):
            raise ProtocolError("the server's certificate does not bind EIXM-ROUTER")
        self.node = node
        send_frame(self.sock, bytes([HELLO]) + short(node))
        kind, body = read_frame(self.sock)
        if kind == GOODBYE:
            raise ProtocolError("refused: " + body[2:].decode())
        if kind != WELCOME:
            raise ProtocolError(f"expected WELCOME, got frame type {kind}")
        _, offset = read_short(body, 0)
        simulated, heartbeat, scale = struct.unpack_from(">qId", body, offset)
        self.welcomed_at, self.simulated_at_welcome, self.scale = time.monotonic(), simulated, scale

    def now(self):
        """The router's simulated time, in ms since the epoch."""
        return self.simulated_at_welcome + int((time.monotonic() - self.welcomed_at) * self.scale * 1000)

    def next_frame(self):
        """The next frame other than a heartbeat (answered when the router sends one)."""
        while True:
            kind, body = read_frame(self.sock)
            if kind != HEARTBEAT:
                return kind, body

    def goodbye(self):
        send_frame(self.sock, bytes([GOODBYE]) + struct.pack(">H", 4) + b"done")
        self.sock.close()


def receipt_frame(private_key, node, message_id, header, body, received_at):
    header_digest, body_digest = hashlib.sha256(header).digest(), hashlib.sha256(body).digest()
    signed = (
        RECEIPT_DOMAIN
        + message_id
        + short(node)
        + header_digest
        + body_digest
        + struct.pack(">q", received_at)
        + bytes([ED25519])
    )
    signature = private_key.sign(signed)
    return (
        bytes([RECEIPT])
        + message_id
        + struct.pack(">q", received_at)
        + header_digest
        + body_digest
        + bytes([ED25519])
        + struct.pack(">H", len(signature))
        + signature
    )


def exchange(arguments):
    host, port = arguments.router.rsplit(":", 1)
    pki = arguments.pki
    recipient = Session(host, int(port), pki, arguments.recipient)
    sender = Session(host, int(port), pki, arguments.sender)
    with open(os.path.join(pki, arguments.sender + ".key"), "rb") as file:
        sender_key = load_pem_private_key(file.read(), password=None)
    with open(os.path.join(pki, arguments.recipient + ".key"), "rb") as file:
        recipient_key = load_pem_private_key(file.read(), password=None)
    with open(os.path.join(pki, arguments.sender + ".pem"), "rb") as file:
        sender_public = x509.load_pem_x509_certificate(file.read()).public_key()
    if not isinstance(sender_public, Ed25519PublicKey):
        raise ProtocolError("the sender's certificate holds no Ed25519 key")

    message_id = uuid.uuid4()
    header = request_header(
        message_id,
        arguments.sender,
        arguments.recipient,
        sender.now(),
        case_id="PY-CLIENT-1",
        europol_reason="not linked to Europol's projects",
    )
    body = b"Request from the Python reference client."
    send_frame(sender.sock, bytes([MESSAGE]) + seal(sender_key, header, body))
    while True:
        kind, data = sender.next_frame()
        if kind == ACK and data[:16] == message_id.bytes:
            if data[16] != 1:
                raise ProtocolError(f"ACK kind {data[16]}")
            break
        if kind == NACK and data[:16] == message_id.bytes:
            count, offset, reasons = data[16], 17, []
            for _ in range(count):
                rule, offset = read_short(data, offset)
                (length,) = struct.unpack_from(">H", data, offset)
                reasons.append(rule + ": " + data[offset + 2 : offset + 2 + length].decode())
                offset += 2 + length
            raise ProtocolError("refused: " + "; ".join(reasons))

    while True:
        kind, data = recipient.next_frame()
        if kind != DELIVERY:
            continue
        flags, offset = data[0], 1
        if flags & 1:
            _, offset = read_short(data, offset)
        if flags & 2:
            offset += 8
        envelope = data[offset:]
        delivered_header, delivered_body, scheme, signature = open_envelope(envelope)
        fields = header_fields(delivered_header)
        if fields.get(TAG_ID) != message_id.bytes:
            continue
        if fields.get(TAG_SENDER) != arguments.sender.encode():
            raise ProtocolError("the delivery names another sender")
        digest = hashlib.sha256(delivered_body).digest()
        if not verify_signature(
            sender_public,
            scheme,
            signature,
            lambda s: signing_input(delivered_header, digest, len(delivered_body), s),
        ):
            raise ProtocolError("the delivered envelope's signature does not verify with the sender's key")
        send_frame(
            recipient.sock,
            receipt_frame(
                recipient_key, arguments.recipient, message_id.bytes, delivered_header, delivered_body, recipient.now()
            ),
        )
        break
    # A heartbeat answered after the receipt: the router has read it.
    send_frame(recipient.sock, bytes([HEARTBEAT]))
    while True:
        kind, data = read_frame(recipient.sock)
        if kind == HEARTBEAT:
            break
        if kind == NACK and data[:16] == message_id.bytes:
            raise ProtocolError("the router refused the receipt")
    recipient.goodbye()
    sender.goodbye()
    print(f"message {message_id} accepted, delivered, verified, receipt sent")


def selftest(arguments):
    with open(os.path.join(arguments.golden, "request-header.hex")) as file:
        golden = bytes.fromhex("".join(file.read().split()))
    sample = request_header(
        uuid.UUID("8a1f3c52-0b7d-4e61-9a20-112233445501"),
        "SPOC-BE",
        "SPOC-FR",
        1_795_939_200_000,
        case_id="BE-2026-0042",
    )
    if sample != golden:
        print("FAILED: the sample request header differs from the golden vector")
        print("  ours:   " + sample.hex())
        print("  golden: " + golden.hex())
        return 1
    print(f"OK: the sample request header is the golden vector ({len(golden)} bytes)")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("selftest")
    check.add_argument("--golden", required=True)
    run = commands.add_parser("exchange")
    run.add_argument("--router", required=True)
    run.add_argument("--pki", required=True)
    run.add_argument("--sender", default="SPOC-BE")
    run.add_argument("--recipient", default="SPOC-FR")
    arguments = parser.parse_args()
    try:
        if arguments.command == "selftest":
            return selftest(arguments)
        exchange(arguments)
        return 0
    except (ProtocolError, OSError, ssl.SSLError) as error:
        print(f"FAILED: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
