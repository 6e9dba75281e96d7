extension Header {
    /// Checks what the types alone do not: the documented limits, non-empty text, no duplicate recipients or list
    /// entries. The encoder and both decoders call it, so a header that passes is one the wire can carry.
    public func validate() throws(MessageFormatError) {
        guard !to.isEmpty else {
            throw MessageFormatError(
                .missingField,
                field: HeaderField.to.name,
                "a message needs at least one addressee"
            )
        }
        guard to.count + cc.count <= WireLimits.maximumRecipients else {
            throw MessageFormatError(
                .tooLong,
                field: (to.count > WireLimits.maximumRecipients ? HeaderField.to : .cc).name,
                "\(to.count + cc.count) recipients; at most \(WireLimits.maximumRecipients) in to and cc together"
            )
        }
        try Self.checkUnique(to, .to)
        if !cc.isEmpty { try Self.checkUnique(to + cc, .cc) }
        try Self.checkList(crimeAreas, .crimeAreas)
        try Self.checkList(affectedStates, .affectedStates)
        try Self.checkList(dataSubjectCategories, .dataSubjectCategories)
        try Self.checkList(providerPermissionTokens, .providerPermissionTokens)
        for token in providerPermissionTokens {
            try Self.checkText(token, .providerPermissionTokens, limit: WireLimits.maximumIdentifierBytes)
        }
        try Self.checkText(caseID, .caseID, limit: WireLimits.maximumIdentifierBytes)
        try Self.checkText(sisAlertID, .sisAlertID, limit: WireLimits.maximumIdentifierBytes)
        try Self.checkText(prumHitRef, .prumHitRef, limit: WireLimits.maximumIdentifierBytes)
        try Self.checkText(
            strictNecessityAssessmentID,
            .strictNecessityAssessmentID,
            limit: WireLimits.maximumIdentifierBytes
        )
        try Self.checkText(h3Text, .h3Text, limit: WireLimits.maximumTextBytes)
        try Self.checkText(copyToEuropolReason, .copyToEuropolReason, limit: WireLimits.maximumTextBytes)
    }

    private static func checkUnique(_ nodes: [NodeID], _ field: HeaderField) throws(MessageFormatError) {
        if let repeated = firstRepeated(nodes) {
            throw MessageFormatError(.invalidValue, field: field.name, "\(repeated) is addressed more than once")
        }
    }

    private static func checkList<Value: Hashable>(_ values: [Value], _ field: HeaderField) throws(MessageFormatError) {
        guard values.count <= WireLimits.maximumListEntries else {
            throw MessageFormatError(
                .tooLong,
                field: field.name,
                "\(values.count) entries; at most \(WireLimits.maximumListEntries)"
            )
        }
        if let repeated = firstRepeated(values) {
            throw MessageFormatError(.invalidValue, field: field.name, "\(repeated) is listed more than once")
        }
    }

    /// The first value that occurs twice. Lists are short (at most 64), so pairwise comparison beats building
    /// a set on the hot path.
    private static func firstRepeated<Value: Equatable>(_ values: [Value]) -> Value? {
        guard values.count > 1 else { return nil }
        for index in values.indices.dropFirst() where values[..<index].contains(values[index]) {
            return values[index]
        }
        return nil
    }

    private static func checkText(_ text: String?, _ field: HeaderField, limit: Int) throws(MessageFormatError) {
        guard let text else { return }
        let count = text.utf8.count
        guard count > 0 else {
            throw MessageFormatError(.invalidValue, field: field.name, "empty text; omit the field instead")
        }
        guard count <= limit else {
            throw MessageFormatError(.tooLong, field: field.name, "\(count) bytes; at most \(limit)")
        }
    }
}
