import EIXMModel
import NIOCore

/// The server's connections past their handshake, with the certificate each presented: so that a certificate
/// revoked while its connection is open can close it.
final class OpenConnections: Sendable {
    struct Entry: Sendable {
        let channel: any NIOCore.Channel
        let address: String
        let certificate: [UInt8]
    }

    private let entries = Locked<[ObjectIdentifier: Entry]>([:])

    func add(_ channel: any NIOCore.Channel, address: String, certificate: [UInt8]) {
        entries.withLock {
            $0[ObjectIdentifier(channel)] = Entry(channel: channel, address: address, certificate: certificate)
        }
    }

    /// Forgets `channel`; `false` when it was not there (another caller removed it first).
    @discardableResult
    func remove(_ channel: any NIOCore.Channel) -> Bool {
        entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) } != nil
    }

    var all: [Entry] { entries.withLock { Array($0.values) } }
}
