import EIXMModel
import EIXMTransport
import NIOCore

/// Connections the server has accepted and set up that `serve` has not taken yet. The listening channel's buffer
/// drops what it holds when the loop reading it ends (a router stopping while peers connect), and a connection
/// released without being closed stops the whole process (NIO's writer checks that it was finished); held here as
/// well, each is closed when `serve` ends instead, and one set up after that is closed at once.
final class UnservedConnections: Sendable {
    typealias Connection = NIOAsyncChannel<[Frame], ByteBuffer>

    private struct State {
        var connections: [ObjectIdentifier: Connection] = [:]
        var closed = false
    }

    private let state = Locked(State())

    /// Holds `connection` until `serve` takes it; after `closeAll` it is closed at once.
    func add(_ connection: Connection) {
        let closed = state.withLock { state in
            if !state.closed { state.connections[ObjectIdentifier(connection.channel)] = connection }
            return state.closed
        }
        if closed { Task { await Self.close(connection) } }
    }

    /// `serve` has taken `connection`.
    func remove(_ connection: Connection) {
        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(connection.channel)) }
    }

    /// Closes every connection held, and from now on each one added.
    func closeAll() async {
        let connections = state.withLock { state in
            state.closed = true
            defer { state.connections = [:] }
            return Array(state.connections.values)
        }
        for connection in connections { await Self.close(connection) }
    }

    private static func close(_ connection: Connection) async {
        try? await connection.executeThenClose { _, _ in }
    }
}
