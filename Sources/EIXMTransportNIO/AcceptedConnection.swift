import EIXMModel
import EIXMTransport
import NIOCore

/// A connection the server accepted and set up, and what the peer's certificate proved: set by the TLS verify
/// callback when the ``CertificateGate`` admits it, before the handshake completes, so known by the connection's
/// first frame. The certificate is read once per handshake, by the gate.
struct AcceptedConnection: Sendable {
    let channel: NIOAsyncChannel<[Frame], ByteBuffer>
    /// The node the certificate binds, and the certificate's DER bytes; `nil` until (unless) the gate admits it.
    let peer: Locked<(node: NodeID, certificate: [UInt8])?>
}
