/// `percentile` (training.md §6) as a recorded primitive: differentiable in x, as torch.quantile.
extension Ops {
    /// numpy's linear-rule percentiles of x; the gradient goes to the two elements each result
    /// was interpolated between, weighted 1 − γ and γ.
    func percentile(_ x: Tensor, _ q: Tensor, axes: [Int]?, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("percentile")
        let selection: PercentileSelection
        do { selection = try x.percentileSelection(q, axes: axes, keepdims: keepdims) } catch { throw interpreter.error(error, range) }
        var r = selection.result
        if x.node != nil { record(&r, "percentile", [x]) { g throws(TensorError) in [try selection.inputGradient(g)] } }
        return r
    }
}
