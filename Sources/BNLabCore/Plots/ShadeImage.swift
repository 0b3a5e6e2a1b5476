import Foundation

/// An [H, W] image drawn with shade characters (training.md §7): an 8×8 digit at a glance.
///
/// Each pixel is two characters wide, so pixels look square. The shade of a value v is
/// `shades[round((v − min) / (max − min) · 9)]` over " .:-=+*#%@": the smallest value is blank,
/// the largest `@`. A constant image is drawn blank. A frame shows the image's edges and a last
/// line gives its shape, min and max.
public enum ShadeImage {
    public static let shades: [Character] = Array(" .:-=+*#%@")
    public static let sizes = 1...100

    /// The shade of one value on the image's range.
    public static func shade(_ v: Double, min lo: Double, max hi: Double) -> Character {
        guard hi > lo else { return shades[0] }
        let level = Int(((v - lo) / (hi - lo) * Double(shades.count - 1)).rounded())
        return shades[Swift.max(0, Swift.min(shades.count - 1, level))]
    }

    /// The picture's lines; `pixels` holds height × width values, row by row.
    public static func lines(_ pixels: [Double], height: Int, width: Int) throws(PlotProblem) -> [String] {
        guard sizes.contains(height), sizes.contains(width) else {
            throw PlotProblem("show draws images of 1 to \(sizes.upperBound) pixels a side, got [\(height), \(width)]", at: .named("image"))
        }
        if let i = pixels.firstIndex(where: { !$0.isFinite }) {
            throw PlotProblem("show needs finite pixels; the image holds \(pixels[i]) at row \(i / width), column \(i % width)", at: .named("image"))
        }
        let lo = pixels.min() ?? 0, hi = pixels.max() ?? 0
        var lines = ["┌" + String(repeating: "─", count: 2 * width) + "┐"]
        for r in 0..<height {
            var line = "│"
            for c in 0..<width {
                let s = shade(pixels[r * width + c], min: lo, max: hi)
                line.append(s)
                line.append(s)
            }
            lines.append(line + "│")
        }
        lines.append("└" + String(repeating: "─", count: 2 * width) + "┘")
        lines.append("[\(height), \(width)], min \(number(lo)) (\" \"), max \(number(hi)) (\"@\")")
        return lines
    }

    private static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.4g", v)
    }
}
