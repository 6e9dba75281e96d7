import EIXMModel
import EIXMRules
import Foundation

extension ExerciseNode {
    /// Decides what to do with a message addressed or copied to this node.
    func act(on header: Header, asCopy: Bool) {
        let now = clock.now
        if nodeID == .europol {
            // Europol cross-matches everything it receives; it answers only requests addressed to it (operational
            // support), not the copies and information it is sent.
            scheduleHits(for: header, now: now)
            guard header.messageType == .request else { return }
        }
        guard !asCopy else { return }
        if header.messageType == .reply || header.messageType == .refusal, let request = header.inReplyTo,
            awaitingAnswers.remove(request) != nil
        {
            statistics.answersReceived += 1
        }
        switch header.messageType {
        case .request:
            let roll = Double.random(in: 0..<1, using: &random)
            let kind: ScheduledAnswer.Kind
            if roll < behaviour.refusalShare {
                kind = .refusal(
                    [.notAvailable, .investigation, .lowPenalty, .dataQuality].randomElement(using: &random)!
                )
            } else if roll < behaviour.refusalShare + behaviour.clarificationShare {
                kind = .clarificationRequest
            } else if roll < behaviour.refusalShare + behaviour.clarificationShare + behaviour.delayNoticeShare {
                kind = .delayNotice
            } else {
                kind = .reply
            }
            schedule(kind, to: header, after: delay(now: now, factor: kind.isImmediate ? 0.1 : 1))
        case .clarificationRequest:
            schedule(.clarification, to: header, after: delay(now: now, factor: 0.2))
        case .clarification:
            if let request = header.inReplyTo.flatMap({ requestOf(clarificationRequest: $0) }) {
                schedule(.reply, to: request, after: delay(now: now, factor: 0.5))
            }
        default:
            break
        }
    }

    private func delay(now: Timestamp, factor: Double) -> Timestamp {
        let hours = Double.random(in: behaviour.replyDelayHours, using: &random) * factor
        return Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + Int64(hours * 3_600_000))
    }

    private func schedule(_ kind: ScheduledAnswer.Kind, to header: Header, after time: Timestamp) {
        let answer = ScheduledAnswer(number: nextAnswerNumber, kind: kind, to: header, at: time)
        nextAnswerNumber += 1
        if journal != nil, let entry = answer.journalEntry { journalEntries.append(entry) }
        answerQueue.yield(answer)
    }

    /// Europol cross-matches what it receives: on a hit it notifies the SPOCs of the states concerned.
    private func scheduleHits(for header: Header, now: Timestamp) {
        guard chance(behaviour.hitShare) else { return }
        let senderState = header.sender.spocState
        for state in header.affectedStates where state != senderState {
            schedule(.hitNotification(to: .spoc(state)), to: header, after: delay(now: now, factor: 0.05))
        }
    }

    /// The request a clarification request of ours was about.
    private func requestOf(clarificationRequest id: UUID) -> Header? {
        clarificationsSent[id]
    }

    /// Sends each scheduled answer when it is due; ends when the queue is finished.
    func sendAnswers() async {
        await withTaskGroup(of: Void.self) { group in
            for await answer in answers {
                group.addTask {
                    do { try await self.clock.sleep(until: answer.at) } catch { return }
                    await self.answer(answer)
                }
            }
        }
    }

    private func answer(_ answer: ScheduledAnswer) {
        guard !stopped else { return }
        let request = answer.to
        if journal != nil { journalEntries.append(.answerSent(answer.number)) }
        var header = Header(answering: request, id: newID(), from: nodeID, type: .reply, createdAt: clock.now)
        header.handlingCodes = HandlingCodes([.h0])
        header.copyToEuropol = false
        header.copyToEuropolReason = "the requester decided on the Europol copy"
        switch answer.kind {
        case .reply:
            statistics.answered += 1
            countDeadline(of: request.id)
        case .refusal(let reason):
            header.messageType = .refusal
            header.refusalReason = reason
            header.refusalScope = .full
            header.refusalGroundScope = .full
            statistics.answered += 1
            countDeadline(of: request.id)
        case .clarificationRequest:
            header.messageType = .clarificationRequest
            clarificationsSent[header.id] = request
            if journal != nil, let bytes = try? request.canonicalBytes() {
                journalEntries.append(.clarifying(header.id, request: Data(bytes)))
            }
        case .clarification:
            header.messageType = .clarification
        case .delayNotice:
            header.messageType = .delayNotice
            header.judicialAuthorisationRequired = true
            schedule(.reply, to: request, after: delay(now: clock.now, factor: 1))
        case .hitNotification(let spoc):
            header = Header(
                id: newID(),
                sender: nodeID,
                to: [spoc],
                channel: .siena,
                messageType: .hitNotification,
                legalBasis: .er2016794,
                createdAt: clock.now
            )
            header.caseID = request.caseID
            header.crimeAreas = request.crimeAreas
            header.affectedStates = request.affectedStates
            header.language = .english
            header.purpose = .criminalIntelligence
            header.handlingCodes = HandlingCodes([.h0])
            statistics.hitNotifications += 1
        }
        transmit(header, body: TrafficMix.body(for: header))
    }
}

extension ExerciseNode {
    /// Counts an answer against the deadline of the request it answers (as this node sees it; the router's count
    /// also knows paused and extended deadlines).
    func countDeadline(of request: UUID) {
        guard let deadline = receivedDeadlines.removeValue(forKey: request) else { return }
        if clock.now <= deadline {
            statistics.answeredInTime += 1
        } else {
            statistics.answeredLate += 1
        }
    }
}

extension ScheduledAnswer.Kind {
    /// Clarification requests and delay notices go out at once (Art 5(2), Art 6(3)).
    var isImmediate: Bool {
        switch self {
        case .clarificationRequest, .delayNotice: true
        default: false
        }
    }
}
