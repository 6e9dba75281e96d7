import EIXMModel

/// The EIXM channel-rules engine: a pure, synchronous function from a message header, the time it was received
/// and the case context to a ``Decision``. It holds no state of its own; the same input gives the same decision.
///
/// Rules are checked in the order of EIXM-RULES.md §6 (channels, Europol, handling codes, deadlines, refusals,
/// spontaneous information and languages, personal data, Frontex, Eurojust, third countries and logging); every
/// rule is checked, so a rejection names every rule the message breaks.
public struct RulesEngine: Sendable {
    /// The configuration, shared by reference with every judgement so that deciding copies none of it.
    final class Tables: Sendable {
        let configuration: RulesConfiguration

        init(_ configuration: RulesConfiguration) { self.configuration = configuration }
    }

    private let tables: Tables

    public var configuration: RulesConfiguration { tables.configuration }

    public init(configuration: RulesConfiguration) { tables = Tables(configuration) }

    public func decide(_ header: Header, receivedAt: Timestamp, context: CaseContext) -> Decision {
        var judgement = Judgement(header: header, receivedAt: receivedAt, context: context, tables: tables)
        judgement.checkChannels(header)
        judgement.checkEuropol(header)
        judgement.checkHandlingCodes(header)
        judgement.checkDeadlines(header)
        judgement.checkRefusals(header)
        judgement.checkSpontaneousAndLanguage(header)
        judgement.checkFrontex(header)
        judgement.checkEurojust(header)
        judgement.checkThirdCountriesAndLogging(header)
        return Decision(firings: judgement.firings, obligations: judgement.obligations)
    }

    /// The nodes a header names that the directory does not know: the sender first, then recipients. The router
    /// refuses such messages before judging them; `eixm rules check` reports them as input errors.
    public func unknownNodes(in header: Header) -> [(field: HeaderField, node: NodeID)] {
        var unknown: [(field: HeaderField, node: NodeID)] = []
        let directory = tables.configuration.directory
        if directory.profile(header.sender) == nil { unknown.append((.sender, header.sender)) }
        for node in header.to where directory.profile(node) == nil { unknown.append((.to, node)) }
        for node in header.cc where directory.profile(node) == nil { unknown.append((.cc, node)) }
        return unknown
    }
}
