import ChanjiaoDomain
import Testing

@Suite struct RegionsTests {
    static let shipped: [Region] = (try? RegionCatalog.parse(RepoFiles.text("Config/regions/gbt2260-regions-2024.txt"))) ?? []

    static func region(_ code: String) -> Region? { shipped.first { $0.code == code } }

    @Test func shippedListParsesCompletely() {
        #expect(Self.shipped.count == 3213)
        #expect(Self.shipped.allSatisfy { RegionCatalog.isWellFormed($0.code) && !$0.name.isEmpty })
    }

    @Test func demoCityAndCountiesHangUnderTheirAncestors() {
        #expect(Self.region("410000") == Region(code: "410000", name: "河南省", parentCode: nil))
        #expect(Self.region("411200") == Region(code: "411200", name: "三门峡市", parentCode: "410000"))
        #expect(Self.region("411202") == Region(code: "411202", name: "湖滨区", parentCode: "411200"))
        for county in ["411203", "411221", "411224", "411281", "411282"] {
            #expect(Self.region(county)?.parentCode == "411200")
        }
    }

    @Test func countiesWithoutAListedPrefectureHangUnderTheProvince() {
        // 济源市 is administered by the province; Beijing's districts have no 110100 row.
        #expect(Self.region("419001")?.parentCode == "410000")
        #expect(Self.region("110100") == nil)
        #expect(Self.region("110101")?.parentCode == "110000")
    }

    @Test func everyParentIsListedAndOnlyProvincesHaveNone() {
        let codes = Set(Self.shipped.map(\.code))
        for region in Self.shipped {
            if region.code.hasSuffix("0000") {
                #expect(region.parentCode == nil)
            } else {
                #expect(region.parentCode.map(codes.contains) == true, "\(region.code)")
            }
        }
    }

    @Test func malformedInputNamesTheLine() {
        #expect(throws: RegionCatalogError.malformedLine(line: 2)) { try RegionCatalog.parse("410000 河南省\n411200\n") }
        #expect(throws: RegionCatalogError.malformedCode("41120", line: 1)) { try RegionCatalog.parse("41120 三门峡市") }
        #expect(throws: RegionCatalogError.duplicateCode("410000", line: 3, firstLine: 1)) {
            try RegionCatalog.parse("410000 河南省\n\n410000 河南\n")
        }
    }

    @Test func crlfAndBlankLinesAreTolerated() throws {
        let regions = try RegionCatalog.parse("410000 河南省\r\n\r\n411200 三门峡市\r\n")
        #expect(regions == [
            Region(code: "410000", name: "河南省", parentCode: nil),
            Region(code: "411200", name: "三门峡市", parentCode: "410000"),
        ])
    }

    @Test func wellFormedMeansSixAsciiDigits() {
        #expect(RegionCatalog.isWellFormed("411202"))
        #expect(!RegionCatalog.isWellFormed("41120"))
        #expect(!RegionCatalog.isWellFormed("4112021"))
        #expect(!RegionCatalog.isWellFormed("41120A"))
        #expect(!RegionCatalog.isWellFormed("４１１２０２"))
    }
}
