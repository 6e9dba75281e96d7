import Foundation

/// The highest offered rate at which the ACK p99 met a goal, found in a few open-loop runs: from half of the saturated
/// rate (already measured) the rate is halved until a run meets the goal, then tried once more halfway (geometrically)
/// between the lowest rate that missed it and the highest that met it. One run per rate: the rate found is one at which
/// the goal was met, not a bound that every run would meet.
struct LatencyKnee {
    struct Trial {
        let rate: Double
        let p99: Double
        /// Cores the run used (router, senders and recipients), and the router process's share when it ran in a
        /// process of its own.
        let cores: Double
        let router: Double?
    }

    let goal: Double
    let saturation: Double
    let trials: [Trial]

    /// The highest rate tried whose p99 met the goal.
    var met: Trial? { trials.filter { $0.p99 <= goal }.max { $0.rate < $1.rate } }

    /// The lowest rate tried whose p99 missed the goal.
    var missed: Trial? { trials.filter { $0.p99 > goal }.min { $0.rate < $1.rate } }

    /// Searches from `half` (the run at half of `saturation`), running `run(rate, step)` for each rate tried: at most
    /// `halvings` halvings, none below `minimum`, then `refinements` runs between the two closest rates on either side.
    static func search(
        saturation: Double,
        half: Trial,
        goal: Double,
        minimum: Double,
        halvings: Int = 5,
        refinements: Int = 1,
        run: (_ rate: Double, _ step: Int) async throws -> Trial
    ) async throws -> LatencyKnee {
        var knee = LatencyKnee(goal: goal, saturation: saturation, trials: [half])
        var rate = half.rate
        var step = 0
        while knee.met == nil, step < halvings, rate / 2 >= minimum {
            step += 1
            rate /= 2
            knee = knee.adding(try await run(rate, step))
        }
        for _ in 0..<refinements {
            guard let met = knee.met, let missed = knee.missed, missed.rate > met.rate else { break }
            step += 1
            knee = knee.adding(try await run((met.rate * missed.rate).squareRoot(), step))
        }
        return knee
    }

    private func adding(_ trial: Trial) -> LatencyKnee {
        LatencyKnee(goal: goal, saturation: saturation, trials: trials + [trial])
    }

    /// One line: the rate found, as a share of saturation, and every run by rate.
    var description: String {
        let runs = trials.sorted { $0.rate > $1.rate }
            .map { trial in
                String(format: "%.0f msgs/s → p99 %.2f ms with %.2f cores busy", trial.rate, trial.p99, trial.cores)
                    + (trial.router.map { String(format: " (the router process %.2f)", $0) } ?? "")
            }
            .joined(separator: ", ")
        let goalText = String(format: "ACK p99 ≤ %g ms (the goal)", goal)
        guard let met else {
            let lowest = trials.map(\.rate).min() ?? 0
            return String(
                format: "%@ was met at no rate tried, down to %.0f msgs/s offered: %@",
                goalText,
                lowest,
                runs
            )
        }
        let share = met.rate / max(saturation, 1)
        guard let missed else {
            return String(
                format: "%@ was met at %.0f msgs/s offered, %.2f of batch saturation: %@",
                goalText,
                met.rate,
                share,
                runs
            )
        }
        return String(
            format:
                "%@ was met up to %.0f msgs/s offered, %.2f of batch saturation, and missed at %.0f (one open-loop run each: %@)",
            goalText,
            met.rate,
            share,
            missed.rate,
            runs
        )
    }
}
