import EIXMModel
import EIXMRules
import Testing

@Suite("Frontex rules")
struct FrontexRulesTests {
    /// Frontex personal data on a suspect of cross-border crime, collected under Art 10(1)(q), assessed.
    private func frontex(to recipient: NodeID) -> Header {
        var header = RuleFixtures.request()
        header.sender = .frontex
        header.to = [recipient]
        header.messageType = .spontaneous
        header.legalBasis = .ebcg20191896
        header.crimeAreas = [.immigrantSmuggling]
        header.affectedStates = [.es, .fr]
        header.language = .english
        header.containsPersonalData = true
        header.dataSubjectCategories = [.suspect]
        header.collectionContext = .crossBorderCrime
        header.strictNecessityAssessmentID = "SNA-1"
        return header
    }

    @Test("PD-03: to Europol only suspects of cross-border crime, with a necessity assessment")
    func pd03() {
        var header = frontex(to: .europol)
        #expect(!RuleFixtures.decide(header).fired(.pd03))
        header.strictNecessityAssessmentID = nil
        #expect(RuleFixtures.decide(header).violates(.pd03))
        header = frontex(to: .europol)
        header.dataSubjectCategories = [.witness]
        #expect(RuleFixtures.decide(header).violates(.pd03))
        header.dataSubjectCategories = [.witness, .suspect]
        #expect(!RuleFixtures.decide(header).fired(.pd03))
        header.collectionContext = .riskAnalysis
        #expect(RuleFixtures.decide(header).violates(.pd03))
    }

    @Test("PD-04: to a Member State authority only when strictly necessary against serious crime")
    func pd04() {
        var header = frontex(to: .spoc(.es))
        #expect(!RuleFixtures.decide(header).fired(.pd04))
        header.crimeAreas = [.publicOrderOffence]
        #expect(RuleFixtures.decide(header).violates(.pd04))
        // Insider dealing and market manipulation are serious (Europol Regulation Annex I).
        header.crimeAreas = [.insiderDealingMarketManipulation]
        #expect(!RuleFixtures.decide(header).fired(.pd04))
    }

    @Test("PD-05: never to a third country or international organisation")
    func pd05() {
        var header = frontex(to: RuleFixtures.node("UK-NCA"))
        header.channel = .interpol
        #expect(RuleFixtures.decide(header).violates(.pd05))
        #expect(!RuleFixtures.decide(frontex(to: .eurojust)).fired(.pd05))
    }

    @Test("PD-06: Frontex holds Art 90 data under review periods, other personal data at most 90 days")
    func pd06() throws {
        let art90 = RuleFixtures.decide(frontex(to: .europol))
        let review = try #require(art90.obligations.first { $0.rule == .pd06 })
        #expect(review.kind == .retention)
        #expect(review.seconds == Int64(90 * 86_400))
        var other = frontex(to: .europol)
        other.collectionContext = nil
        other.to = [.spoc(.es)]
        #expect(RuleFixtures.decide(other).obliges(.pd06, .retention, to: .frontex))
        #expect(!RuleFixtures.decide(RuleFixtures.request()).fired(.pd06))
    }
}
