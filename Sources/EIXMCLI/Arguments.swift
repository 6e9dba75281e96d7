import ArgumentParser
import EIXMModel

// Command-line spellings of the model's values: the same as in JSON (EIXM-RULES.md §4).

extension NodeID: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension MemberState: ExpressibleByArgument {
    public init?(argument: String) { self.init(code: argument.uppercased()) }
}

extension LanguageCode: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Channel: ExpressibleByArgument {}
extension MessageType: ExpressibleByArgument {}
extension LegalBasis: ExpressibleByArgument {}
extension Urgency: ExpressibleByArgument {}
extension UrgencyReason: ExpressibleByArgument {}
extension Accessibility: ExpressibleByArgument {}
extension CrimeArea: ExpressibleByArgument {}
extension Purpose: ExpressibleByArgument {}
extension HandlingCode: ExpressibleByArgument {}
extension Classification: ExpressibleByArgument {}
extension DataSubjectCategory: ExpressibleByArgument {}
extension RefusalReason: ExpressibleByArgument {}
