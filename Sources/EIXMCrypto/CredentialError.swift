/// The error of the identity, signature and PKI layer: a code, the subject (a node, a file or a field) and a
/// human explanation, with an optional underlying cause.
public struct CredentialError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }

        /// A PKI folder already holds an exercise CA and `--force` was not given.
        public static let pkiExists = Code("PKI exists")
        /// A file could not be read or written.
        public static let fileAccess = Code("file access")
        /// A PEM file, certificate or key could not be parsed, or is of the wrong kind.
        public static let malformedCredential = Code("malformed credential")
        /// A certificate's key and a private key do not belong together, or a certificate binds no node ID.
        public static let credentialMismatch = Code("credential mismatch")
        /// No certificate or key for the named node.
        public static let unknownNode = Code("unknown node")
        /// A header names a sender other than the identity asked to seal it.
        public static let senderMismatch = Code("sender mismatch")
        /// The certificate is already on the revocation list.
        public static let alreadyRevoked = Code("already revoked")
        /// Signing failed in the crypto library.
        public static let signingFailed = Code("signing failed")

        public var description: String { name }
    }

    public let code: Code
    /// What the error is about: a node ID, a path, a field.
    public let subject: String
    public let detail: String
    public let cause: (any Error & Sendable)?

    public init(_ code: Code, subject: String, _ detail: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.subject = subject
        self.detail = detail
        self.cause = cause
    }

    public var description: String {
        let because = cause.map { " (\($0))" } ?? ""
        return "\(subject): \(detail)\(because)"
    }
}
