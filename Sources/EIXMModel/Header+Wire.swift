import Foundation

// The canonical header layout (README.md, "The canonical encoding"):
//
//   header = field*                        fields in strictly ascending tag order, each at most once
//   field  = tag:u8 length:u16 value       big-endian length of value in bytes
//
// Value encodings: uuid = 16 bytes; text = UTF-8 bytes (the field length is its length); node list and text list
// = (u8 length, bytes)*; enum = u8 wire code; enum list = u8 code per entry; flag = empty value, present only
// when true; bool = u8 0 or 1; timestamp = i64 milliseconds since the epoch; language = 2 ASCII letters;
// evaluation = 2 printable ASCII bytes; handling codes = u8 bit mask (bit n = Hn), never 0.
// Absent optional fields, false flags and empty lists are omitted: one header has exactly one encoding.

extension Header {
    /// The canonical bytes of this header: what travels on the wire and what the signature covers.
    public func canonicalBytes() throws(MessageFormatError) -> [UInt8] {
        try validate()
        var writer = WireWriter(capacity: 320)
        write(to: &writer)
        guard writer.bytes.count <= WireLimits.maximumHeaderBytes else {
            throw MessageFormatError(
                .tooLong,
                field: "header",
                "\(writer.bytes.count) bytes; at most \(WireLimits.maximumHeaderBytes)"
            )
        }
        return writer.bytes
    }

    private func write(to writer: inout WireWriter) {
        writer.field(.id) { $0.uuid(id) }
        if let caseID { writer.field(.caseID) { $0.append(caseID.utf8) } }
        if let inReplyTo { writer.field(.inReplyTo) { $0.uuid(inReplyTo) } }
        writer.field(.sender) { $0.append(sender.rawValue.utf8) }
        writer.field(.to) { $0.nodes(to) }
        if !cc.isEmpty { writer.field(.cc) { $0.nodes(cc) } }
        writer.field(.channel) { $0.u8(channel.wireCode) }
        writer.field(.messageType) { $0.u8(messageType.wireCode) }
        writer.field(.legalBasis) { $0.u8(legalBasis.wireCode) }
        writer.optional(.urgency, urgency)
        writer.optional(.urgencyReason, urgencyReason)
        writer.optional(.accessibility, accessibility)
        writer.list(.crimeAreas, crimeAreas)
        writer.list(.affectedStates, affectedStates)
        writer.optional(.purpose, purpose)
        if let language { writer.field(.language) { $0.append(language.rawValue.utf8) } }
        if !handlingCodes.isEmpty { writer.field(.handlingCodes) { $0.u8(handlingCodes.bits) } }
        if let h3Text { writer.field(.h3Text) { $0.append(h3Text.utf8) } }
        if let evaluation {
            writer.field(.evaluation) {
                $0.u8(evaluation.wireBytes.0)
                $0.u8(evaluation.wireBytes.1)
            }
        }
        writer.optional(.classification, classification)
        writer.flag(.containsPersonalData, containsPersonalData)
        writer.list(.dataSubjectCategories, dataSubjectCategories)
        writer.optional(.originatorState, originatorState)
        writer.bool(.originatorConsent, originatorConsent)
        writer.optional(.sienaException, sienaException)
        if let sisAlertID { writer.field(.sisAlertID) { $0.append(sisAlertID.utf8) } }
        if let prumHitRef { writer.field(.prumHitRef) { $0.append(prumHitRef.utf8) } }
        writer.bool(.assistanceRequested, assistanceRequested)
        if let strictNecessityAssessmentID {
            writer.field(.strictNecessityAssessmentID) { $0.append(strictNecessityAssessmentID.utf8) }
        }
        writer.optional(.refusalReason, refusalReason)
        writer.field(.createdAt) { $0.u64(UInt64(bitPattern: createdAt.millisecondsSinceEpoch)) }
        writer.optional(.payloadType, payloadType)
        writer.optional(.noCopyReason, noCopyReason)
        writer.bool(.copyToEuropol, copyToEuropol)
        if let copyToEuropolReason { writer.field(.copyToEuropolReason) { $0.append(copyToEuropolReason.utf8) } }
        if !providerPermissionTokens.isEmpty {
            writer.field(.providerPermissionTokens) { writer in
                for token in providerPermissionTokens { writer.shortText(token) }
            }
        }
        writer.bool(.evidenceConsent, evidenceConsent)
        writer.flag(.judicialAuthorisationRequired, judicialAuthorisationRequired)
        writer.optional(.transferBasis, transferBasis)
        writer.optional(.collectionContext, collectionContext)
        writer.optional(.jitEvent, jitEvent)
        writer.optional(.refusalScope, refusalScope)
        writer.optional(.refusalGroundScope, refusalGroundScope)
        if let forwardedFrom { writer.field(.forwardedFrom) { $0.uuid(forwardedFrom) } }
    }

    /// Decodes canonical header bytes. Total: any input gives a header or an error naming the field.
    public init(canonicalBytes: [UInt8]) throws(MessageFormatError) {
        var reader = WireReader(canonicalBytes)
        try self.init(reading: &reader)
    }

    init(reading reader: inout WireReader) throws(MessageFormatError) {
        let start = reader.offset
        let end = reader.end
        var fields = DecodedFields()
        var previousTag: UInt8 = 0
        while !reader.isAtEnd {
            let tagOffset = reader.offset
            let tag = try reader.u8("header")
            guard let field = HeaderField(rawValue: tag) else {
                throw MessageFormatError(
                    .unknownField,
                    field: "tag \(tag)",
                    "no header field has this tag",
                    offset: tagOffset
                )
            }
            guard tag > previousTag else {
                throw MessageFormatError(
                    .nonCanonical,
                    field: field.name,
                    tag == previousTag ? "field appears twice" : "field out of order (tags must ascend)",
                    offset: tagOffset
                )
            }
            previousTag = tag
            let length = try reader.u16(field.name)
            var value = try reader.region(length, field.name)
            try fields.read(field, from: &value)
            try value.expectEnd(field.name)
        }
        do {
            self = try fields.finished()
            try validate()
        } catch {
            // A missing field or a broken limit concerns the header as a whole: point at the named field's tag
            // when it is present, else at the header's first byte. The search runs only on this error path.
            throw error.at(Self.offset(of: error.field, in: reader.bytes, start..<end) ?? start)
        }
    }

    /// Where the field named `name` starts (its tag byte) in well-formed header bytes, if it is there.
    private static func offset(of name: String, in bytes: [UInt8], _ range: Range<Int>) -> Int? {
        var offset = range.lowerBound
        while offset + 3 <= range.upperBound {
            if HeaderField(rawValue: bytes[offset])?.name == name { return offset }
            offset += 3 + (Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]))
        }
        return nil
    }
}

extension WireWriter {
    fileprivate mutating func uuid(_ uuid: UUID) {
        withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
    }

    fileprivate mutating func nodes(_ nodes: [NodeID]) {
        for node in nodes { shortText(node.rawValue) }
    }

    fileprivate mutating func optional(_ field: HeaderField, _ value: (some WireEnum)?) {
        if let value { self.field(field) { $0.u8(value.wireCode) } }
    }

    fileprivate mutating func list(_ field: HeaderField, _ values: [some WireEnum]) {
        if !values.isEmpty { self.field(field) { writer in for value in values { writer.u8(value.wireCode) } } }
    }

    fileprivate mutating func flag(_ field: HeaderField, _ value: Bool) {
        if value { self.field(field) { _ in } }
    }

    fileprivate mutating func bool(_ field: HeaderField, _ value: Bool?) {
        if let value { self.field(field) { $0.u8(value ? 1 : 0) } }
    }
}

/// The fields read so far while decoding a header.
private struct DecodedFields {
    var header = Header(
        id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        sender: .router,
        to: [],
        channel: .siena,
        messageType: .request,
        legalBasis: .dir2023977,
        createdAt: Timestamp(millisecondsSinceEpoch: 0)
    )
    /// Bit `tag` is set for each field read.
    var seen: UInt64 = 0

    func finished() throws(MessageFormatError) -> Header {
        for field in HeaderField.required where seen & (1 << field.rawValue) == 0 {
            throw MessageFormatError(.missingField, field: field.name, "required field is absent")
        }
        return header
    }

    mutating func read(_ field: HeaderField, from value: inout WireReader) throws(MessageFormatError) {
        let name = field.name
        seen |= 1 << field.rawValue
        switch field {
        case .id: header.id = try value.uuid(name)
        case .caseID: header.caseID = try value.text(value.remaining, name)
        case .inReplyTo: header.inReplyTo = try value.uuid(name)
        case .sender: header.sender = try value.node(value.remaining, name)
        case .to: header.to = try value.nodes(name)
        case .cc:
            header.cc = try value.nonEmpty(name) { (reader: inout WireReader) throws(MessageFormatError) in
                try reader.nodes(name)
            }
        case .channel: header.channel = try value.enumValue(name)
        case .messageType: header.messageType = try value.enumValue(name)
        case .legalBasis: header.legalBasis = try value.enumValue(name)
        case .urgency: header.urgency = try value.enumValue(name)
        case .urgencyReason: header.urgencyReason = try value.enumValue(name)
        case .accessibility: header.accessibility = try value.enumValue(name)
        case .crimeAreas: header.crimeAreas = try value.enumList(name)
        case .affectedStates: header.affectedStates = try value.enumList(name)
        case .purpose: header.purpose = try value.enumValue(name)
        case .language: header.language = try value.language(name)
        case .handlingCodes: header.handlingCodes = try value.handlingCodes(name)
        case .h3Text: header.h3Text = try value.text(value.remaining, name)
        case .evaluation: header.evaluation = try value.evaluation(name)
        case .classification: header.classification = try value.enumValue(name)
        case .containsPersonalData: header.containsPersonalData = try value.flag(name)
        case .dataSubjectCategories: header.dataSubjectCategories = try value.enumList(name)
        case .originatorState: header.originatorState = try value.enumValue(name)
        case .originatorConsent: header.originatorConsent = try value.bool(name)
        case .sienaException: header.sienaException = try value.enumValue(name)
        case .sisAlertID: header.sisAlertID = try value.text(value.remaining, name)
        case .prumHitRef: header.prumHitRef = try value.text(value.remaining, name)
        case .assistanceRequested: header.assistanceRequested = try value.bool(name)
        case .strictNecessityAssessmentID: header.strictNecessityAssessmentID = try value.text(value.remaining, name)
        case .refusalReason: header.refusalReason = try value.enumValue(name)
        case .createdAt: header.createdAt = Timestamp(millisecondsSinceEpoch: Int64(bitPattern: try value.u64(name)))
        case .payloadType: header.payloadType = try value.enumValue(name)
        case .noCopyReason: header.noCopyReason = try value.enumValue(name)
        case .copyToEuropol: header.copyToEuropol = try value.bool(name)
        case .copyToEuropolReason: header.copyToEuropolReason = try value.text(value.remaining, name)
        case .providerPermissionTokens: header.providerPermissionTokens = try value.texts(name)
        case .evidenceConsent: header.evidenceConsent = try value.bool(name)
        case .judicialAuthorisationRequired: header.judicialAuthorisationRequired = try value.flag(name)
        case .transferBasis: header.transferBasis = try value.enumValue(name)
        case .collectionContext: header.collectionContext = try value.enumValue(name)
        case .jitEvent: header.jitEvent = try value.enumValue(name)
        case .refusalScope: header.refusalScope = try value.enumValue(name)
        case .refusalGroundScope: header.refusalGroundScope = try value.enumValue(name)
        case .forwardedFrom: header.forwardedFrom = try value.uuid(name)
        }
    }
}

extension WireReader {
    fileprivate mutating func uuid(_ field: String) throws(MessageFormatError) -> UUID {
        let b = try slice(16, field)
        let i = b.startIndex
        return UUID(
            uuid: (
                b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7],
                b[i + 8], b[i + 9], b[i + 10], b[i + 11], b[i + 12], b[i + 13], b[i + 14], b[i + 15]
            )
        )
    }

    fileprivate mutating func node(_ count: Int, _ field: String) throws(MessageFormatError) -> NodeID {
        let start = offset
        let bytes = try slice(count, field)
        guard let node = NodeID(canonical: bytes) else {
            let text = String(decoding: bytes, as: UTF8.self)
            throw MessageFormatError(
                .invalidValue,
                field: field,
                "\(MessageFormatError.quote(text)) is not a canonical node ID",
                offset: start
            )
        }
        return node
    }

    fileprivate mutating func nodes(_ field: String) throws(MessageFormatError) -> [NodeID] {
        var nodes: [NodeID] = []
        while !isAtEnd {
            guard nodes.count < WireLimits.maximumRecipients else {
                throw MessageFormatError(
                    .tooLong,
                    field: field,
                    "more than \(WireLimits.maximumRecipients) node IDs",
                    offset: offset
                )
            }
            let count = Int(try u8(field))
            nodes.append(try node(count, field))
        }
        return nodes
    }

    fileprivate mutating func texts(_ field: String) throws(MessageFormatError) -> [String] {
        var texts: [String] = []
        while !isAtEnd {
            let count = Int(try u8(field))
            texts.append(try text(count, field))
        }
        return texts
    }

    fileprivate mutating func nonEmpty<Value: Collection>(
        _ field: String,
        _ read: (inout WireReader) throws(MessageFormatError) -> Value
    ) throws(MessageFormatError) -> Value {
        let start = offset
        let value = try read(&self)
        guard !value.isEmpty else {
            throw MessageFormatError(
                .nonCanonical,
                field: field,
                "an empty list is omitted, not encoded",
                offset: start
            )
        }
        return value
    }

    fileprivate mutating func enumValue<Value: WireEnum>(_ field: String) throws(MessageFormatError) -> Value {
        let start = offset
        let code = try u8(field)
        guard let value = Value(wireCode: code) else {
            throw MessageFormatError(.unknownValue, field: field, "code \(code) is not a defined value", offset: start)
        }
        return value
    }

    fileprivate mutating func enumList<Value: WireEnum>(_ field: String) throws(MessageFormatError) -> [Value] {
        try nonEmpty(field) { (reader: inout WireReader) throws(MessageFormatError) -> [Value] in
            var values: [Value] = []
            values.reserveCapacity(reader.remaining)
            while !reader.isAtEnd { values.append(try reader.enumValue(field)) }
            return values
        }
    }

    fileprivate mutating func flag(_ field: String) throws(MessageFormatError) -> Bool {
        try expectEnd(field)
        return true
    }

    fileprivate mutating func bool(_ field: String) throws(MessageFormatError) -> Bool {
        let start = offset
        switch try u8(field) {
        case 0: return false
        case 1: return true
        case let other:
            throw MessageFormatError(.invalidValue, field: field, "boolean byte \(other) is not 0 or 1", offset: start)
        }
    }

    fileprivate mutating func language(_ field: String) throws(MessageFormatError) -> LanguageCode {
        let start = offset
        let bytes = try slice(2, field)
        guard bytes.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw MessageFormatError(
                .invalidValue,
                field: field,
                "a language is two upper-case ASCII letters",
                offset: start
            )
        }
        return LanguageCode(unchecked: String(decoding: bytes, as: UTF8.self))
    }

    fileprivate mutating func handlingCodes(_ field: String) throws(MessageFormatError) -> HandlingCodes {
        let start = offset
        let bits = try u8(field)
        guard bits != 0 else {
            throw MessageFormatError(.nonCanonical, field: field, "an empty set is omitted, not encoded", offset: start)
        }
        guard let codes = HandlingCodes(bits: bits) else {
            throw MessageFormatError(
                .unknownValue,
                field: field,
                "bits above H3 are set (0x\(String(bits, radix: 16)))",
                offset: start
            )
        }
        return codes
    }

    fileprivate mutating func evaluation(_ field: String) throws(MessageFormatError) -> Evaluation {
        let start = offset
        let source = try u8(field)
        let info = try u8(field)
        guard
            let evaluation = Evaluation(source: Character(UnicodeScalar(source)), info: Character(UnicodeScalar(info)))
        else {
            throw MessageFormatError(.invalidValue, field: field, "codes must be printable ASCII", offset: start)
        }
        return evaluation
    }
}
