import Foundation

// The JSON rendering of a header: the DESIGN.md §4 field names, enum spellings of EIXM-RULES.md §4, RFC 3339
// times, lower-case UUIDs, `evaluation` as {"source": "B", "info": "2"}. Absent fields are omitted on output;
// on input an absent field and `null` mean the same. Unknown keys are errors.

extension Header: Codable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: HeaderField.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encodeIfPresent(caseID, forKey: .caseID)
        try container.encodeIfPresent(inReplyTo?.uuidString.lowercased(), forKey: .inReplyTo)
        try container.encode(sender.rawValue, forKey: .sender)
        try container.encode(to.map(\.rawValue), forKey: .to)
        if !cc.isEmpty { try container.encode(cc.map(\.rawValue), forKey: .cc) }
        try container.encode(channel.rawValue, forKey: .channel)
        try container.encode(messageType.rawValue, forKey: .messageType)
        try container.encode(legalBasis.rawValue, forKey: .legalBasis)
        try container.encodeIfPresent(urgency?.rawValue, forKey: .urgency)
        try container.encodeIfPresent(urgencyReason?.rawValue, forKey: .urgencyReason)
        try container.encodeIfPresent(accessibility?.rawValue, forKey: .accessibility)
        if !crimeAreas.isEmpty { try container.encode(crimeAreas.map(\.rawValue), forKey: .crimeAreas) }
        if !affectedStates.isEmpty { try container.encode(affectedStates.map(\.rawValue), forKey: .affectedStates) }
        try container.encodeIfPresent(purpose?.rawValue, forKey: .purpose)
        try container.encodeIfPresent(language?.rawValue, forKey: .language)
        if !handlingCodes.isEmpty { try container.encode(handlingCodes.codes.map(\.rawValue), forKey: .handlingCodes) }
        try container.encodeIfPresent(h3Text, forKey: .h3Text)
        if let evaluation {
            try container.encode(
                ["source": String(evaluation.source), "info": String(evaluation.info)],
                forKey: .evaluation
            )
        }
        try container.encodeIfPresent(classification?.rawValue, forKey: .classification)
        try container.encode(containsPersonalData, forKey: .containsPersonalData)
        if !dataSubjectCategories.isEmpty {
            try container.encode(dataSubjectCategories.map(\.rawValue), forKey: .dataSubjectCategories)
        }
        try container.encodeIfPresent(originatorState?.rawValue, forKey: .originatorState)
        try container.encodeIfPresent(originatorConsent, forKey: .originatorConsent)
        try container.encodeIfPresent(sienaException?.rawValue, forKey: .sienaException)
        try container.encodeIfPresent(sisAlertID, forKey: .sisAlertID)
        try container.encodeIfPresent(prumHitRef, forKey: .prumHitRef)
        try container.encodeIfPresent(assistanceRequested, forKey: .assistanceRequested)
        try container.encodeIfPresent(strictNecessityAssessmentID, forKey: .strictNecessityAssessmentID)
        try container.encodeIfPresent(refusalReason?.rawValue, forKey: .refusalReason)
        try container.encode(createdAt.rfc3339, forKey: .createdAt)
        try container.encodeIfPresent(payloadType?.rawValue, forKey: .payloadType)
        try container.encodeIfPresent(noCopyReason?.rawValue, forKey: .noCopyReason)
        try container.encodeIfPresent(copyToEuropol, forKey: .copyToEuropol)
        try container.encodeIfPresent(copyToEuropolReason, forKey: .copyToEuropolReason)
        if !providerPermissionTokens.isEmpty {
            try container.encode(providerPermissionTokens, forKey: .providerPermissionTokens)
        }
        try container.encodeIfPresent(evidenceConsent, forKey: .evidenceConsent)
        if judicialAuthorisationRequired { try container.encode(true, forKey: .judicialAuthorisationRequired) }
        try container.encodeIfPresent(transferBasis?.rawValue, forKey: .transferBasis)
        try container.encodeIfPresent(collectionContext?.rawValue, forKey: .collectionContext)
        try container.encodeIfPresent(jitEvent?.rawValue, forKey: .jitEvent)
        try container.encodeIfPresent(refusalScope?.rawValue, forKey: .refusalScope)
        try container.encodeIfPresent(refusalGroundScope?.rawValue, forKey: .refusalGroundScope)
        try container.encodeIfPresent(forwardedFrom?.uuidString.lowercased(), forKey: .forwardedFrom)
    }

    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: JSONKey.self).allKeys
        if let unknown = keys.first(where: { HeaderField(stringValue: $0.stringValue) == nil }) {
            throw MessageFormatError(.unknownField, field: unknown.stringValue, "not a header field")
        }
        let json = JSONFields(container: try decoder.container(keyedBy: HeaderField.self))
        self.init(
            id: try json.required(.id) { try json.uuid(.id) },
            sender: try json.required(.sender) { try json.node(.sender) },
            to: try json.required(.to) { try json.nodes(.to) },
            channel: try json.required(.channel) { try json.enumValue(.channel) },
            messageType: try json.required(.messageType) { try json.enumValue(.messageType) },
            legalBasis: try json.required(.legalBasis) { try json.enumValue(.legalBasis) },
            createdAt: try json.required(.createdAt) { try json.timestamp(.createdAt) }
        )
        caseID = try json.text(.caseID)
        inReplyTo = try json.uuid(.inReplyTo)
        cc = try json.nodes(.cc) ?? []
        urgency = try json.enumValue(.urgency)
        urgencyReason = try json.enumValue(.urgencyReason)
        accessibility = try json.enumValue(.accessibility)
        crimeAreas = try json.enumList(.crimeAreas)
        affectedStates = try json.states(.affectedStates)
        purpose = try json.enumValue(.purpose)
        language = try json.language(.language)
        handlingCodes = HandlingCodes(try json.enumList(.handlingCodes) as [HandlingCode])
        h3Text = try json.text(.h3Text)
        evaluation = try json.evaluation(.evaluation)
        classification = try json.enumValue(.classification)
        containsPersonalData = try json.bool(.containsPersonalData) ?? false
        dataSubjectCategories = try json.enumList(.dataSubjectCategories)
        originatorState = try json.states(.originatorState).first
        originatorConsent = try json.bool(.originatorConsent)
        sienaException = try json.enumValue(.sienaException)
        sisAlertID = try json.text(.sisAlertID)
        prumHitRef = try json.text(.prumHitRef)
        assistanceRequested = try json.bool(.assistanceRequested)
        strictNecessityAssessmentID = try json.text(.strictNecessityAssessmentID)
        refusalReason = try json.enumValue(.refusalReason)
        payloadType = try json.enumValue(.payloadType)
        noCopyReason = try json.enumValue(.noCopyReason)
        copyToEuropol = try json.bool(.copyToEuropol)
        copyToEuropolReason = try json.text(.copyToEuropolReason)
        providerPermissionTokens = try json.texts(.providerPermissionTokens)
        evidenceConsent = try json.bool(.evidenceConsent)
        judicialAuthorisationRequired = try json.bool(.judicialAuthorisationRequired) ?? false
        transferBasis = try json.enumValue(.transferBasis)
        collectionContext = try json.enumValue(.collectionContext)
        jitEvent = try json.enumValue(.jitEvent)
        refusalScope = try json.enumValue(.refusalScope)
        refusalGroundScope = try json.enumValue(.refusalGroundScope)
        forwardedFrom = try json.uuid(.forwardedFrom)
        try validate()
    }

    /// Reads a header from one JSON object. Every failure is a ``MessageFormatError`` naming the field.
    public init(json: some Collection<UInt8>) throws(MessageFormatError) {
        do {
            self = try JSONDecoder().decode(Header.self, from: Data(json))
        } catch let error as MessageFormatError {
            throw error
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            // Foundation's own text names Swift types ("Expected to decode Dictionary<String, Any>"): say it plainly.
            let what = context.codingPath.isEmpty ? "one JSON object per line" : Self.jsonWords(for: type)
            throw MessageFormatError(.invalidValue, field: context.fieldName, "expected \(what)")
        } catch let DecodingError.keyNotFound(key, _) {
            throw MessageFormatError(.missingField, field: key.stringValue, "required field is absent")
        } catch let DecodingError.dataCorrupted(context) {
            let cause = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            throw MessageFormatError(
                .malformedJSON,
                field: context.fieldName,
                "not valid JSON" + (cause.map { ": \($0)" } ?? "")
            )
        } catch {
            throw MessageFormatError(.malformedJSON, field: "header", "not a JSON object")
        }
    }

    /// What a JSON value of a Swift type is called in an error.
    private static func jsonWords(for type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type, is UInt64.Type, is Int64.Type: "a number"
        case is [String].Type, is [Any].Type: "a list"
        default:
            String(describing: type).hasPrefix("Array")
                ? "a list"
                : String(describing: type).hasPrefix("Dictionary") ? "a JSON object" : "another kind of value"
        }
    }

    /// The JSON rendering, keys sorted so that the same header always gives the same text.
    public func jsonText(pretty: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, arrays and booleans cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}

/// Any JSON key, to find the ones that are not header fields.
private struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension DecodingError.Context {
    fileprivate var fieldName: String {
        codingPath.first.map { HeaderField(stringValue: $0.stringValue)?.name ?? $0.stringValue } ?? "header"
    }
}

/// Typed access to the fields of a JSON header, turning every bad value into a ``MessageFormatError``.
private struct JSONFields {
    let container: KeyedDecodingContainer<HeaderField>

    func required<Value>(_ field: HeaderField, _ read: () throws -> Value?) throws -> Value {
        guard let value = try read() else {
            throw MessageFormatError(.missingField, field: field.name, "required field is absent")
        }
        return value
    }

    func text(_ field: HeaderField) throws -> String? {
        try container.decodeIfPresent(String.self, forKey: field)
    }

    func texts(_ field: HeaderField) throws -> [String] {
        try container.decodeIfPresent([String].self, forKey: field) ?? []
    }

    func bool(_ field: HeaderField) throws -> Bool? {
        try container.decodeIfPresent(Bool.self, forKey: field)
    }

    func uuid(_ field: HeaderField) throws -> UUID? {
        guard let text = try text(field) else { return nil }
        guard let uuid = UUID(uuidString: text) else {
            throw MessageFormatError(
                .invalidValue,
                field: field.name,
                "\(MessageFormatError.quote(text)) is not a UUID"
            )
        }
        return uuid
    }

    func node(_ field: HeaderField) throws -> NodeID? {
        guard let text = try text(field) else { return nil }
        return try Self.node(text, field)
    }

    func nodes(_ field: HeaderField) throws -> [NodeID]? {
        try container.decodeIfPresent([String].self, forKey: field)?.map { try Self.node($0, field) }
    }

    private static func node(_ text: String, _ field: HeaderField) throws -> NodeID {
        guard let node = NodeID(text) else {
            throw MessageFormatError(
                .invalidValue,
                field: field.name,
                "\(MessageFormatError.quote(text)) is not a node ID (1-64 of A-Z, 0-9 and '-', starting with a letter)"
            )
        }
        return node
    }

    func enumValue<Value: WireEnum>(_ field: HeaderField) throws -> Value? {
        guard let text = try text(field) else { return nil }
        return try Self.enumValue(text, field)
    }

    func enumList<Value: WireEnum>(_ field: HeaderField) throws -> [Value] {
        try texts(field).map { try Self.enumValue($0, field) }
    }

    private static func enumValue<Value: WireEnum>(_ text: String, _ field: HeaderField) throws -> Value {
        guard let value = Value(rawValue: text) else {
            throw MessageFormatError(
                .unknownValue,
                field: field.name,
                "\(MessageFormatError.quote(text)) is not one of \(Value.spellings)"
            )
        }
        return value
    }

    /// A country code or a list of them; `GR` is read as `EL`.
    func states(_ field: HeaderField) throws -> [MemberState] {
        let texts: [String]
        if let single = try? container.decodeIfPresent(String.self, forKey: field) {
            texts = [single]
        } else {
            texts = try self.texts(field)
        }
        return try texts.map { text in
            guard let state = MemberState(code: text) else {
                throw MessageFormatError(
                    .unknownValue,
                    field: field.name,
                    "\(MessageFormatError.quote(text)) is not one of \(MemberState.spellings) (or GR)"
                )
            }
            return state
        }
    }

    func language(_ field: HeaderField) throws -> LanguageCode? {
        guard let text = try text(field) else { return nil }
        guard let language = LanguageCode(text) else {
            throw MessageFormatError(
                .invalidValue,
                field: field.name,
                "\(MessageFormatError.quote(text)) is not a two-letter language code"
            )
        }
        return language
    }

    func timestamp(_ field: HeaderField) throws -> Timestamp? {
        guard let text = try text(field) else { return nil }
        guard let timestamp = Timestamp(rfc3339: text) else {
            throw MessageFormatError(
                .invalidValue,
                field: field.name,
                "\(MessageFormatError.quote(text)) is not an RFC 3339 time"
            )
        }
        return timestamp
    }

    func evaluation(_ field: HeaderField) throws -> Evaluation? {
        guard let pair = try container.decodeIfPresent([String: String].self, forKey: field) else { return nil }
        if let unknown = pair.keys.first(where: { $0 != "source" && $0 != "info" }) {
            throw MessageFormatError(
                .unknownField,
                field: "\(field.name).\(unknown)",
                "an evaluation has 'source' and 'info'"
            )
        }
        guard let source = pair["source"], let info = pair["info"] else {
            throw MessageFormatError(.missingField, field: field.name, "an evaluation needs both 'source' and 'info'")
        }
        guard source.count == 1, info.count == 1, let evaluation = Evaluation(source: source.first!, info: info.first!)
        else {
            throw MessageFormatError(.invalidValue, field: field.name, "each code is one printable ASCII character")
        }
        return evaluation
    }
}
