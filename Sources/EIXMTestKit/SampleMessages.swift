import EIXMCrypto
import EIXMModel
import Foundation

/// Headers and bodies for tests and benchmarks: deterministic, so that golden vectors and measurements repeat.
public enum SampleMessages {
    /// The fixed creation time of samples: 2026-11-29T08:00:00.000Z.
    public static let createdAt = Timestamp(millisecondsSinceEpoch: 1_795_939_200_000)

    /// A fixed message ID, different for each `index`.
    public static func id(_ index: UInt8) -> UUID {
        UUID(uuid: (0x8A, 0x1F, 0x3C, 0x52, 0x0B, 0x7D, 0x4E, 0x61, 0x9A, 0x20, 0x11, 0x22, 0x33, 0x44, 0x55, index))
    }

    /// The plain request below under the ID `id(index)`.
    public static func request(_ index: UInt8) -> Header {
        var header = request()
        header.id = id(index)
        return header
    }

    /// A plain urgent request from Belgium to France under the Directive: the minimum a request carries.
    public static func request() -> Header {
        var header = Header(
            id: id(1),
            sender: .spoc(.be),
            to: [.spoc(.fr)],
            channel: .siena,
            messageType: .request,
            legalBasis: .dir2023977,
            createdAt: createdAt
        )
        header.caseID = "BE-2026-0042"
        header.urgency = .urgent
        header.urgencyReason = .imminentThreatLifeOrPhysicalIntegrity
        header.accessibility = .direct
        header.crimeAreas = [.drugTrafficking]
        header.affectedStates = [.be, .fr]
        header.purpose = .crimeInvestigation
        header.language = .english
        header.handlingCodes = HandlingCodes([.h0])
        return header
    }

    /// A header with every field set: the widest case for codecs.
    public static func everyField() -> Header {
        var header = request()
        header.id = id(2)
        header.inReplyTo = id(1)
        header.cc = [.europol, .spoc(.nl)]
        header.crimeAreas = [.drugTrafficking, .moneyLaundering, .organisedCrime]
        header.affectedStates = [.be, .fr, .nl]
        header.handlingCodes = HandlingCodes([.h0, .h2, .h3])
        header.h3Text = "Not to be shared with customs before 2026-12-15."
        header.evaluation = Evaluation(source: "B", info: "2")
        header.classification = .euRestricted
        header.containsPersonalData = true
        header.dataSubjectCategories = [.suspect, .contactOrAssociate]
        header.originatorState = .nl
        header.originatorConsent = true
        header.sienaException = .urgentTemporary
        header.sisAlertID = "SIS-FR-000123456"
        header.prumHitRef = "PRUM-DNA-BE-77"
        header.assistanceRequested = false
        header.strictNecessityAssessmentID = "SNA-2026-17"
        header.refusalReason = .investigation
        header.payloadType = .narrative
        header.noCopyReason = .safetyOfPerson
        header.copyToEuropol = true
        header.copyToEuropolReason = "Organised drug trafficking affecting three Member States."
        header.providerPermissionTokens = ["PERM-NL-1", "PERM-NL-2"]
        header.evidenceConsent = false
        header.judicialAuthorisationRequired = true
        header.transferBasis = .adequacyDecision
        header.collectionContext = .crossBorderCrime
        header.jitEvent = .jitSetUp
        header.refusalScope = .partial
        header.refusalGroundScope = .partial
        header.forwardedFrom = id(3)
        return header
    }

    /// A header of each message type, with the fields that type typically carries.
    public static func ofEveryType() -> [Header] {
        MessageType.allCases.enumerated().map { index, type in
            var header = request()
            header.id = id(UInt8(16 + index))
            header.messageType = type
            switch type {
            case .request, .spontaneous, .copy:
                break
            case .reply, .clarificationRequest, .clarification, .delayNotice, .ack:
                header.sender = .spoc(.fr)
                header.to = [.spoc(.be)]
                header.inReplyTo = id(1)
                header.urgency = nil
                header.urgencyReason = nil
            case .refusal:
                header.sender = .spoc(.fr)
                header.to = [.spoc(.be)]
                header.inReplyTo = id(1)
                header.refusalReason = .notAvailable
                header.refusalScope = .full
            case .hitNotification:
                header.sender = .europol
                header.to = [.spoc(.be), .spoc(.fr)]
            }
            return header
        }
    }

    /// A body of `count` bytes of readable text, the same for the same count.
    public static func body(count: Int) -> [UInt8] {
        let text = Array("Subject seen at the Antwerp port terminal with two couriers; vehicle plates follow. ".utf8)
        return (0..<count).map { text[$0 % text.count] }
    }
}

extension NodeIdentity {
    /// This recipient's receipt (one Ed25519 signature) for a delivered envelope, received at `time`.
    public func receipt(
        forDelivered envelope: [UInt8],
        at time: Timestamp = Timestamp(millisecondsSinceEpoch: 0)
    ) throws -> DeliveryReceipt {
        let envelope = try Envelope(wireBytes: envelope)
        return try receipts([DeliveryReceipt.Content(receiving: envelope, at: time)], mode: .perMessage)[0]
    }
}
