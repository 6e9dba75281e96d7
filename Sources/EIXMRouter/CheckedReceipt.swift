import EIXMModel

/// A recipient's receipt as the router actor receives it from the connection's task: its signature already checked
/// there (`verified`) and the digests it names in hex.
struct CheckedReceipt {
    let receipt: DeliveryReceipt
    let verified: Bool
    let headerDigest: String
    let bodyDigest: String
}
