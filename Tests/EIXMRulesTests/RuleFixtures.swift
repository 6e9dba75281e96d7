import EIXMModel
import EIXMRules
import EIXMTestKit
import Foundation

/// Messages and an engine for rule tests: a clean Directive request from Belgium to France that breaks no rule,
/// which each test changes in one respect.
enum RuleFixtures {
    static let configuration = RulesConfiguration.builtIn()
    static let engine = RulesEngine(configuration: configuration)
    static let receivedAt = SampleMessages.createdAt

    static func node(_ text: String) -> NodeID { NodeID(text)! }

    /// A non-urgent request BE -> FR on SIENA under the Directive, drug trafficking, in French, H0, Europol
    /// copy decided: accepted with a DL-03 deadline, an EU-02 copy and LOG-01 duties.
    static func request(_ index: UInt8 = 1) -> Header {
        var header = Header(
            id: SampleMessages.id(index),
            sender: .spoc(.be),
            to: [.spoc(.fr)],
            channel: .siena,
            messageType: .request,
            legalBasis: .dir2023977,
            createdAt: receivedAt
        )
        header.urgency = .nonUrgent
        header.crimeAreas = [.drugTrafficking]
        header.affectedStates = [.be, .fr]
        header.language = LanguageCode("FR")
        header.purpose = .crimeInvestigation
        header.handlingCodes = HandlingCodes([.h0])
        header.copyToEuropol = true
        return header
    }

    /// An answer of `type` from France to the request.
    static func answer(_ type: MessageType, to request: Header, index: UInt8 = 2) -> Header {
        var header = request
        header.id = SampleMessages.id(index)
        header.inReplyTo = request.id
        header.sender = request.to[0]
        header.to = [request.sender]
        header.messageType = type
        header.urgency = nil
        header.copyToEuropol = false
        header.copyToEuropolReason = "Europol was copied on the request"
        return header
    }

    static func decide(_ header: Header, context: CaseContext = CaseContext(), mode: PolicyMode? = nil) -> Decision {
        guard let mode else { return engine.decide(header, receivedAt: receivedAt, context: context) }
        var configuration = configuration
        configuration.mode = mode
        return RulesEngine(configuration: configuration).decide(header, receivedAt: receivedAt, context: context)
    }

    /// A context holding the given messages, each accepted and received in order.
    static func context(_ headers: Header...) -> CaseContext {
        var context = CaseContext()
        for header in headers {
            let decision = engine.decide(header, receivedAt: header.createdAt, context: context)
            context.record(header, decision: decision, receivedAt: header.createdAt)
        }
        return context
    }
}

extension Decision {
    func violates(_ rule: RuleID) -> Bool { firings.contains { $0.rule == rule && $0.effect == .violation } }
    func fired(_ rule: RuleID) -> Bool { firings.contains { $0.rule == rule } }
    func obliges(_ rule: RuleID, _ kind: Obligation.Kind, to node: NodeID? = nil) -> Bool {
        obligations.contains { $0.rule == rule && $0.kind == kind && (node == nil || $0.to == node) }
    }
    var violations: [RuleID] { firings.filter { $0.effect == .violation }.map(\.rule) }
}
