import EIXMModel
import Metrics
import Prometheus

/// Bootstraps swift-metrics once per process with a Prometheus registry, which the HTTP endpoint exports: the CLI is
/// the only place that does, and only when an endpoint is asked for (otherwise every metric stays a no-op).
enum MetricsBootstrap {
    private static let shared = Locked<PrometheusCollectorRegistry?>(nil)

    /// The process's registry, bootstrapping the metrics system with it the first time.
    static func registry() -> PrometheusCollectorRegistry {
        shared.withLock { registry in
            if let registry { return registry }
            let made = PrometheusCollectorRegistry()
            let factory = DocumentedMetricsFactory(registry: made)
            MetricsSystem.bootstrap(factory)
            registry = made
            return made
        }
    }
}
