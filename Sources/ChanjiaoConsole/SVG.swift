/// Inline SVG drawn on the server: charts need no script and print as they show.
enum SVG {
    /// Text for SVG and HTML: `&`, `<`, `>` and quotes escaped.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A number for an attribute, to one decimal.
    static func n(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : String(format10(tenths))
    }

    private static func format10(_ tenths: Int) -> String {
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}

/// A horizontal bar chart: one labelled bar per row, lengths relative to the largest value,
/// each bar's figure written beside it (the figure, not the length, is what a reader quotes).
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var value: Int
        /// What is written beside the bar; the value when empty.
        public var figure: String

        public init(_ label: String, _ value: Int, figure: String = "") {
            self.label = label
            self.value = value
            self.figure = figure.isEmpty ? String(value) : figure
        }
    }

    public var title: String
    public var bars: [Bar]

    public init(title: String, bars: [Bar]) {
        self.title = title
        self.bars = bars
    }

    public var svg: String {
        let (labelWidth, barWidth, rowHeight) = (150.0, 330.0, 26.0)
        let height = 30 + rowHeight * Double(max(bars.count, 1))
        let largest = max(bars.map(\.value).max() ?? 0, 1)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \(SVG.n(labelWidth + barWidth + 110)) \(SVG.n(height))" \
            aria-label="\(SVG.escaped(title))"><title>\(SVG.escaped(title))</title>
            """
        out += "<text x=\"0\" y=\"16\" class=\"chart-title\">\(SVG.escaped(title))</text>"
        if bars.isEmpty { out += "<text x=\"0\" y=\"44\" class=\"chart-empty\">暂无数据</text>" }
        for (index, bar) in bars.enumerated() {
            let y = 30 + rowHeight * Double(index)
            let length = barWidth * Double(max(bar.value, 0)) / Double(largest)
            // A long name is cut to fit its column; the whole name is the label's tooltip.
            let shown = bar.label.count > 10 ? String(bar.label.prefix(9)) + "…" : bar.label
            out += "<text x=\"\(SVG.n(labelWidth - 8))\" y=\"\(SVG.n(y + 17))\" text-anchor=\"end\"><title>\(SVG.escaped(bar.label))</title>\(SVG.escaped(shown))</text>"
            out += "<rect x=\"\(SVG.n(labelWidth))\" y=\"\(SVG.n(y + 5))\" width=\"\(SVG.n(length))\" height=\"16\" class=\"bar\"/>"
            out += "<text x=\"\(SVG.n(labelWidth + length + 6))\" y=\"\(SVG.n(y + 17))\">\(SVG.escaped(bar.figure))</text>"
        }
        return out + "</svg>"
    }
}
