import Crypto
import EIXMModel
import Foundation
import SwiftASN1
import X509

/// A certificate revocation list (RFC 5280 §5, version 2) signed by the exercise CA with Ed25519, as
/// `eixm pki revoke` writes it to `crl.pem` and the router reads it at start and on SIGHUP. swift-certificates has no
/// CRL type; this one is written and read with SwiftASN1 and X509's own name, serial and extension types, and
/// `openssl crl -verify` accepts it.
public struct RevocationList: Sendable, Hashable {
    /// One revoked certificate.
    public struct Entry: Sendable, Hashable {
        public let serialNumber: Certificate.SerialNumber
        public let revocationDate: Date
        public let reason: RevocationReason

        public init(serialNumber: Certificate.SerialNumber, revocationDate: Date, reason: RevocationReason) {
            self.serialNumber = serialNumber
            self.revocationDate = revocationDate
            self.reason = reason
        }
    }

    public let issuer: DistinguishedName
    /// The CRL number: one more at each issue.
    public let number: Int
    public let thisUpdate: Date
    public let nextUpdate: Date
    public let entries: [Entry]
    /// The signed part (TBSCertList) as encoded, and the CA's signature over it.
    private let signedBytes: [UInt8]
    private let signature: [UInt8]

    /// How long a list says it is current (its next update; `eixm pki show` prints it).
    public static let defaultLifetime: TimeInterval = 30 * 24 * 3600

    /// A serial number as `openssl` prints it: upper-case hex, two digits a byte.
    public static func hex(_ serial: Certificate.SerialNumber) -> String {
        serial.bytes.map { String(format: "%02X", $0) }.joined()
    }

    /// The revocation of `serial`, or `nil`.
    public func entry(for serial: Certificate.SerialNumber) -> Entry? {
        entries.first { $0.serialNumber == serial }
    }

    /// Whether the list is signed by `ca`'s key and names it as issuer.
    public func isIssued(by ca: Certificate) -> Bool {
        guard issuer == ca.subject, let key = Curve25519.Signing.PublicKey(ca.publicKey) else { return false }
        return key.isValidSignature(signature, for: signedBytes)
    }

    /// A new list with `entries`, signed now with the CA's key.
    public static func issue(
        by ca: Certificate,
        key: Curve25519.Signing.PrivateKey,
        number: Int,
        entries: [Entry],
        now: Date = Date(),
        lifetime: TimeInterval = defaultLifetime
    ) throws(CredentialError) -> RevocationList {
        let thisUpdate = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let nextUpdate = thisUpdate.addingTimeInterval(lifetime)
        do {
            var tbs = DER.Serializer()
            try tbs.appendConstructedNode(identifier: .sequence) { body in
                try body.serialize(1)  // v2
                try Self.serializeAlgorithm(into: &body)
                try body.serialize(ca.subject)
                try Self.serialize(thisUpdate, into: &body)
                try Self.serialize(nextUpdate, into: &body)
                if !entries.isEmpty {
                    try body.appendConstructedNode(identifier: .sequence) { list in
                        for entry in entries {
                            try list.appendConstructedNode(identifier: .sequence) { item in
                                try item.serialize(entry.serialNumber.bytes)
                                try Self.serialize(entry.revocationDate, into: &item)
                                // RFC 5280 §5.3.1: the reason code is left out rather than written as unspecified.
                                if entry.reason != .unspecified {
                                    try item.appendConstructedNode(identifier: .sequence) { extensions in
                                        try extensions.serialize(try Self.reasonExtension(entry.reason))
                                    }
                                }
                            }
                        }
                    }
                }
                try body.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific))
                {
                    tagged in
                    try tagged.appendConstructedNode(identifier: .sequence) { extensions in
                        if let keyID = try ca.extensions.subjectKeyIdentifier?.keyIdentifier {
                            try extensions.serialize(
                                try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: keyID), critical: false)
                            )
                        }
                        var numberBytes = DER.Serializer()
                        try numberBytes.serialize(number)
                        try extensions.serialize(
                            Certificate.Extension(
                                oid: Self.crlNumberOID,
                                critical: false,
                                value: numberBytes.serializedBytes[...]
                            )
                        )
                    }
                }
            }
            let signedBytes = tbs.serializedBytes
            let signature = Array(try key.signature(for: signedBytes))
            return RevocationList(
                issuer: ca.subject,
                number: number,
                thisUpdate: thisUpdate,
                nextUpdate: nextUpdate,
                entries: entries,
                signedBytes: signedBytes,
                signature: signature
            )
        } catch let error as CredentialError {
            throw error
        } catch {
            throw CredentialError(
                .signingFailed,
                subject: Self.pemLabel,
                "cannot encode the revocation list",
                cause: error
            )
        }
    }

    private init(
        issuer: DistinguishedName,
        number: Int,
        thisUpdate: Date,
        nextUpdate: Date,
        entries: [Entry],
        signedBytes: [UInt8],
        signature: [UInt8]
    ) {
        self.issuer = issuer
        self.number = number
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
        self.entries = entries
        self.signedBytes = signedBytes
        self.signature = signature
    }

    // MARK: - Encoding

    static let pemLabel = "X509 CRL"
    private static let ed25519OID: ASN1ObjectIdentifier = [1, 3, 101, 112]
    private static let crlNumberOID: ASN1ObjectIdentifier = [2, 5, 29, 20]
    private static let reasonCodeOID: ASN1ObjectIdentifier = [2, 5, 29, 21]

    /// The whole list (CertificateList), DER.
    public var derBytes: [UInt8] {
        var serializer = DER.Serializer()
        // Cannot fail: the parts were encoded (or read) before.
        try! serializer.appendConstructedNode(identifier: .sequence) { list in
            list.serializeRawBytes(signedBytes)
            try Self.serializeAlgorithm(into: &list)
            try list.serialize(ASN1BitString(bytes: signature[...]))
        }
        return serializer.serializedBytes
    }

    public var pemString: String { PEMDocument(type: Self.pemLabel, derBytes: derBytes).pemString }

    public init(pemEncoded text: String) throws(CredentialError) {
        let document: PEMDocument
        do {
            document = try PEMDocument(pemString: text)
        } catch {
            throw CredentialError(.malformedCredential, subject: Self.pemLabel, "not a PEM document")
        }
        guard document.discriminator == Self.pemLabel else {
            throw CredentialError(
                .malformedCredential,
                subject: Self.pemLabel,
                "a PEM '\(document.discriminator)', not an '\(Self.pemLabel)'"
            )
        }
        try self.init(derEncoded: document.derBytes)
    }

    public init(derEncoded bytes: [UInt8]) throws(CredentialError) {
        do {
            let root = try DER.parse(bytes)
            self = try DER.sequence(root, identifier: .sequence) { nodes in
                guard let tbsNode = nodes.next(), case .constructed = tbsNode.content else {
                    throw ASN1Error.invalidASN1Object(reason: "no TBSCertList")
                }
                var signed = DER.Serializer()
                signed.serializeRawBytes(tbsNode.encodedBytes)
                _ = nodes.next()  // the signature algorithm, checked in the signed part
                let signature = try ASN1BitString(derEncoded: &nodes)
                var list = try Self.parseSigned(tbsNode)
                list = RevocationList(
                    issuer: list.issuer,
                    number: list.number,
                    thisUpdate: list.thisUpdate,
                    nextUpdate: list.nextUpdate,
                    entries: list.entries,
                    signedBytes: signed.serializedBytes,
                    signature: Array(signature.bytes)
                )
                return list
            }
        } catch let error as CredentialError {
            throw error
        } catch {
            throw CredentialError(
                .malformedCredential,
                subject: Self.pemLabel,
                "not a readable certificate revocation list"
            )
        }
    }

    private static func parseSigned(_ node: ASN1Node) throws -> RevocationList {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let version = try Int(derEncoded: &nodes)
            guard version == 1 else { throw ASN1Error.invalidASN1Object(reason: "not a version 2 list") }
            guard let algorithm = nodes.next(), try Self.isEd25519(algorithm) else {
                throw CredentialError(.malformedCredential, subject: Self.pemLabel, "not signed with Ed25519")
            }
            guard let issuerNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no issuer") }
            let issuer = try DistinguishedName(derEncoded: issuerNode)
            guard let thisNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no thisUpdate") }
            let thisUpdate = try Self.date(thisNode)
            guard let nextNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no nextUpdate") }
            let nextUpdate = try Self.date(nextNode)
            var entries: [Entry] = []
            var number = 0
            while let node = nodes.next() {
                if node.identifier == .sequence {
                    entries = try DER.sequence(node, identifier: .sequence) { items in
                        var read: [Entry] = []
                        while let item = items.next() { read.append(try Self.entry(item)) }
                        return read
                    }
                } else if node.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific),
                    case .constructed(let inner) = node.content, let extensionsNode = inner.first(where: { _ in true })
                {
                    let extensions = try DER.sequence(
                        of: Certificate.Extension.self,
                        identifier: .sequence,
                        rootNode: extensionsNode
                    )
                    if let numberExtension = extensions.first(where: { $0.oid == Self.crlNumberOID }) {
                        number = try Int(derEncoded: numberExtension.value)
                    }
                }
            }
            return RevocationList(
                issuer: issuer,
                number: number,
                thisUpdate: thisUpdate,
                nextUpdate: nextUpdate,
                entries: entries,
                signedBytes: [],
                signature: []
            )
        }
    }

    private static func entry(_ node: ASN1Node) throws -> Entry {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let serial = try ArraySlice<UInt8>(derEncoded: &nodes)
            guard let dateNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no revocation date") }
            var reason = RevocationReason.unspecified
            if let extensionsNode = nodes.next() {
                let extensions = try DER.sequence(
                    of: Certificate.Extension.self,
                    identifier: .sequence,
                    rootNode: extensionsNode
                )
                if let code = extensions.first(where: { $0.oid == Self.reasonCodeOID }) {
                    let value = try DER.parse(code.value)
                    guard value.identifier == .enumerated, case .primitive(let bytes) = value.content, bytes.count == 1,
                        let known = RevocationReason(rawValue: bytes[bytes.startIndex])
                    else { throw ASN1Error.invalidASN1Object(reason: "unknown reason code") }
                    reason = known
                }
            }
            return Entry(
                serialNumber: Certificate.SerialNumber(bytes: serial),
                revocationDate: try Self.date(dateNode),
                reason: reason
            )
        }
    }

    private static func reasonExtension(_ reason: RevocationReason) throws -> Certificate.Extension {
        var value = DER.Serializer()
        value.appendPrimitiveNode(identifier: .enumerated) { $0.append(reason.rawValue) }
        return Certificate.Extension(oid: reasonCodeOID, critical: false, value: value.serializedBytes[...])
    }

    private static func serializeAlgorithm(into serializer: inout DER.Serializer) throws {
        try serializer.appendConstructedNode(identifier: .sequence) { try $0.serialize(ed25519OID) }
    }

    private static func isEd25519(_ node: ASN1Node) throws -> Bool {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let oid = try ASN1ObjectIdentifier(derEncoded: &nodes)
            return oid == ed25519OID && nodes.next() == nil
        }
    }

    /// RFC 5280 §5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050.
    private static func serialize(_ date: Date, into serializer: inout DER.Serializer) throws {
        let parts = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let (year, month, day) = (parts.year!, parts.month!, parts.day!)
        let (hour, minute, second) = (parts.hour!, parts.minute!, parts.second!)
        if year < 2050 {
            try serializer.serialize(
                try UTCTime(year: year, month: month, day: day, hours: hour, minutes: minute, seconds: second)
            )
        } else {
            try serializer.serialize(
                try GeneralizedTime(
                    year: year,
                    month: month,
                    day: day,
                    hours: hour,
                    minutes: minute,
                    seconds: second,
                    fractionalSeconds: 0
                )
            )
        }
    }

    private static func date(_ node: ASN1Node) throws -> Date {
        let fields: (year: Int, month: Int, day: Int, hours: Int, minutes: Int, seconds: Int)
        if node.identifier == .utcTime {
            let time = try UTCTime(derEncoded: node)
            fields = (time.year, time.month, time.day, time.hours, time.minutes, time.seconds)
        } else {
            let time = try GeneralizedTime(derEncoded: node)
            fields = (time.year, time.month, time.day, time.hours, time.minutes, time.seconds)
        }
        let parts = DateComponents(
            year: fields.year,
            month: fields.month,
            day: fields.day,
            hour: fields.hours,
            minute: fields.minutes,
            second: fields.seconds
        )
        guard let date = utc.date(from: parts) else { throw ASN1Error.invalidASN1Object(reason: "not a date") }
        return date
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
