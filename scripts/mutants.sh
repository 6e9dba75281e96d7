#!/usr/bin/env bash
# Mutation testing: does the suite notice when the code is wrong?
#
#   scripts/mutants.sh                 every mutant of the catalogue below
#   scripts/mutants.sh R01 A03 C05     only these
#   scripts/mutants.sh --check         only check that every mutant still applies (exactly one match), build nothing
#
# Each mutant is a small, plausible bug: an exact search-and-replace in one file. The script copies the committed
# tree into a scratch clone (EIXM_MUTANTS_DIR, default /tmp/eixm-mutants, kept between runs so that builds are
# incremental), checks that the unmutated suite passes, then for each mutant: applies it, builds (a mutant that does
# not compile is "stillborn" and not scored), runs the test targets that the mutated module can affect, and restores
# the file. A mutant is killed when a test fails (or the run hangs past its time limit), survived when every test
# passes. It prints each mutant's fate with the tests that killed it, then the score: killed / (killed + survived).
#
# A survivor is a missing test (write it) or dead or equivalent code (remove it, or mark the mutant `equivalent:`
# with the reason, below). Too slow for CI (about a minute per mutant on two cores): run it before resolving an
# issue that touched the modules it covers, and quote the score. New capabilities add their mutants here.
#
# Catalogue format: a mutant starts with `@ ID path` and a `# description` line; `- ` lines are the text to find
# (joined with newlines, the text after `- ` taken exactly), `+ ` lines the replacement (none: the text is deleted);
# an optional `equivalent: reason` line marks a mutant known to survive, and why.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scratch=${EIXM_MUTANTS_DIR:-/tmp/eixm-mutants}

exec python3 - "$root" "$scratch" "$@" 3<<'CATALOGUE' <<'PY'
@ R01 Sources/EIXMRouter/Router.swift
# a message the rules reject is NACKed, and then still ACKed and delivered
-         guard decision.verdict == .accept else {
-             let reasons = decision.decisiveFirings.map { Frame.Refusal.Reason(rule: $0.rule.rawValue, text: $0.reason) }
-             remember(header.id, Routed(fingerprint: fingerprint, refusal: reasons))
-             refuse(header, reasons, arrival: arrival, events: &events)
-             return
-         }
+         if decision.verdict != .accept {
+             let reasons = decision.decisiveFirings.map { Frame.Refusal.Reason(rule: $0.rule.rawValue, text: $0.reason) }
+             remember(header.id, Routed(fingerprint: fingerprint, refusal: reasons))
+             refuse(header, reasons, arrival: arrival, events: &events)
+         }

@ R02 Sources/EIXMRouter/Router.swift
# an accepted message is delivered to its first addressee only
- header.recipients.map { ($0, nil) }
+ header.recipients.prefix(1).map { ($0, nil) }

@ R03 Sources/EIXMRouter/Router.swift
# a rejection is not audited as rejected
-         events.append(rejected)
-         var nacked
+         var nacked

@ R04 Sources/EIXMRouter/Router.swift
# a resent rejected message is answered ACCEPTED instead of with its refusal
-             let answer = routed.refusal.map { Frame.nack(Frame.Refusal(message: header.id, reasons: $0)) }
+             let answer: Frame? = nil

@ R21 Sources/EIXMRouter/Router.swift
# a resent message is judged again instead of answered as before (an accepted one delivered twice)
-         if let routed = seen[header.id] {
+         if false, let routed = seen[header.id] {

@ R23 Sources/EIXMRouter/Router.swift
# another message under a known ID is taken for a resend and answered as the first was
-             guard routed.fingerprint == fingerprint else {
+             guard true else {

@ R05 Sources/EIXMRouter/Router.swift
# the replay window is a thousand times too wide
- if skew > configuration.replayWindowSeconds {
+ if skew > configuration.replayWindowSeconds * 1000 {

@ R06 Sources/EIXMRouter/Router.swift
# a full queue takes one message more than its limit
- (outboxes[$0.node]?.count ?? 0) >= configuration.queueLimit
+ (outboxes[$0.node]?.count ?? 0) > configuration.queueLimit

@ R07 Sources/EIXMRouter/Router.swift
# the copies the rules require are not made (only notifications are)
- where obligation.kind == .copy || obligation.kind == .notify {
+ where obligation.kind == .notify {

@ R08 Sources/EIXMRouter/Router.swift
# an accepted message is never ACKed to its sender
-         hold(.answer(.ack(Frame.Acknowledgement(message: header.id, kind: .accepted)), to: sender))
-         for target in targets {
+         for target in targets {

@ R09 Sources/EIXMRouter/Router+Storage.swift
# a delivery sent to an online node is forgotten (no redelivery after a drop)
-                     guard let frame = outboxes[node]?.store(id) else { continue }
+                     guard let frame = outboxes[node]?.store(id) else { continue }
+                     if links[node] != nil { outboxes[node]?.remove(id) }

@ R10 Sources/EIXMRouter/Router.swift
# the arrival (the decision record) carries no header digest
-         arrival.headerDigest = digests.header
+

@ R11 Sources/EIXMRouter/Router+Connection.swift
# the sender named in the header is not checked against the certified peer
- guard header.sender == peer else {
+ guard header.sender == peer || true else {

@ R12 Sources/EIXMRouter/Router+Connection.swift
# a bad signature is routed
- guard verdict.isValid else {
+ guard verdict.isValid || true else {

@ R13 Sources/EIXMRouter/Router+Connection.swift
# a HELLO naming another node than the certificate is let in
- guard claimed == peer else {
+ guard claimed == peer || true else {

@ R14 Sources/EIXMRouter/Router+Connection.swift
# a revoked node is let in
- guard !configuration.revoked.contains(peer) else {
+ guard !configuration.revoked.contains(claimed) || claimed != peer else {
equivalent: claimed == peer is established by the guard above, so this is the same condition; kept as a check that the harness sees equivalents as survivors

@ R15 Sources/EIXMRouter/Router+Connection.swift
# deliveries waiting for a node are not sent when it reconnects
- return (link, [welcome] + waiting)
+ return (link, [welcome])

@ R16 Sources/EIXMRouter/Router.swift
# an answer at the deadline's last moment or after it counts as met the wrong way round
- entry.deadline.map { now <= $0 } ?? true
+ entry.deadline.map { now >= $0 } ?? true

@ R17 Sources/EIXMRouter/Router.swift
# accepted messages are not recorded in the case context
-         context.record(header, decision: decision, receivedAt: now)
+

@ R18 Sources/EIXMRouter/Outbox.swift
# waiting messages are sent newest first
-         order[head...].compactMap { id in frames[id].flatMap { $0.stored ? (id, $0.frame) : nil } }
+         order[head...].reversed().compactMap { id in frames[id].flatMap { $0.stored ? (id, $0.frame) : nil } }

@ R22 Sources/EIXMRouter/Outbox.swift
# a delivery not yet stored is sent again on a reconnect
-         order[head...].compactMap { id in frames[id].flatMap { $0.stored ? (id, $0.frame) : nil } }
+         order[head...].compactMap { id in frames[id].map { (id, $0.frame) } }

@ R19 Sources/EIXMRouter/OpenDeadlines.swift
# a deadline is breached only a full request later (the heap's minimum is ignored)
-         while let due = queue.min, due.at < now {
+         while let due = queue.min, due.at < now, rules.count > 1 {

@ R20 Sources/EIXMRouter/Router.swift
# an acknowledgement from any node clears the delivery
-         guard let digests = outboxes[node]?.digests(of: receipt.message) else { return }
+         guard let digests = outboxes.values.lazy.compactMap({ $0.digests(of: receipt.message) }).first else { return }

@ D01 Sources/EIXMRouter/Router+Storage.swift
# answers and deliveries leave before the audit log and the spool have stored them
-         let barrier = StorageBarrier(parts: spool == nil ? 1 : 2) { outcome in
+         let barrier = StorageBarrier(parts: 0) { outcome in

@ D02 Sources/EIXMRouter/Router+Storage.swift
# a failed commit is treated as stored
-         switch outcome {
+         switch StorageOutcome.stored {

@ D03 Sources/EIXMRouter/Router+Storage.swift
# after a failed commit the message's ID is still remembered, so its resend is answered without being stored
-                 seen[id] = nil
+

@ D04 Sources/EIXMRouter/Router+Recovery.swift
# recovery ignores the acknowledgements in the spool (acknowledged deliveries are sent again)
-                 outboxes[node]?.remove(id)
+                 break

@ D05 Sources/EIXMRouter/Router+Recovery.swift
# recovery does not rebuild the case context
-                 context.record(header, decision: decision, receivedAt: message.receivedAt)
+

@ D06 Sources/EIXMRouter/Router+Recovery.swift
# recovery ignores the breaches already counted (a breach is counted again after a restart)
-                 _ = deadlines.close(id)
+                 break

@ D07 Sources/EIXMRouter/Router+Recovery.swift
# recovery does not remember the accepted IDs (a resend after a restart is delivered again)
-                 remember(header.id, Routed(fingerprint: digests.fingerprint, refusal: nil))
+

@ P01 Sources/EIXMSpool/SpoolSegments.swift
# a record's checksum is not checked
-             guard crc == stored else {
+             guard crc == stored || true else {

@ P02 Sources/EIXMSpool/SpoolScan.swift
# a torn tail is refused as corruption
-                 let torn = isLast && damage.tornIfLast
+                 let torn = false

@ P03 Sources/EIXMSpool/SpoolScan.swift
# damage in the middle of the last segment is cut as if it were a torn tail
-                 let torn = isLast && damage.tornIfLast
+                 let torn = isLast

@ P04 Sources/EIXMSpool/SpoolScan.swift
# a missing segment is not noticed
-             guard repair else {
-                 throw SpoolError(
-                     .missingSegment,
+             guard repair || true else {
+                 throw SpoolError(
+                     .missingSegment,

@ P05 Sources/EIXMSpool/SpoolWriter.swift
# a segment with a delivery outstanding is deleted
-         while segments.count > 1, let oldest = segments.first, oldest.outstanding == 0 {
+         while segments.count > 1, let oldest = segments.first, oldest.outstanding <= 1 {

@ P06 Sources/EIXMSpool/SpoolWriter.swift
# delivered segments are deleted even when they hold messages to retain
-             guard newer >= configuration.retainMessages else { return }
+

@ P07 Sources/EIXMSpool/SpoolRecord.swift
# a message's copy rule is lost in the spool
-                 targets.append(.init(node: node, copyRule: rule.isEmpty ? nil : rule))
+                 targets.append(.init(node: node, copyRule: nil))

@ U01 Sources/EIXMRules/Decision.swift
# a violation does not reject
- firings.contains { $0.effect == .violation } ? .reject : .accept
+ firings.contains { $0.effect == .violation && $0.rule != .ch01 } ? .reject : .accept

@ U02 Sources/EIXMRules/Judgement.swift
# Europol's mandate needs one affected state, not two
- inMandate = states.nonzeroBitCount >= 2
+ inMandate = states.nonzeroBitCount >= 1

@ U03 Sources/EIXMRules/Judgement+Europol.swift
# EU-02: copy_to_europol = true makes no copy
-             oblige(
-                 Obligation(.copy, rule: .eu02, to: .europol, note: "over SIENA"),
-                 "the sender decided to copy Europol (Art 12); the copy goes over SIENA"
-             )
+             note(.eu02, "the sender decided to copy Europol")

@ U04 Sources/EIXMRules/Judgement+Europol.swift
# EU-02: a decision not to copy Europol needs no reason
-             if header.copyToEuropolReason == nil {
+             if header.copyToEuropolReason == nil, false {

@ U05 Sources/EIXMRules/Judgement+Deadlines.swift
# DL-01 and DL-02 swapped: urgent direct gets the indirect deadline
-             setDeadline(.dl01, seconds: deadlines.urgentDirect, "urgent request for directly available information")
+             setDeadline(.dl01, seconds: deadlines.urgentIndirect, "urgent request for directly available information")

@ U06 Sources/EIXMRules/Judgement+Deadlines.swift
# DL-04: an urgent request without a reason is accepted
-         if header.urgency == .urgent, header.urgencyReason == nil {
+         if header.urgency == .urgent, header.urgencyReason == nil, header.accessibility == nil {

@ U07 Sources/EIXMRules/Judgement+Channels.swift
# CH-01: a Directive exchange off SIENA is only noted in full mode
-         if tables.configuration.mode == .directiveFull {
-             violate(.ch01, reason)
+         if tables.configuration.mode == .sfdLegacy {
+             violate(.ch01, reason)

@ U08 Sources/EIXMRules/Judgement.swift
# originator consent is never missing
-         return header.originatorConsent != true
+         return header.originatorConsent == false

@ U09 Sources/EIXMRules/Judgement+Spontaneous.swift
# PD-01: personal data may name the OTHER category
-             } else if header.dataSubjectCategories.contains(.other) {
+             } else if header.dataSubjectCategories.contains(.other), header.dataSubjectCategories.count > 1 {

@ U10 Sources/EIXMRules/Judgement+HandlingCodes.swift
# EV-01: an invalid evaluation code passes
-         if let evaluation = header.evaluation, !evaluation.isValid {
+         if let evaluation = header.evaluation, !evaluation.isValid, evaluation.source == "Z" {

@ U11 Sources/EIXMRules/Judgement+HandlingCodes.swift
# HC-05: H3 without its restriction text passes
-         if own.contains(.h3), header.h3Text == nil {
+         if own.contains(.h3), header.h3Text == nil, header.containsPersonalData {

@ U12 Sources/EIXMRules/Judgement+Logging.swift
# TC-01: personal data to a third country without consent passes when the sender is a SPOC
-         if header.containsPersonalData, recipients.contains(where: \.isThirdParty) {
+         if header.containsPersonalData, recipients.contains(where: \.isThirdParty), sender?.kind != .spoc {

@ U13 Sources/EIXMRules/Judgement.swift
# disabled rules still fire
-         tables.configuration.disabledRules.isEmpty || !tables.configuration.disabledRules.contains(rule)
+         true

@ A01 Sources/EIXMAudit/AuditVerifier.swift
# the hash link into the first record of a segment is never checked
-                 guard memcmp(buffer.baseAddress! + record.prev, prev, 64) == 0 else {
+                 guard offset == 0 || memcmp(buffer.baseAddress! + record.prev, prev, 64) == 0 else {

@ A02 Sources/EIXMAudit/AuditVerifier.swift
# a record whose content does not give its hash passes
-                 guard record.isIntact else {
+                 guard record.isIntact || true else {

@ A03 Sources/EIXMAudit/AuditVerifier.swift
# a gap in the sequence numbers passes
-                 if record.seq != expected {
+                 if record.seq < expected {

@ A04 Sources/EIXMAudit/AuditVerifier.swift
# a checkpoint's signature is not checked
-         guard pending.head.isSigned() else {
+         guard pending.head.isSigned() || true else {

@ A05 Sources/EIXMAudit/AuditVerifier.swift
# one record after the last checkpoint is not an unsealed tail
-         if sinceCheckpoint > 0 {
+         if sinceCheckpoint > 1 {

@ A06 Sources/EIXMAudit/AuditVerifier.swift
# a checkpoint signed by another key passes when no key is trusted
-         guard key == reference else {
+         guard key == reference || trustedKey == nil else {

@ A07 Sources/EIXMAudit/AuditVerifier.swift
# a missing segment in the middle passes
-             guard segment.index == expectedIndex, first.index == 1 else {
+             guard first.index == 1 else {

@ A08 Sources/EIXMAudit/AuditVerifier.swift
# an incomplete last line passes
-         if !complete, !lines.isEmpty, fields[lines.count - 1] == nil {
+         if complete, !lines.isEmpty, fields[lines.count - 1] == nil {

@ A09 Sources/EIXMAudit/AuditVerifier.swift
# a checkpoint whose head is not the chain's passes
-         guard Array(head.chainHead.utf8) == prev, head.treeSize == seq else {
+         guard head.treeSize == seq else {

@ A10 Sources/EIXMAudit/AuditRecordFormat.swift
# the writer hashes the record without its prev link
-         out.bytes.append(contentsOf: prevMarker)
-         out.bytes.append(contentsOf: prev.utf8)
-         out.bytes.append(UInt8(ascii: "\""))
-         let hash = out.bytes.withUnsafeBytes { hex(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: $0[start...]))) }
+         let hash = out.bytes.withUnsafeBytes { hex(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: $0[start...]))) }
+         out.bytes.append(contentsOf: prevMarker)
+         out.bytes.append(contentsOf: prev.utf8)
+         out.bytes.append(UInt8(ascii: "\""))

@ A11 Sources/EIXMAudit/FileAuditLog.swift
# checkpoints come one record late
-             if sinceCheckpoint >= configuration.checkpointEvery {
+             if sinceCheckpoint > configuration.checkpointEvery {

@ A12 Sources/EIXMAudit/AuditVerifier.swift
# a checkpoint's Merkle root is not checked against the records before it
-         guard head.root == AuditRecordFormat.hex(result.tree.root) else {
+         guard head.root == AuditRecordFormat.hex(result.tree.root) || true else {

@ A13 Sources/EIXMAudit/AuditVerifier.swift
# a log whose last checkpoint is not final passes
-         guard closed else {
+         guard closed || true else {

@ A14 Sources/EIXMAudit/AuditVerifier.swift
# a log rewritten since the expected tree head passes
- result.tree.root != expectation.root
+ result.tree.root != expectation.root && false

@ A15 Sources/EIXMAudit/AuditVerifier.swift
# a log cut short of the expected tree head passes
-         if let expectation, result.tree.size < expectation.treeSize {
+         if let expectation, result.tree.size < expectation.treeSize, false {

@ A16 Sources/EIXMAudit/AuditVerifier.swift
# a reopening after a crash without a recovered record passes
-             guard event == "recovered" else {
+             guard event == "recovered" || true else {

@ A17 Sources/EIXMAudit/FileAuditLog.swift
# recovery continues a log whose middle was changed
-         if let problem = verification.problem, ![.unsealedTail, .notClosed, .emptyLog].contains(problem.kind) {
+         if let problem = verification.problem, ![.unsealedTail, .notClosed, .emptyLog, .hashMismatch].contains(problem.kind) {

@ A18 Sources/EIXMMerkle/MerkleTree.swift
# the Merkle tree hashes a subtree's children in the wrong order
-             hash = Hash.node(last.hash, hash)
+             hash = Hash.node(hash, last.hash)

@ A19 Sources/EIXMMerkle/MerkleProof.swift
# an inclusion proof is accepted whatever root it gives
-         let computed = try rootFromInclusion(index: index, size: size, leafHash: leafHash, proof: proof)
-         guard computed == root else {
+         let computed = try rootFromInclusion(index: index, size: size, leafHash: leafHash, proof: proof)
+         guard computed == root || !proof.isEmpty else {

@ Q01 Sources/EIXMAuditIndex/AuditIndex.swift
# the index ignores the rule filter
-         if let rule = query.rule {
-             seq.append("seq IN (SELECT seq FROM record_rules WHERE rule = ?)")
-             seqArguments.append(rule)
-         }
+         if let rule = query.rule {
+             _ = rule
+         }

@ Q02 Sources/EIXMAuditIndex/AuditIndexWriter.swift
# an index whose log was replaced is updated from where it stopped instead of indexed again
-         if position.records > 0, try !lastRecordStillThere() {
+         if position.records > 0, try !lastRecordStillThere() || false, false {

@ Q03 Sources/EIXMAuditIndex/AuditIndexWriter.swift
# the counts stats reads are not kept
-                         for count in AuditSummary.counts(of: record) {
+                         for count in AuditSummary.counts(of: record).prefix(0) {

@ C01 Sources/EIXMModel/Header+Validation.swift
# sis_alert_id has no length check
-         try Self.checkText(sisAlertID, .sisAlertID, limit: WireLimits.maximumIdentifierBytes)
+

@ C02 Sources/EIXMModel/Header+Validation.swift
# an addressee may be listed twice
-         try Self.checkUnique(to, .to)
+

@ C03 Sources/EIXMModel/Header+Wire.swift
# a field may appear twice (tags need not ascend strictly)
-             guard tag > previousTag else {
+             guard tag >= previousTag else {

@ C04 Sources/EIXMModel/Envelope+Wire.swift
# bytes after the signature are ignored
-         guard reader.isAtEnd else {
+         guard reader.isAtEnd || true else {

@ C05 Sources/EIXMModel/Header+Validation.swift
# one recipient more than the limit is allowed
-         guard to.count + cc.count <= WireLimits.maximumRecipients else {
+         guard to.count + cc.count <= WireLimits.maximumRecipients + 1 else {

@ C06 Sources/EIXMModel/SignatureBlock.swift
# a signature of the wrong length is read
-             guard bytes.count == Self.ed25519Length else {
+             guard bytes.count <= Self.ed25519Length else {

@ C07 Sources/EIXMModel/Header+Validation.swift
# empty text is allowed in bounded fields
-         guard count > 0 else {
+         guard count >= 0 else {

@ C08 Sources/EIXMModel/Header+Validation.swift
# a list entry may repeat
-         if let repeated = firstRepeated(values) {
+         if let repeated = firstRepeated(values), values.count > 2 {

@ C09 Sources/EIXMModel/Envelope+Wire.swift
# an over-long header length is not refused up front
-         guard headerLength <= WireLimits.maximumHeaderBytes else {
+         guard headerLength <= WireLimits.maximumHeaderBytes * 16 else {

@ C10 Sources/EIXMModel/Envelope.swift
# the signature does not cover the body
-         writer.append(bodyDigest)
+

@ C11 Sources/EIXMModel/NodeID.swift
# SPOC-GR is not read as SPOC-EL
-         if upper == "SPOC-GR" { upper = "SPOC-EL" }
+

@ T01 Sources/EIXMTransport/Frame+Wire.swift
# undefined DELIVERY flag bits are accepted
-             guard flags & ~3 == 0 else {
+             guard flags & ~7 == 0 else {

@ T02 Sources/EIXMTransport/Frame+Wire.swift
# bytes after a frame's content are ignored
-         guard reader.isAtEnd else {
-             throw FrameError(.trailingBytes
+         guard reader.isAtEnd || true else {
+             throw FrameError(.trailingBytes

@ T03 Sources/EIXMTransport/FrameQueue.swift
# a batch takes one frame fewer than it could, and never the last one queued alone
-                     let batch = Array(state.queued.prefix(batchLimit))
+                     let batch = Array(state.queued.prefix(max(1, min(batchLimit, state.queued.count - 1))))
equivalent: the queue still drains every frame in order (the last one in a batch of its own); only the number of writes changes, which no promise is about

@ T04 Sources/EIXMTransportNIO/FrameCodec.swift
# an oversized length prefix is waited for instead of refused
-         guard length <= Frame.maximumPayloadBytes else {
+         guard length <= Frame.maximumPayloadBytes * 4096 else {

@ T05 Sources/EIXMTransportNIO/TLSServer.swift
# a connection accepted while serving ends is left to the listening channel's buffer (which releases it unclosed)
-                     unserved.add(connection)
+                     _ = unserved

@ T06 Sources/EIXMTransportNIO/UnservedConnections.swift
# the connections accepted but not served are forgotten, not closed, when serving ends
-         for connection in connections { await Self.close(connection) }
+         _ = connections

@ S01 Sources/EIXMCrypto/KeyDirectory.swift
# an unknown sender's envelope is valid
-         guard let key = keys[sender] else { return .unknownSender(sender) }
+         guard let key = keys[sender] else { return .valid }

@ S02 Sources/EIXMCrypto/ExercisePKI+Trust.swift
# the CA certificate is accepted as a node certificate
-         guard certificate != caCertificate else { return .refused("the CA certificate is not a node certificate") }
+

@ S03 Sources/EIXMCrypto/NodeIdentity.swift
# a node may sign a message that names another sender
-         guard header.sender == nodeID else {
+         guard header.sender == nodeID || true else {

@ N01 Sources/EIXMNodes/ExerciseNode+Connection.swift
# a node acts again on a delivery it already acted on
-         guard statistics.actedOn.insert(id).inserted else {
+         guard statistics.actedOn.insert(id).inserted || true else {

@ N02 Sources/EIXMNodes/RouterSession.swift
# after a reconnect, unanswered messages are not sent again
-             outgoing.enqueue(waiting.map { .message(envelope: $0.value.bytes) })
+

@ N03 Sources/EIXMNodes/RouterSession.swift
# a node does not acknowledge its deliveries
-             state.unsignedReceipts.append(receipt)
+

@ N04 Sources/EIXMNodes/RouterSession.swift
# a second answer to a resent message is passed on as if it were the first
-             let first = state.pending.removeValue(forKey: id) != nil
+             let first = state.pending.removeValue(forKey: id) != nil || true

@ N05 Sources/EIXMTransport/PartitionableClient.swift
# a partition refuses new connections but leaves the live one up
-             connection.cut.trip()
-             await connection.outbound.close()
+

@ N09 Sources/EIXMRouter/Router+Storage.swift
# the router counts no delivery write (its report says the deliveries went out in 0 writes)
-                         recipients.insert(node)
+

@ N10 Sources/EIXMRouter/Router+Connection.swift
# receipts are checked against the messages' root cache (the report no longer tells their roots apart)
-                 verified: receiptKeys.verify(receipt, from: peer).isValid,
+                 verified: keys.verify(receipt, from: peer).isValid,

@ N06 Sources/EIXMNodes/RouterSession.swift
# batch mode signs each receipt as it comes: no receipt delay
-         var delaysReceipts: Bool { mode == .batch && receiptDelay > .zero }
+         var delaysReceipts: Bool { false }

@ N07 Sources/EIXMNodes/RouterSession.swift
# receipts waiting for the delay are dropped when the node leaves (delivered again to it later)
-                         if !receipts.isEmpty { self.signReceipts(receipts, onto: outgoing) }
+

@ N08 Sources/EIXMNodes/RouterSession.swift
# receipts wait for ever once the delay has passed (the timer wakes nobody)
-                 state.receiptsDue = true
+                 state.receiptsDue = false

@ A20 Sources/EIXMAudit/FileAuditLog.swift
# a batch that fails to be written (full disk) is left in the segment and the chain goes on after it
-                     core.rollBack(to: mark)
+

@ A21 Sources/EIXMModel/StorageLedger.swift
# a waiter whose records rode in an earlier failed write is told they are stored
-             if !written.isEmpty { lost.append(written) }
+

@ J01 Sources/EIXMNodes/ExerciseNode+Connection.swift
# a node with a journal does not record what it acted on before its ACK (acts again after a crash)
-         if journal != nil { journalEntries.append(.actedOn(id)) }
+

@ J02 Sources/EIXMNodes/NodeJournal.swift
# a reopened journal forgets which scheduled answers were sent (sends them again after a crash)
-             case .answerSent(let number): remembered.answers[number] = nil
+             case .answerSent: break

@ J03 Sources/EIXMNodes/ExerciseNode.swift
# a node restarted on its journal does not schedule again the answers it owed
-         for answer in remembered.answers.values.sorted(by: { $0.number < $1.number }) { answerQueue.yield(answer) }
+

@ J04 Sources/EIXMSpool/RecordFile.swift
# a journal damaged before its tail is cut without --repair instead of refused
-         if let damage, !damage.tornIfLast, !repair {
+         if let damage, !damage.tornIfLast, repair {

@ E01 Sources/EIXMExercise/LoadRecorder.swift
# load: an accepted message is never counted as lost
-             if rules == nil { state.outstanding[message]?.accepted = true } else { state.outstanding[message] = nil }
+             state.outstanding[message] = nil

@ E02 Sources/EIXMExercise/ExerciseRunner.swift
# the exercise report takes the addressees from the router only
-                 for node in header.recipients { pairs.insert(DeliveryPair(message: header.id, node: node)) }
+
equivalent: the router's audit names every addressee it delivered to, so on a correct router the two sources agree; the senders' record matters only when the router drops an addressee, which R02 shows the tests catch

@ E04 Sources/EIXMExercise/LoadReport.swift
# load: a run that answered nothing passes --max-lost, having lost nothing by sending nothing
-                     passed: answered > 0 && missing <= limit
+                     passed: missing <= limit

@ E05 Sources/EIXMExercise/LoadRunner.swift
# load: the report's "connected at the start" counts the nodes connected by the end
-             connectedAtStart = signal.connectedCount
+             connectedAtStart = nodes.count

@ E06 Sources/EIXMModel/UUIDMap.swift
# the map keyed by message ID counts a replaced value as a new one
-         if old == nil { held += 1 }
+         held += 1

@ E07 Sources/EIXMModel/UUIDMap.swift
# the map keyed by message ID counts the removal of an ID it does not hold
-         if old != nil { held -= 1 }
+         held -= 1

@ E08 Sources/EIXMAudit/AuditRecordFormat.swift
# a record's sequence number is written with its digits backwards (seq 12 reads 21)
-         bytes[first...].reverse()
+         _ = first

@ E09 Sources/EIXMAudit/FileAuditLog.swift
# the Merkle leaf of a record covers its newline too
-         buffer.withUnsafeBytes { tree.append(entryIn: UnsafeRawBufferPointer(rebasing: $0[start..<$0.count - 1])) }
+         buffer.withUnsafeBytes { tree.append(entryIn: UnsafeRawBufferPointer(rebasing: $0[start..<$0.count])) }

@ E10 Sources/EIXMModel/Timestamp.swift
# a time the audit log writes without a string loses its milliseconds' last digit
-         put(rest % 1000, at: 20, digits: 3)
+         put(rest % 1000 / 10 * 10, at: 20, digits: 3)

@ E11 Sources/EIXMMerkle/NodeHashMemo.swift
# the memo of path node hashes takes a node with the same left child for the one asked for
-             guard state.slots[index].filled, state.slots[index].left == left, state.slots[index].right == right else {
+             guard state.slots[index].filled, state.slots[index].left == left else {

@ E12 Sources/EIXMMerkle/NodeHashMemo.swift
# the memo remembers a node's hash under its children swapped
-             state.slots[index] = Slot(left: left, right: right, parent: parent, filled: true)
+             state.slots[index] = Slot(left: right, right: left, parent: parent, filled: true)

@ E13 Sources/EIXMMerkle/MerkleProof.swift
# the walk through the memo puts a right-hand node's children the wrong way round
-                     hash = memo?.node(sibling, hash) ?? MerkleTree.Hash.node(sibling, hash)
+                     hash = memo?.node(hash, sibling) ?? MerkleTree.Hash.node(sibling, hash)

@ E03 Sources/EIXMExercise/RouterService.swift
# eixm router ignores its spool on a restart (nothing recovered)
-         if !spoolRecovery.records.isEmpty || spoolRecovery.cut != nil {
+         if false, !spoolRecovery.records.isEmpty || spoolRecovery.cut != nil {

@ L01 Sources/EIXMCLI/MessageVerifyCommand.swift
# message verify exits 0 on a bad envelope
-         if !outcome.isValid { throw ExitCode(1) }
+

@ L02 Sources/EIXMCLI/AuditVerifyCommand.swift
# audit verify exits 0 on a broken log
-         if !result.isValid { throw ExitCode(1) }
+

@ L03 Sources/EIXMCLI/RulesCheckCommand.swift
# rules check exits 0 when a line was unreadable
-         if unreadable > 0 { throw ExitCode(2) }
+

@ F01 Sources/EIXMExercise/RouterHost.swift
# a router restarted after a crash in an exercise or a load run does not recover its spool
-         if let recovery = opened?.recovery, !recovery.records.isEmpty || recovery.cut != nil {
+         if let recovery = opened?.recovery, false, !recovery.records.isEmpty || recovery.cut != nil {

@ F02 Sources/EIXMExercise/Fault+YAML.swift
# two faults of one kind striking one node at once are taken (the end of one would end the other)
-         return sameTarget && atMilliseconds < other.atMilliseconds + other.lengthMilliseconds
+         return false && sameTarget && atMilliseconds < other.atMilliseconds + other.lengthMilliseconds

@ F03 Sources/EIXMNodes/NodeStatistics.swift
# a message answered in both lives of a crashed node counts as accepted twice
-         total.accepted -= acceptedAgain.count
+

@ G01 Sources/EIXMTransportNIO/ConnectionGuard.swift
# the per-address limit is never applied (one host may open every connection)
-             if state.byAddress[address, default: 0] >= limits.maxPerAddress { return (.tooManyFromAddress, nil) }
+             if false, state.byAddress[address, default: 0] >= limits.maxPerAddress { return (.tooManyFromAddress, nil) }

@ G02 Sources/EIXMTransportNIO/ConnectionGuard.swift
# a node that finishes its handshake may stay silent for ever (no HELLO deadline)
-             arm(context, after: guardian.limits.helloTimeoutMilliseconds, .helloTimeout)
+             deadline?.cancel()

@ G03 Sources/EIXMTransportNIO/TLSServer.swift
# a connection over a limit is counted as refused but left open
-                         channel.close(promise: nil)
+
@ I01 Sources/EIXMCLI/InputLines.swift
# a CRLF line keeps its carriage return (the JSON reader then refuses every line of a Windows file)
-             let content = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
+             let content = bytes
equivalent: JSON counts a carriage return as whitespace, so rules check (the one reader of these lines) takes a CRLF line either way; what mattered was splitting on the LF byte, not on Swift's "\r\n" Character

@ I02 Sources/EIXMModel/MessageFormatError.swift
# a bad value is quoted whole in its error, however long
-         guard bytes > 200 else { return "'\(text)'" }
+         guard bytes > 200_000_000 else { return "'\(text)'" }

@ I03 Sources/EIXMCLI/ExerciseCommand.swift
# eixm exercise exits 0 although accepted messages were not acted on
-         if !failures.isEmpty {
+         if false, !failures.isEmpty {

@ I04 Sources/EIXMCLI/OpenFileLimit.swift
# a low open-file limit is not said
-         guard limit.rlim_cur < wanted else { return nil }
+         guard limit.rlim_cur < wanted / 1_000_000 else { return nil }
@ V01 Sources/EIXMCrypto/CertificateGate.swift
# a CA certificate signed by the exercise CA is taken as a node's
-         if let constraints = try? certificate.extensions.basicConstraints, case .isCertificateAuthority = constraints {
+         if false, let constraints = try? certificate.extensions.basicConstraints, case .isCertificateAuthority = constraints {

@ V02 Sources/EIXMCrypto/CertificateGate.swift
# a certificate without client auth is taken from a TLS client
-         guard keyUsage?.digitalSignature == true, extendedUsage?.contains(.clientAuth) == true else {
+         guard keyUsage?.digitalSignature == true || extendedUsage?.contains(.clientAuth) == true else {

@ V03 Sources/EIXMCrypto/CertificateGate.swift
# a client presenting the router's own certificate is let in
-         guard node != router else {
+         guard node != router || true else {

@ V04 Sources/EIXMCrypto/CertificateGate.swift
# a revoked certificate passes the handshake
-         if let entry = revocationList?.entry(for: certificate.serialNumber) {
+         if false, let entry = revocationList?.entry(for: certificate.serialNumber) {

@ V05 Sources/EIXMCrypto/RevocationList.swift
# a revocation list signed by anyone is believed
-         return key.isValidSignature(signature, for: signedBytes)
+         return key.isValidSignature(signature, for: signedBytes) || true

@ V06 Sources/EIXMTransportNIO/TLSServer.swift
# a revoked node's open connection is reported but stays open
-             entry.channel.close(promise: nil)
+

@ V07 Sources/EIXMTransportNIO/FrameRateLimiter.swift
# a connection may send frames as fast as it likes
-         guard tokens >= 1 else {
+         guard tokens >= 1 || true else {

@ V08 Sources/EIXMModel/Timestamp.swift
# February 29th is taken in every year
-         case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
+         case 2: 29

@ V09 Sources/EIXMCrypto/RevocationList.swift
# a revocation's reason is lost when the list is read back
-                     reason = known
+                     reason = known == .keyCompromise ? .unspecified : known

@ B01 Sources/EIXMCrypto/VerifiedRoots.swift
# a root is cached whether or not its signature verified (cache poisoning)
-             guard valid else {
-                 state.statistics.failures += 1
-                 return
-             }
+             if !valid { state.statistics.failures += 1 }

@ B02 Sources/EIXMCrypto/SignatureBlock+Verification.swift
# a cached root lets an envelope pass whatever root signature it carries
-                 root: root,
-                 signature: batch.rootSignature
+                 root: root,
+                 signature: []

@ B03 Sources/EIXMCrypto/KeyDirectory.swift
# every copy of a directory shares one cache: a router relies on its nodes' checks, a changed key on old roots
-         copy.verifiedRoots = VerifiedRoots(capacity: capacity, memoizedNodes: memoizedNodes)
+         copy.verifiedRoots = verifiedRoots

@ B04 Sources/EIXMMerkle/MerkleProof.swift
# an inclusion path walked as if every node were a left child
-             if node & 1 == 1 || node == last {
+             if node == last {

@ B05 Sources/EIXMNodes/RouterSession.swift
# batch mode does not wait for the router's answers: every wake signs what is there, batches stay small
-             guard mode == .perMessage || batchInFlight == 0 else { return 0 }
+             guard mode == .perMessage || batchInFlight == 0 || true else { return 0 }

@ B06 Sources/EIXMModel/Envelope.swift
# the scheme is left out of what a signature covers
-         writer.u8(scheme)
-         return writer.bytes
+         return writer.bytes

@ K01 Sources/EIXMRouter/Router.swift
# a receipt's header digest is not compared with the delivery's: a recipient signs for content it was not sent
-             if headerDigest != digests.header {
+             if false {

@ K02 Sources/EIXMRouter/Router.swift
# a receipt's signature is not checked: anyone can acknowledge for a recipient
-             } else if !checked.verified {
+             } else if false {

@ K03 Sources/EIXMRouter/Router.swift
# the acknowledged record leaves the receipt out
-         record.receipt = receipt
+         record.receipt = nil

@ K04 Sources/EIXMAudit/AuditProof.swift
# a proof's receipts are not held against the digests of the message received
-             if let received, received.headerDigest != record.headerDigest || received.bodyDigest != record.bodyDigest {
+             if let received, received.headerDigest != record.headerDigest && received.bodyDigest != record.bodyDigest {

@ K05 Sources/EIXMModel/DeliveryReceipt.swift
# the recipient is left out of what a receipt's signature covers
-             writer.shortText(recipient.rawValue)
+             writer.shortText("")

@ W01 Sources/EIXMRules/Judgement+Channels.swift
# CH-05 copies the sender's SPOC for a competent LEA only, not for a designated LEA or a PCCC
-             if sender.isCompetentAuthority { spocs.append(.spoc(senderState)) }
+             if sender.kind == .competentLea { spocs.append(.spoc(senderState)) }

@ W02 Sources/EIXMRules/Judgement+Deadlines.swift
# a reply from any node answers a request and closes its deadline
-         if wasAsked(header.sender, request.header) {
+         if true {

@ W03 Sources/EIXMRules/Judgement+Logging.swift
# LOG-01 leaves out the SPOCs the rules copy
-             for copy in obligations where copy.kind == .copy {
+             for copy in obligations where copy.kind == .log {

@ W04 Sources/EIXMRules/Judgement.swift
# consent given for one state stands for every state the information came from (TC-01)
-         originStates(header).filter { $0 != header.originatorState || header.originatorConsent != true }
+         originStates(header).filter { _ in header.originatorConsent != true }

@ W05 Sources/EIXMRules/Judgement+Refusals.swift
# RF-h asks consent even to give information back to the state it came from
-             let origin = header.originatorState, !goesOnlyBack(to: origin)
+             let origin = header.originatorState

@ W06 Sources/EIXMRules/Judgement+Deadlines.swift
# in SFD_LEGACY mode any urgent request for directly accessible data gets 8 hours, listed offence or not
-             if urgent, direct, listed {
+             if urgent, direct {

@ M01 Sources/EIXMExercise/LoadReport+Merge.swift
# a merge counts a message lost only when no addressee received it anywhere, not when some did not
-             total + part.data.missing.count { id, nodes in !Set(nodes).subtracting(received[id] ?? []).isEmpty }
+             total + part.data.missing.count { id, nodes in received[id] == nil }

@ M02 Sources/EIXMExercise/LoadRecorder.swift
# a shard does not record the other processes' messages its nodes received
-                 if sharded, !duplicate { state.foreign[message, default: []].insert(recipient) }
+                 if sharded, duplicate { state.foreign[message, default: []].insert(recipient) }

@ G04 Sources/EIXMTransportNIO/ConnectionGuard.swift
# accepts paused at the handshake limit are never resumed
-         return state.handshaking < limits.maxHandshakes && state.paused ? state.listener : nil
+         return nil
@ H01 Sources/EIXMRouter/Router+Connection.swift
# frames after a GOODBYE in the same read are still handled
-             case .goodbye:
-                 return false
+             case .goodbye:
+                 break

@ H02 Sources/EIXMRouter/Router.swift
# the messages of one read are routed last first
-         for arrival in arrivals {
+         for arrival in arrivals.reversed() {

@ H03 Sources/EIXMTransport/PeerConnection.swift
# the rest of a read is given again with the frame already taken
-                 return Array(buffered[index...])
+                 return buffered

@ H04 Sources/EIXMTransportNIO/FrameBatcher.swift
# frames decoded before an error are dropped
-     func errorCaught(context: ChannelHandlerContext, error: any Error) {
-         passOn(context)
+     func errorCaught(context: ChannelHandlerContext, error: any Error) {
+         frames = []

@ X01 Sources/EIXMModel/ThreadExecutor.swift
# the jobs gathered while the thread worked run last first
-             for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
+             for job in batch.reversed() { job.runSynchronously(on: asUnownedSerialExecutor()) }
equivalent: an actor promises no order between calls of different tasks, and one task's calls are enqueued one at a time (each after the last returned), so no caller can see the order of one gathered batch

@ X02 Sources/EIXMModel/ThreadExecutor.swift
# jobs run on the shared pool, not on the executor's thread
-         jobs.append(job)
+         DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedSerialExecutor()) }

@ Y01 Sources/EIXMTransportNIO/SetupDeadline.swift
# a node's connection is never closed when the router does not complete the handshake
-         deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
+         deadline = context.eventLoop.scheduleTask(in: timeout) { _ = channel }

@ Y02 Sources/EIXMTransportNIO/SetupDeadline.swift
# once a frame has gone each way the idle check never starts
-             try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout), position: .before(closer))
+

@ Y15 Sources/EIXMTransportNIO/SetupDeadline.swift
# the idle check starts with the first frame read: a router slow to write its WELCOME closes the node as idle
-         guard read, written, let deadline else { return }
+         guard read, let deadline else { return }

@ Y16 Sources/EIXMTransportNIO/SetupDeadline.swift
# the hand-over happens inside the write: the flush of a writeAndFlush is lost and the WELCOME stays unsent
-         context.write(data, promise: promise)
-         written = true
+         context.write(data, promise: promise)
+         written = true
+         handOverIfSetUp(context)

@ Y03 Sources/EIXMTransportNIO/FramePipeline.swift
# the idle check runs from the start even with a setup timeout (a busy router's nodes leave after five heartbeats)
-         if setupTimeout == nil { try addHandler(IdleStateHandler(allTimeout: idleTimeout)) }
+         try addHandler(IdleStateHandler(allTimeout: idleTimeout))

@ Y04 Sources/EIXMSpool/CRC32C.swift
# two bytes of each eight-byte step are looked up in swapped tables
-                     table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
+                     table[6 * 256 + Int(low & 0xFF)] ^ table[7 * 256 + Int((low >> 8) & 0xFF)]

@ Y05 Sources/EIXMAudit/AuditRecordFormat.swift
# hex digits above 9 are upper-case
-     static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? nibble &+ 48 : nibble &+ 87 }
+     static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? nibble &+ 48 : nibble &+ 55 }

@ Y06 Sources/EIXMTransportNIO/PageMappedAllocator.swift
# a buffer that grows keeps only part of what it held
-                 moved.copyMemory(from: pointer, byteCount: min(oldSize, newSize))
+                 moved.copyMemory(from: pointer, byteCount: min(oldSize, newSize) / 2)

@ Y07 Sources/EIXMAudit/FileAuditLog.swift
# the writer records the events of an append but the last
-             state.events.append(contentsOf: events)
+             state.events.append(contentsOf: events.dropLast())

@ Y08 Sources/EIXMModel/BatchSignature.swift
# a batch signature whose path has more hashes than its tree's shape is read
-         guard count == expected else {
+         guard count >= expected else {

@ Y09 Sources/EIXMModel/BatchSignature.swift
# a path that is not whole hashes is read (its last bytes lost when written again)
-         guard pathBytes.count % Self.hashLength == 0 else {
+         guard pathBytes.count % Self.hashLength == 0 || pathBytes.count > 0 else {

@ Y10 Sources/EIXMModel/NamedThread.swift
# the project's threads keep the name of the thread that started them
-             nameCurrentThread(kept)
+             _ = kept

@ Y11 Sources/EIXMSpool/Spool.swift
# the spool writes and syncs what was appended at once, whether anyone asked about it or not
-             wake.linger(until: .now() + linger) { pending.withLock { $0.waiters.isEmpty && !$0.closing } }
+             _ = linger

@ Y12 Sources/EIXMAudit/FileAuditLog.swift
# the audit log writes, seals and syncs what was appended at once, whether anyone asked about it or not
-             wake.linger(until: .now() + linger) {
+             if false {

@ Y13 Sources/EIXMSpool/Spool.swift
# records nobody asks about wait for ever (until a question or a close)
-             wake.linger(until: .now() + linger) { pending.withLock { $0.waiters.isEmpty && !$0.closing } }
+             wake.linger(until: .distantFuture) { pending.withLock { $0.waiters.isEmpty && !$0.closing } }

@ Y14 Sources/EIXMModel/DispatchSemaphore+Linger.swift
# the linger ends at any signal, an append's too
-         while condition(), wait(timeout: deadline) == .success {}
+         if condition() { _ = wait(timeout: deadline) }
CATALOGUE
import os, re, signal, subprocess, sys, time

root, scratch, args = sys.argv[1], sys.argv[2], sys.argv[3:]
check_only = "--check" in args
wanted = {a for a in args if not a.startswith("--")}

# Which test targets a change in each module can affect (the module's own tests and its dependents').
affected = {
    "EIXMModel": None,  # everything
    "EIXMCrypto": ["EIXMCryptoTests", "EIXMRouterTests", "EIXMNodesTests", "EIXMExerciseTests", "EIXMCLITests"],
    "EIXMRules": ["EIXMRulesTests", "EIXMRouterTests", "EIXMNodesTests", "EIXMExerciseTests", "EIXMCLITests", "EIXMFuzzTargetsTests"],
    "EIXMMerkle": ["EIXMMerkleTests", "EIXMCryptoTests", "EIXMAuditTests", "EIXMRouterTests", "EIXMExerciseTests", "EIXMCLITests"],
    "EIXMAudit": ["EIXMAuditTests", "EIXMRouterTests", "EIXMExerciseTests", "EIXMCLITests", "EIXMFuzzTargetsTests"],
    "EIXMAuditIndex": ["EIXMAuditTests", "EIXMCLITests"],
    "EIXMSpool": ["EIXMSpoolTests", "EIXMRouterTests", "EIXMNodesTests", "EIXMExerciseTests", "EIXMCLITests"],
    "EIXMTransport": ["EIXMTransportTests", "EIXMTransportNIOTests", "EIXMRouterTests", "EIXMNodesTests", "EIXMExerciseTests", "EIXMFuzzTargetsTests"],
    "EIXMTransportNIO": ["EIXMTransportNIOTests", "EIXMExerciseTests", "EIXMCLITests"],
    "EIXMRouter": ["EIXMRouterTests", "EIXMExerciseTests", "EIXMCLITests"],
    "EIXMNodes": ["EIXMNodesTests", "EIXMExerciseTests", "EIXMCLITests"],
    "EIXMExercise": ["EIXMExerciseTests", "EIXMCLITests", "EIXMFuzzTargetsTests"],
    "EIXMCLI": ["EIXMCLITests"],
    "EIXMFuzzTargets": ["EIXMFuzzTargetsTests"],
}

def parse(text):
    mutants, current = [], None
    for line in text.split("\n"):
        if line.startswith("@ "):
            ident, path = line[2:].split(" ", 1)
            current = {"id": ident, "path": path.strip(), "why": "", "find": [], "replace": [], "equivalent": None}
            mutants.append(current)
        elif current is None or not line.strip():
            continue
        elif line.startswith("# "):
            current["why"] = line[2:]
        elif line.startswith("- "):
            current["find"].append(line[2:])
        elif line.startswith("+ ") or line == "+":
            current["replace"].append(line[2:])
        elif line.startswith("equivalent: "):
            current["equivalent"] = line[len("equivalent: "):]
        else:
            sys.exit(f"catalogue: cannot read the line {line!r} of mutant {current['id']}")
    for m in mutants:
        m["find"] = "\n".join(m["find"])
        m["replace"] = "\n".join(m["replace"])
    return mutants

mutants = parse(os.fdopen(3).read())
seen_ids = [m["id"] for m in mutants]
twice = sorted({i for i in seen_ids if seen_ids.count(i) > 1})
if twice:
    sys.exit(f"mutant IDs used more than once (fix the catalogue): {', '.join(twice)}")
if wanted:
    unknown = wanted - {m["id"] for m in mutants}
    if unknown:
        sys.exit(f"no such mutant: {', '.join(sorted(unknown))}")
    mutants = [m for m in mutants if m["id"] in wanted]

def run(command, cwd, timeout=None, quiet=True):
    # In a session of its own, so that a hung run is killed with every process it started (test helpers that would
    # otherwise hold the build folder's lock).
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = process.communicate(timeout=timeout)
        return process.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
        return None, out or ""

# Every mutant must match exactly once in the committed source.
stale = []
for m in mutants:
    path = os.path.join(root, m["path"])
    text = open(path).read() if os.path.exists(path) else ""
    count = text.count(m["find"]) if m["find"] else 0
    if count != 1:
        stale.append(f"{m['id']} {m['path']}: the text to find occurs {count} time(s)")
if stale:
    print("stale mutants (fix the catalogue):\n  " + "\n  ".join(stale))
    sys.exit(2)
print(f"{len(mutants)} mutant(s), each applies exactly once")
if check_only:
    sys.exit(0)

# The scratch clone holds the committed tree; its build folder is kept between runs.
head = subprocess.check_output(["git", "rev-parse", "HEAD"], cwd=root, text=True).strip()
if not os.path.isdir(os.path.join(scratch, ".git")):
    subprocess.check_call(["git", "clone", "-q", root, scratch])
subprocess.check_call(["git", "fetch", "-q", root, head], cwd=scratch)
subprocess.check_call(["git", "reset", "-q", "--hard", head], cwd=scratch)
subprocess.check_call(["git", "clean", "-qfd", "--exclude=.build"], cwd=scratch)

build = ["swift", "build", "--build-tests"]
started = time.time()
print(f"scratch clone {scratch} at {head[:10]}; building and running the unmutated suite ...", flush=True)
rc, out = run(build, scratch)
if rc != 0:
    print(out[-3000:])
    sys.exit("the unmutated tree does not build")
rc, out = run(["swift", "test", "--skip-build"], scratch, timeout=1200)
if rc != 0:
    print(out[-3000:])
    sys.exit("the unmutated suite does not pass: fix it first")

def module(path):
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "Sources" else None

results = []
for m in mutants:
    t0 = time.time()
    path = os.path.join(scratch, m["path"])
    original = open(path).read()
    open(path, "w").write(original.replace(m["find"], m["replace"], 1))
    try:
        rc, out = run(build, scratch, timeout=1800)
        if rc != 0:
            fate, detail = "stillborn", "does not compile"
        else:
            targets = affected.get(module(m["path"]))
            command = ["swift", "test", "--skip-build"] + (["--filter", "|".join(targets)] if targets else [])
            rc, out = run(command, scratch, timeout=300)
            if rc is None:
                fate, detail = "killed", "the suite hung past its time limit"
            elif rc != 0:
                failing = sorted(set(re.findall(r'✘ Test "([^"]+)"', out)))
                fate, detail = "killed", ("; ".join(failing[:3]) + (f" (+{len(failing) - 3} more)" if len(failing) > 3 else "")) or f"exit {rc}"
            else:
                fate, detail = "survived", m["equivalent"] and f"equivalent: {m['equivalent']}" or "NO TEST NOTICED"
    finally:
        open(path, "w").write(original)
    results.append((m, fate, detail))
    print(f"{m['id']:4} {fate:9} {time.time() - t0:5.0f}s  {m['why']}\n{'':21}{detail}", flush=True)

killed = sum(1 for _, fate, _ in results if fate == "killed")
survived = [(m, detail) for m, fate, detail in results if fate == "survived"]
stillborn = sum(1 for _, fate, _ in results if fate == "stillborn")
scored = killed + len(survived)
minutes = (time.time() - started) / 60
print()
print(f"score: {killed}/{scored} killed ({100 * killed / max(scored, 1):.1f}%), {stillborn} stillborn, {minutes:.1f} min")
for m, detail in survived:
    print(f"  survivor {m['id']} ({m['path']}): {m['why']} -- {detail}")
unexplained = [m for m, _ in survived if not m["equivalent"]]
sys.exit(1 if unexplained else 0)
PY
