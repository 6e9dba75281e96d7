import ArgumentParser
import EIXMModel
import EIXMRules
import Foundation

/// The header fields `eixm message new` takes as options. Fields without an option can be given in a JSON header
/// file (`--header-json`), which the options then override.
struct HeaderOptions: ParsableArguments {
    @Option(name: .long, help: "A JSON header to start from (DESIGN.md §4 field names); options below override it.")
    var headerJson: String?

    @Option(name: .long, help: "The sending node, e.g. SPOC-BE.")
    var from: NodeID?

    @Option(name: .long, parsing: .upToNextOption, help: "Addressee node(s), e.g. SPOC-FR EUROPOL.")
    var to: [NodeID] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Node(s) in copy.")
    var cc: [NodeID] = []

    @Option(name: .long, help: "The channel. Default: SIENA.")
    var channel: Channel?

    @Option(name: .customLong("type"), help: "The message type. Default: REQUEST.")
    var messageType: MessageType?

    @Option(name: .long, help: "The legal basis. Default: DIR_2023_977.")
    var legalBasis: LegalBasis?

    @Option(name: .long, help: "URGENT or NON_URGENT.")
    var urgency: Urgency?

    @Option(name: .long, help: "Why the request is urgent (Dir 2023/977 Art 4(4)).")
    var urgencyReason: UrgencyReason?

    @Option(name: .long, help: "DIRECT or INDIRECT availability of the information asked for.")
    var accessibility: Accessibility?

    @Option(name: .long, parsing: .upToNextOption, help: "Crime area(s), Europol Annex I keys.")
    var crimeArea: [CrimeArea] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Affected state(s), e.g. BE FR (GR is read as EL).")
    var affectedMs: [MemberState] = []

    @Option(name: .long, help: "The purpose of the exchange.")
    var purpose: Purpose?

    @Option(name: .long, help: "Two-letter language code, e.g. EN.")
    var language: LanguageCode?

    @Option(name: .long, parsing: .upToNextOption, help: "Handling code(s) H0 to H3.")
    var handlingCode: [HandlingCode] = []

    @Option(name: .long, help: "The H3 restriction text.")
    var h3Text: String?

    @Option(name: .long, help: "The evaluation pair, e.g. B2 (source reliability, information accuracy).")
    var evaluation: String?

    @Option(name: .long, help: "The classification level.")
    var classification: Classification?

    @Flag(name: .long, help: "The message contains personal data.")
    var personalData = false

    @Option(name: .long, parsing: .upToNextOption, help: "Data subject categories of the personal data.")
    var dataSubject: [DataSubjectCategory] = []

    @Option(name: .long, help: "The case ID.")
    var caseId: String?

    @Option(name: .long, help: "The ID of the message this one answers.")
    var inReplyTo: String?

    @Option(name: .long, help: "The sender's case-by-case decision on copying Europol (EU-02): true or false.")
    var copyToEuropol: Bool?

    @Option(name: .long, help: "Why Europol is not copied (with --copy-to-europol false).")
    var copyToEuropolReason: String?

    @Option(name: .long, help: "The refusal ground (REFUSAL messages).")
    var refusalReason: RefusalReason?

    @Option(name: .long, help: "The SIS alert the message follows up (SIRENE).")
    var sisAlertId: String?

    @Option(name: .long, help: "The message ID (UUID). Default: a new random one.")
    var id: String?

    @Option(name: .long, help: "The creation time, RFC 3339. Default: now.")
    var createdAt: String?

    /// The header the options describe.
    func header(now: Date = Date()) throws -> Header {
        var header: Header
        if let headerJson {
            let data: [UInt8]
            do {
                data = try PlainFile.bytes(headerJson)
            } catch {
                throw CommandError("\(error).")
            }
            do {
                header = try Header(json: data)
            } catch {
                throw CommandError("\(headerJson): \(error)")
            }
        } else {
            guard let from else { throw ValidationError("Give --from (or a --header-json file).") }
            guard !to.isEmpty else { throw ValidationError("Give at least one --to (or a --header-json file).") }
            header = Header(
                id: UUID(),
                sender: from,
                to: to,
                channel: .siena,
                messageType: .request,
                legalBasis: .dir2023977,
                createdAt: Timestamp(now)
            )
        }
        if let id {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("--id '\(id)' is not a UUID.") }
            header.id = uuid
        }
        if let inReplyTo {
            guard let uuid = UUID(uuidString: inReplyTo) else {
                throw ValidationError("--in-reply-to '\(inReplyTo)' is not a UUID.")
            }
            header.inReplyTo = uuid
        }
        if let createdAt {
            guard let time = Timestamp(rfc3339: createdAt) else {
                throw ValidationError("--created-at '\(createdAt)' is not an RFC 3339 time.")
            }
            header.createdAt = time
        }
        if let evaluation {
            let characters = Array(evaluation)
            guard characters.count == 2, let pair = Evaluation(source: characters[0], info: characters[1]) else {
                throw ValidationError("--evaluation '\(evaluation)' is not a pair such as B2.")
            }
            header.evaluation = pair
        }
        if let from { header.sender = from }
        if !to.isEmpty { header.to = to }
        if !cc.isEmpty { header.cc = cc }
        if let channel { header.channel = channel }
        if let messageType { header.messageType = messageType }
        if let legalBasis { header.legalBasis = legalBasis }
        if let urgency { header.urgency = urgency }
        if let urgencyReason { header.urgencyReason = urgencyReason }
        if let accessibility { header.accessibility = accessibility }
        if !crimeArea.isEmpty { header.crimeAreas = crimeArea }
        if !affectedMs.isEmpty { header.affectedStates = affectedMs }
        if let purpose { header.purpose = purpose }
        if let language { header.language = language }
        if !handlingCode.isEmpty { header.handlingCodes = HandlingCodes(handlingCode) }
        if let h3Text { header.h3Text = h3Text }
        if let classification { header.classification = classification }
        if personalData { header.containsPersonalData = true }
        if !dataSubject.isEmpty { header.dataSubjectCategories = dataSubject }
        if let caseId { header.caseID = caseId }
        if let refusalReason { header.refusalReason = refusalReason }
        if let copyToEuropol { header.copyToEuropol = copyToEuropol }
        if let copyToEuropolReason { header.copyToEuropolReason = copyToEuropolReason }
        if let sisAlertId { header.sisAlertID = sisAlertId }
        do {
            try header.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        return header
    }
}
