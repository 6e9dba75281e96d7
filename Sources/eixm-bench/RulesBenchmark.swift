import ArgumentParser
import EIXMCrypto
import EIXMModel
import EIXMRules
import EIXMTestKit
import Foundation

/// `eixm-bench rules`: decisions per second of the rules engine on one core, over a mix of message types that
/// includes answers judged against a case context and messages that break rules.
struct RulesBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Rules-engine decisions per second on one core for a representative mix (goal ≥ 1M/s)."
    )

    @Option(help: "Decisions per round.")
    var operations = 500_000

    @OptionGroup var stopwatch: Stopwatch

    @Option(help: "Seed of the message mix.")
    var seed: UInt64 = 2013

    func run() throws {
        let engine = RulesEngine(configuration: .builtIn())
        var random = SeededGenerator(seed: seed)
        let mix = RulesMix(random: &random)
        var context = CaseContext()
        for request in mix.requests {
            context.record(
                request,
                decision: engine.decide(request, receivedAt: request.createdAt, context: context),
                receivedAt: request.createdAt
            )
        }
        let messages = mix.messages
        var accepted = 0
        for header in messages
        where engine.decide(header, receivedAt: header.createdAt, context: context).verdict == .accept {
            accepted += 1
        }
        let receivedAt = messages.map(\.createdAt)
        var index = 0
        let perDecision = stopwatch.secondsPerOperation(operations: operations) {
            blackHole(engine.decide(messages[index], receivedAt: receivedAt[index], context: context))
            index = index &+ 1 == messages.count ? 0 : index &+ 1
        }
        // The bound that matters, measured in the same run: one signature verification per message.
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be)])
        let keys = try pki.keyDirectory()
        let sealed = try pki.identity(for: .spoc(.be)).seal(
            SampleMessages.request(),
            body: SampleMessages.body(count: 1024)
        )
        let perVerification = stopwatch.secondsPerOperation(operations: 2_000) { blackHole(keys.verify(sealed)) }
        print(
            "eixm-bench rules: \(messages.count) distinct headers (\(accepted) accepted, \(messages.count - accepted) rejected), context of \(context.count) requests, best of \(stopwatch.rounds) rounds"
        )
        print(String(format: "  per decision      %8.3f µs", perDecision * 1e6))
        print(String(format: "  decisions/s       %8.0f      (one core; goal ≥ 1,000,000)", 1 / perDecision))
        print(String(format: "  Ed25519 verify    %8.3f µs   (1-KiB envelope, same run)", perVerification * 1e6))
        print(
            String(
                format: "  ratio decision / verification = %.4f  (1/%.0f)",
                perDecision / perVerification,
                perVerification / perDecision
            )
        )
    }
}

/// The benchmark's traffic: requests of every urgency between random SPOCs, their replies, refusals and
/// clarification requests, spontaneous information, hit notifications, Frontex data, and about one message in ten
/// that breaks a rule.
struct RulesMix {
    private(set) var requests: [Header] = []
    private(set) var messages: [Header] = []

    init(random: inout SeededGenerator, count: Int = 2048) {
        let states = MemberState.allCases
        let areas: [CrimeArea] = [
            .drugTrafficking, .traffickingInHumanBeings, .moneyLaundering, .immigrantSmuggling, .computerCrime,
            .swindlingFraud, .simpleTheft,
        ]
        for index in 0..<count {
            let from = states.randomElement(using: &random)!
            var to = states.randomElement(using: &random)!
            if to == from { to = from == .be ? .fr : .be }
            var header = Header(
                id: UUID(uuid: Self.uuid(UInt64(index), &random)),
                sender: .spoc(from),
                to: [.spoc(to)],
                channel: .siena,
                messageType: .request,
                legalBasis: .dir2023977,
                createdAt: SampleMessages.createdAt.adding(seconds: Int64(index))
            )
            header.crimeAreas = [areas.randomElement(using: &random)!]
            header.affectedStates = [from, to]
            header.language = .english
            header.purpose = .crimeInvestigation
            header.handlingCodes = HandlingCodes([.h0])
            header.copyToEuropol = Bool.random(using: &random)
            header.copyToEuropolReason = "assessed case by case"
            header.urgency = Bool.random(using: &random) ? .urgent : .nonUrgent
            header.urgencyReason = header.urgency == .urgent ? .imminentThreatLifeOrPhysicalIntegrity : nil
            header.accessibility = Bool.random(using: &random) ? .direct : .indirect
            requests.append(header)
        }
        for (index, request) in requests.enumerated() {
            var header = request
            switch index % 10 {
            case 0, 1, 2:
                messages.append(request)
                continue
            case 3, 4:
                header.messageType = .reply
            case 5:
                header.messageType = .refusal
                header.refusalReason = .notAvailable
            case 6:
                header.messageType = .spontaneous
            case 7:
                header.messageType = .clarificationRequest
            case 8:
                header.sender = .frontex
                header.to = [.europol]
                header.messageType = .spontaneous
                header.legalBasis = .ebcg20191896
                header.crimeAreas = [.immigrantSmuggling]
                header.containsPersonalData = true
                header.dataSubjectCategories = [.suspect]
                header.collectionContext = .crossBorderCrime
                header.strictNecessityAssessmentID = "SNA-1"
                messages.append(header)
                continue
            default:
                // Breaks CH-01 (and often more).
                header.channel = .interpol
                messages.append(header)
                continue
            }
            header.id = UUID(uuid: Self.uuid(UInt64(index) | 1 << 40, &random))
            header.inReplyTo = request.id
            header.sender = request.to[0]
            header.to = [request.sender]
            header.urgency = nil
            header.urgencyReason = nil
            messages.append(header)
        }
    }

    private static func uuid(_ index: UInt64, _ random: inout SeededGenerator) -> uuid_t {
        let high = random.next()
        let bytes =
            (0..<8).map { UInt8(truncatingIfNeeded: high >> ($0 * 8)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: index >> ($0 * 8)) }
        return (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
            bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        )
    }
}
