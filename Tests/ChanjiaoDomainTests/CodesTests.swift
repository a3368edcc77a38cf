import ChanjiaoDomain
import Testing

@Suite struct CodesTests {
    @Test func skillCodes() {
        for good in ["MET-004", "SAF-002", "AB-000", "ABCDEF-999"] { #expect(TaxonomyCode.skill.isWellFormed(good)) }
        for bad in ["MET", "met-004", "A-001", "ABCDEFG-001", "MET-04", "MET-0041", "MET_004", "MET-00A", "", "MET-"] {
            #expect(!TaxonomyCode.skill.isWellFormed(bad), "\(bad)")
        }
    }

    @Test func skillGroupCodes() {
        for good in ["MET", "SW", "ABCDEF"] { #expect(TaxonomyCode.skillGroup.isWellFormed(good)) }
        for bad in ["M", "ABCDEFG", "Met", "MET-001", "M1", ""] { #expect(!TaxonomyCode.skillGroup.isWellFormed(bad), "\(bad)") }
    }

    @Test func occupationCodes() {
        for good in ["2-02-10-03", "6-18-01-01", "6-30-99-00"] { #expect(TaxonomyCode.occupation.isWellFormed(good)) }
        for bad in ["2-2-10-03", "20-02-10-03", "2-02-10-3", "2-02-10-033", "2_02_10_03", "2020210030", "A-02-10-03", ""] {
            #expect(!TaxonomyCode.occupation.isWellFormed(bad), "\(bad)")
        }
    }

    @Test func specialtyCodes() {
        #expect(TaxonomyCode.specialty.isWellFormed("510203"))
        for bad in ["51020", "5102031", "51020A", "５１０２０３", ""] { #expect(!TaxonomyCode.specialty.isWellFormed(bad), "\(bad)") }
    }

    @Test func failuresExplainTheExpectedFormat() {
        #expect(TaxonomyCode.skill.formatProblem("MET-004") == nil)
        #expect(TaxonomyCode.skill.formatProblem("MET") == "'MET' is not a skill code (2–6 capital letters, '-', 3 digits, e.g. MET-004)")
        #expect(TaxonomyCode.occupation.formatProblem("2-02-10") == "'2-02-10' is not an occupation code (D-DD-DD-DD, e.g. 2-02-10-03)")
        #expect(TaxonomyCode.specialty.formatProblem("5102") == "'5102' is not a specialty code (6 digits, e.g. 510203)")
        #expect(TaxonomyCode.skillGroup.formatProblem("met") == "'met' is not a skill group code (2–6 capital letters, e.g. MET)")
    }
}
