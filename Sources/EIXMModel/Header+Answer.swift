import Foundation

extension Header {
    /// A message of `type` from `sender` answering `request` (a reply, refusal, clarification request, delay
    /// notice or clarification): addressed to the request's sender in the same case, on the same channel and legal
    /// basis, about the same crime areas and states, in the same language and for the same purpose, and about the
    /// same SIS alert (a SIRENE answer names it, CH-08). Handling codes and the Europol copy are the answerer's to
    /// set.
    public init(answering request: Header, id: UUID, from sender: NodeID, type: MessageType, createdAt: Timestamp) {
        self.init(
            id: id,
            sender: sender,
            to: [request.sender],
            channel: request.channel,
            messageType: type,
            legalBasis: request.legalBasis,
            createdAt: createdAt
        )
        caseID = request.caseID
        inReplyTo = request.id
        crimeAreas = request.crimeAreas
        affectedStates = request.affectedStates
        language = request.language
        purpose = request.purpose
        sisAlertID = request.sisAlertID
    }
}
