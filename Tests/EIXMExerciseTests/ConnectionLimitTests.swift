import EIXMExercise
import EIXMModel
import EIXMRouter
import EIXMRules
import EIXMTestKit
import EIXMTransport
import EIXMTransportNIO
import Foundation
import NIOCore
import NIOPosix
import Testing

/// The router's listening socket under a flood: connections over a limit are closed as soon as they are accepted,
/// slow handshakes and silent peers are closed when their time is up, and each refusal is counted by reason.
@Suite("Connection limits over TCP on 127.0.0.1", .timeLimit(.minutes(1)))
struct ConnectionLimitTests {
    /// A plain TCP connection to the server that sends nothing (no TLS).
    static func rawConnection(_ port: Int) async throws -> any NIOCore.Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port)
            .get()
    }

    /// Opens `count` silent connections and returns once `closed` of them have been closed by the server, with the
    /// ones still open.
    static func flood(_ port: Int, count: Int, closed: Int) async throws -> [any NIOCore.Channel] {
        var channels: [any NIOCore.Channel] = []
        for _ in 0..<count { channels.append(try await rawConnection(port)) }
        // Each close is an event; the connections still open are not waited for.
        let (closes, closing) = AsyncStream<Void>.makeStream()
        for channel in channels { channel.closeFuture.whenComplete { _ in closing.yield() } }
        var events = closes.makeAsyncIterator()
        for _ in 0..<closed { _ = await events.next() }
        return channels.filter(\.isActive)
    }

    @Test(
        "over a limit, connections are closed at once, before TLS, and counted by reason; those within it stay open",
        arguments: [
            (
                ConnectionLimits(maxConnections: 2, handshakeTimeoutMilliseconds: 60_000),
                ConnectionLimits.Refusal.tooManyConnections
            ),
            (ConnectionLimits(maxPerAddress: 2, handshakeTimeoutMilliseconds: 60_000), .tooManyFromAddress),
        ]
    )
    func overLimit(limits: ConnectionLimits, refusal: ConnectionLimits.Refusal) async throws {
        let harness = try await TLSHarness.start(limits: limits)
        try await harness.running {
            let open = try await Self.flood(harness.server.port, count: 5, closed: 3)
            #expect(open.count == 2)
            #expect(harness.server.refusals == [refusal.rawValue: 3])
            for channel in open { try await channel.close() }
        }
    }

    @Test(
        "at the most handshakes in progress the socket stops accepting: the next connections wait their turn in the backlog, and each is closed when its own handshake time is up"
    )
    func handshakesWaitTheirTurn() async throws {
        let harness = try await TLSHarness.start(
            limits: ConnectionLimits(maxHandshakes: 2, handshakeTimeoutMilliseconds: 1_500)
        )
        try await harness.running {
            // Five silent connections at once, two handshakes at a time: all five are closed, most (at least the two
            // first admitted and those that waited) by their handshake time, any accepted before the pause took hold
            // at once (some maybe before the connect completes here): none stays open.
            let (closes, closing) = AsyncStream<Void>.makeStream()
            let port = harness.server.port
            let channels = await withTaskGroup(of: (any NIOCore.Channel)?.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        do {
                            let channel = try await Self.rawConnection(port)
                            channel.closeFuture.whenComplete { _ in closing.yield() }
                            return channel
                        } catch {
                            closing.yield()
                            return nil
                        }
                    }
                }
                var channels: [any NIOCore.Channel] = []
                for await channel in group { if let channel { channels.append(channel) } }
                return channels
            }
            var events = closes.makeAsyncIterator()
            for _ in 0..<5 { _ = await events.next() }
            #expect(channels.allSatisfy { !$0.isActive })
            let refusals = harness.server.refusals
            let timedOut = refusals[ConnectionLimits.Refusal.handshakeTimeout.rawValue] ?? 0
            let refused = refusals[ConnectionLimits.Refusal.tooManyHandshakes.rawValue] ?? 0
            #expect(timedOut + refused == 5)
            #expect(timedOut >= 2)
            #expect(
                Set(refusals.keys).isSubset(of: [
                    ConnectionLimits.Refusal.handshakeTimeout.rawValue,
                    ConnectionLimits.Refusal.tooManyHandshakes.rawValue,
                    TLSServer.pausedAccepts,
                ])
            )
            #expect((refusals[TLSServer.pausedAccepts] ?? 0) >= 1, "the socket paused its accepts")
            // The socket accepts again: one more connection is admitted, and closed by its own handshake time.
            let late = try await Self.rawConnection(harness.server.port)
            try await late.closeFuture.get()
            #expect(harness.server.refusals[ConnectionLimits.Refusal.handshakeTimeout.rawValue] == timedOut + 1)
        }
    }

    @Test("a connection that never starts its TLS handshake is closed when the handshake time is up, and counted")
    func handshakeTimeout() async throws {
        let harness = try await TLSHarness.start(limits: ConnectionLimits(handshakeTimeoutMilliseconds: 200))
        try await harness.running {
            let open = try await Self.flood(harness.server.port, count: 1, closed: 1)
            #expect(open.isEmpty)
            #expect(harness.server.refusals == [ConnectionLimits.Refusal.handshakeTimeout.rawValue: 1])
        }
    }

    @Test(
        "a node that finishes its handshake and sends no HELLO is closed when the HELLO time is up; one that says HELLO is served"
    )
    func helloTimeout() async throws {
        let harness = try await TLSHarness.start(limits: ConnectionLimits(helloTimeoutMilliseconds: 1_500))
        try await harness.running {
            await Self.silentAfterHandshake(harness)
            #expect(harness.server.refusals == [ConnectionLimits.Refusal.helloTimeout.rawValue: 1])
            let welcomed = try await Self.welcomed(harness, .spoc(.fr))
            #expect(welcomed, "no WELCOME")
            #expect(harness.server.refusals.count == 1)
        }
    }

    @Test(
        "a node slower to say HELLO than the idle timeout is closed by the HELLO deadline, not by the idle check, which starts once a frame has gone each way"
    )
    func idleCheckAfterSetup() async throws {
        let harness = try await TLSHarness.start(
            idleTimeout: .milliseconds(200),
            limits: ConnectionLimits(helloTimeoutMilliseconds: 1_500)
        )
        try await harness.running {
            await Self.silentAfterHandshake(harness)
            // Closed by the idle check at 200 ms (a busy machine's slow handshake too), it would not be counted.
            #expect(harness.server.refusals == [ConnectionLimits.Refusal.helloTimeout.rawValue: 1])
        }
    }

    @Test(
        "a server slower to answer HELLO than its idle timeout keeps the connection: the idle check waits for a frame each way, and the late WELCOME arrives"
    )
    func lateWelcome() async throws {
        let harness = try await TLSHarness.start(idleTimeout: .milliseconds(200))
        let server = harness.server
        try await withThrowingTaskGroup(of: Void.self) { group in
            // A server whose answer comes five idle timeouts after the HELLO, as a router's tasks on a busy machine may.
            // The sleep is the slowness under test, not a wait for a result: no event says that an idle timeout passed
            // without a close. (FramePipelineTests checks the same on a virtual clock.)
            group.addTask {
                try await server.serve { connection in
                    var frames = connection.inbound.makeAsyncIterator()
                    guard case .hello? = try? await frames.next() else { return }
                    try? await Task.sleep(for: .seconds(1))
                    let welcome = Frame.Welcome(
                        router: .router,
                        simulatedTime: SampleMessages.createdAt,
                        heartbeatMilliseconds: 40
                    )
                    try? await connection.outbound.send([.welcome(welcome)])
                    while (try? await frames.next()) != nil {}
                }
            }
            // Closed as idle at 200 ms, the connection would end with nothing.
            let welcomed = try await Self.welcomed(harness, .spoc(.be))
            #expect(welcomed, "the connection closed before the WELCOME")
            group.cancelAll()
        }
        #expect(server.refusals.isEmpty)
    }

    /// Whether `node`, saying HELLO, is answered with a WELCOME.
    static func welcomed(_ harness: TLSHarness, _ node: NodeID) async throws -> Bool {
        var welcomed = false
        try await harness.client(node).connect { connection in
            try await connection.outbound.send([.hello(node: node)])
            var frames = connection.inbound.makeAsyncIterator()
            if case .welcome = try await frames.next() { welcomed = true }
        }
        return welcomed
    }

    /// A node that finishes its handshake and says nothing: returns when the router has closed its connection (its
    /// frames end, or fail).
    static func silentAfterHandshake(_ harness: TLSHarness) async {
        do {
            try await harness.client(.spoc(.be)).connect { silent in
                var frames = silent.inbound.makeAsyncIterator()
                while try await frames.next() != nil {}
            }
        } catch {}
    }

    @Test("a node that sends frames faster than allowed is closed and counted; one within the burst is served")
    func frameRate() async throws {
        let harness = try await TLSHarness.start(limits: ConnectionLimits(maxFramesPerSecond: 50))
        try await harness.running {
            // 30 frames at once: within the burst of 50.
            try await harness.client(.spoc(.fr)).connect { calm in
                try await calm.outbound.send([.hello(node: .spoc(.fr))] + Array(repeating: .heartbeat, count: 29))
                var frames = calm.inbound.makeAsyncIterator()
                guard case .welcome = try await frames.next() else {
                    Issue.record("no WELCOME")
                    return
                }
            }
            #expect(harness.server.refusals.isEmpty)
            // 400 frames at once: over it; the router closes the connection, so its frames end (or fail).
            do {
                try await harness.client(.spoc(.be)).connect { flooding in
                    try await flooding.outbound.send(
                        [.hello(node: .spoc(.be))] + Array(repeating: .heartbeat, count: 399)
                    )
                    var frames = flooding.inbound.makeAsyncIterator()
                    while try await frames.next() != nil {}
                }
            } catch {}
            #expect(harness.server.refusals == [ConnectionLimits.Refusal.tooManyFrames.rawValue: 1])
        }
    }

    @Test("the limits are read from the exercise file's router section, with their defaults otherwise")
    func configuration() throws {
        // The built-in file spells out the defaults; this one changes each.
        var text = ExerciseConfiguration.defaultYAML
        for (from, to) in [
            ("max_connections: 16384", "max_connections: 50"),
            ("max_connections_per_address: 12000", "max_connections_per_address: 40"),
            ("max_handshakes: 512", "max_handshakes: 8"), ("handshake_timeout: 10s", "handshake_timeout: 2s"),
            ("hello_timeout: 10s", "hello_timeout: 1.5s"),
            ("max_frames_per_second: 20000", "max_frames_per_second: 300"),
        ] {
            #expect(text.contains(from))
            text = text.replacingOccurrences(of: from, with: to)
        }
        let limits = try ExerciseConfiguration.load(yaml: text, file: "exercise.yaml").router.connectionLimits
        #expect(
            limits
                == ConnectionLimits(
                    maxConnections: 50,
                    maxPerAddress: 40,
                    maxHandshakes: 8,
                    handshakeTimeoutMilliseconds: 2000,
                    helloTimeoutMilliseconds: 1500,
                    maxFramesPerSecond: 300
                )
        )
        #expect(ExerciseConfiguration.builtIn().router.connectionLimits == ConnectionLimits())
        do {
            _ = try ExerciseConfiguration.load(
                yaml: text.replacingOccurrences(of: "max_handshakes: 8", with: "max_handshakes: 0"),
                file: "exercise.yaml"
            )
            Issue.record("max_handshakes 0 was taken")
        } catch {
            #expect(error.problems.map(\.key) == ["router.max_handshakes"])
        }
    }
}
