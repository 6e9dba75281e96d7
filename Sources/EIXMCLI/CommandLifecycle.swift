import EIXMHTTP
import Logging
import ServiceLifecycle
import UnixSignals

/// One ServiceGroup per command: the HTTP endpoint (when asked for) first, the command's work last, so that a
/// shutdown stops the work first (stop taking traffic, drain, seal the logs, write the reports) and the endpoint
/// after it. SIGTERM and SIGINT shut down gracefully; a second one ends the work at once (``CommandService``).
enum CommandLifecycle {
    static func run(
        _ command: String,
        endpoint: MonitorServer?,
        work: @escaping @Sendable (_ stop: AsyncStream<Void>) async throws -> Void
    ) async throws {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let endpoint {
            // The endpoint ends only when the group shuts it down; if it cannot listen, the command fails.
            services.append(.init(service: endpoint, successTerminationBehavior: .cancelGroup))
        }
        services.append(
            .init(
                service: CommandService(command: command, body: work),
                successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup
            )
        )
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "eixm.lifecycle")
            )
        )
        do {
            try await group.run()
        } catch let failure as MonitorServer.Failure {
            throw CommandError("\(command): the HTTP endpoint \(failure)")
        }
    }
}
