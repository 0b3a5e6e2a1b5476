/// The kernels of the convolution and pooling layers (PyTorch's `conv2d` and `max_pool2d` on
/// [N, C, H, W]), written directly as loops: the sizes a learner trains on are small, and direct
/// loops keep each backward a transcription of its sum.
extension Tensor {
    /// The output size of one spatial axis: ⌊(size + 2·padding − kernel) / stride⌋ + 1, or nil when
    /// the kernel does not fit.
    public static func slidingSize(_ size: Int, kernel: Int, stride: Int, padding: Int) -> Int? {
        guard stride > 0, kernel > 0, (0...elementLimit).contains(padding), size <= elementLimit else { return nil }
        let span = size + 2 * padding - kernel
        guard span >= 0 else { return nil }
        return span / stride + 1
    }

    /// The checked output shape and work of a convolution; the geometry errors name both shapes.
    private static func convolutionShape(_ x: Tensor, _ w: Tensor, stride: [Int], padding: [Int]) throws(TensorError) -> (shape: [Int], work: Int) {
        guard stride.count == 2, padding.count == 2 else { throw TensorError("conv2d needs a stride and a padding for each of 2 axes") }
        guard x.rank == 4, w.rank == 4, x.shape[1] == w.shape[1] else {
            throw TensorError("conv2d needs an input [N, C, H, W] and a weight [O, C, kH, kW] with the same C, got \(formatShape(x.shape)) and \(formatShape(w.shape))")
        }
        guard let ho = slidingSize(x.shape[2], kernel: w.shape[2], stride: stride[0], padding: padding[0]),
              let wo = slidingSize(x.shape[3], kernel: w.shape[3], stride: stride[1], padding: padding[1]) else {
            throw TensorError("a \(w.shape[2])×\(w.shape[3]) kernel with padding (\(padding[0]), \(padding[1])) does not fit an input of shape \(formatShape(x.shape))")
        }
        let shape = [x.shape[0], w.shape[0], ho, wo]
        var work = 1
        for d in shape + Array(w.shape[1...]) {
            let (p, o) = work.multipliedReportingOverflow(by: d)
            guard !o else { work = Int.max; break }
            work = p
        }
        guard work <= matmulWorkLimit else {
            let needs = work == Int.max ? "more multiply-adds than" : "\(work) multiply-adds, more than"
            throw TensorError("conv2d of an input \(formatShape(x.shape)) with a weight \(formatShape(w.shape)) needs \(needs) the limit of \(matmulWorkLimit)")
        }
        return (shape, work)
    }

    /// PyTorch's conv2d (a cross-correlation): out[n, o, i, j] = b[o] + Σ_c,p,q w[o, c, p, q] ·
    /// x[n, c, i·sh − ph + p, j·sw − pw + q], zero outside the input.
    public static func conv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int], padding: [Int]) throws(TensorError) -> Tensor {
        let (shape, work) = try convolutionShape(x, w, stride: stride, padding: padding)
        if let b, b.shape != [w.shape[0]] {
            throw TensorError("conv2d needs a bias of shape [\(w.shape[0])], got \(formatShape(b.shape))")
        }
        let count = try checkedAllocation(shape)
        let xs = x.elements, ws = w.elements, bs = b?.elements
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let (ho, wo) = (shape[2], shape[3])
        let (sh, sw, ph, pw) = (stride[0], stride[1], padding[0], padding[1])
        let stop = KernelStop.current(forWork: work)
        let data = makeStorage(count: count) { out in
            guard count > 0, let r = out.baseAddress else { return }
            r.initialize(repeating: 0, count: count)
            for s in 0..<n {
                for f in 0..<o {
                    if let stop, stop.isRaised { return }
                    let base = (s * o + f) * ho * wo
                    for i in 0..<ho {
                        for j in 0..<wo {
                            var sum = bs?[f] ?? 0
                            for ch in 0..<c {
                                for p in 0..<kh {
                                    let row = i * sh - ph + p
                                    guard row >= 0, row < h else { continue }
                                    for q in 0..<kw {
                                        let col = j * sw - pw + q
                                        guard col >= 0, col < wd else { continue }
                                        sum += ws[((f * c + ch) * kh + p) * kw + q] * xs[((s * c + ch) * h + row) * wd + col]
                                    }
                                }
                            }
                            r[base + i * wo + j] = sum
                        }
                    }
                }
            }
        }
        try stop?.check()
        return Tensor(contiguous: data, shape: shape)
    }

    /// The gradients of conv2d with respect to its input, weight and bias (each only when asked),
    /// given the gradient `g` of its output: the forward's sum with each product sent back to both
    /// factors, and the bias's gradient the sum of g over every axis but the channel.
    public static func conv2dBackward(_ g: Tensor, _ x: Tensor, _ w: Tensor, stride: [Int], padding: [Int],
                                      needInput: Bool, needWeight: Bool, needBias: Bool) throws(TensorError) -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
        let (shape, work) = try convolutionShape(x, w, stride: stride, padding: padding)
        guard g.shape == shape else {
            throw TensorError("conv2d's gradient has shape \(formatShape(g.shape)), expected \(formatShape(shape))")
        }
        let xs = x.elements, ws = w.elements, gs = g.elements
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let (ho, wo) = (shape[2], shape[3])
        let (sh, sw, ph, pw) = (stride[0], stride[1], padding[0], padding[1])
        var gx = needInput ? [Double](repeating: 0, count: xs.count) : []
        var gw = needWeight ? [Double](repeating: 0, count: ws.count) : []
        var gb = needBias ? [Double](repeating: 0, count: o) : []
        if needInput { try reserve(xs.count) }
        if needWeight { try reserve(ws.count) }
        let stop = KernelStop.current(forWork: work)
        outer: for s in 0..<n {
            for f in 0..<o {
                if let stop, stop.isRaised { break outer }
                for i in 0..<ho {
                    for j in 0..<wo {
                        let gv = gs[((s * o + f) * ho + i) * wo + j]
                        if needBias { gb[f] += gv }
                        guard needInput || needWeight else { continue }
                        for ch in 0..<c {
                            for p in 0..<kh {
                                let row = i * sh - ph + p
                                guard row >= 0, row < h else { continue }
                                for q in 0..<kw {
                                    let col = j * sw - pw + q
                                    guard col >= 0, col < wd else { continue }
                                    let xi = ((s * c + ch) * h + row) * wd + col
                                    let wi = ((f * c + ch) * kh + p) * kw + q
                                    if needInput { gx[xi] += gv * ws[wi] }
                                    if needWeight { gw[wi] += gv * xs[xi] }
                                }
                            }
                        }
                    }
                }
            }
        }
        try stop?.check()
        return (needInput ? Tensor(contiguous: gx, shape: x.shape) : nil,
                needWeight ? Tensor(contiguous: gw, shape: w.shape) : nil,
                needBias ? Tensor(contiguous: gb, shape: [o]) : nil)
    }

    /// PyTorch's max_pool2d on [N, C, H, W] without padding: each window's largest value, and the
    /// flat input position it came from (the first one in row-major order on a tie; a nan wins).
    public static func maxPool2d(_ x: Tensor, kernel: [Int], stride: [Int]) throws(TensorError) -> (output: Tensor, argmax: [Int]) {
        guard x.rank == 4, kernel.count == 2, stride.count == 2 else {
            throw TensorError("max_pool2d needs an input [N, C, H, W] and a kernel and stride for each of 2 axes, got \(formatShape(x.shape))")
        }
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (kh, kw, sh, sw) = (kernel[0], kernel[1], stride[0], stride[1])
        guard kh > 0, kw > 0, let ho = slidingSize(h, kernel: kh, stride: sh, padding: 0),
              let wo = slidingSize(wd, kernel: kw, stride: sw, padding: 0) else {
            throw TensorError("a \(kh)×\(kw) pooling window does not fit an input of shape \(formatShape(x.shape))")
        }
        let shape = [n, c, ho, wo]
        let count = try checkedAllocation(shape)
        let xs = x.elements
        var argmax = [Int](repeating: 0, count: count)
        var values = [Double](repeating: 0, count: count)
        let stop = KernelStop.current(forWork: count &* kh &* kw)
        for plane in 0..<(n * c) {
            if let stop, stop.isRaised { break }
            for i in 0..<ho {
                for j in 0..<wo {
                    var best = -Double.infinity, at = plane * h * wd + i * sh * wd + j * sw
                    for p in 0..<kh {
                        for q in 0..<kw {
                            let k = plane * h * wd + (i * sh + p) * wd + j * sw + q
                            let v = xs[k]
                            if v > best || v.isNaN {
                                best = v
                                at = k
                                if v.isNaN { break }
                            }
                        }
                        if best.isNaN { break }
                    }
                    let r = (plane * ho + i) * wo + j
                    values[r] = best
                    argmax[r] = at
                }
            }
        }
        try stop?.check()
        return (Tensor(contiguous: values, shape: shape), argmax)
    }

    /// max_pool2d's backward: each output gradient added at the input position its maximum came from.
    public static func maxPool2dBackward(_ g: Tensor, inputShape: [Int], argmax: [Int]) throws(TensorError) -> Tensor {
        let count = try checkedAllocation(inputShape)
        let gs = g.elements
        guard gs.count == argmax.count else {
            throw TensorError("max_pool2d's gradient has \(gs.count) elements, expected \(argmax.count)")
        }
        var gx = [Double](repeating: 0, count: count)
        for (k, at) in argmax.enumerated() { gx[at] += gs[k] }
        return Tensor(contiguous: gx, shape: inputShape)
    }
}
